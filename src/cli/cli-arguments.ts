import { DEFAULT_CATEGORY_IDS } from '../domain/scoring/care-scorer';
import { UsageError } from './cli-error';

export interface ScoreArguments {
  command: 'score';
  modelFile?: string;
}

export interface TrainArguments {
  command: 'train';
  inFile: string;
  outFile: string;
  epochs?: number;
  name?: string;
  priorFile?: string;
}

export type CliArguments = { command: 'help' } | ScoreArguments | TrainArguments;

/** The options each command takes; every one takes a value. */
const OPTIONS = {
  score: ['model'],
  train: ['in', 'out', 'epochs', 'name', 'prior'],
} as const;

type CommandName = keyof typeof OPTIONS;

/**
 * Reads the arguments after `cli --`. Options take a value as `--name value` or `--name=value`;
 * `--help` anywhere asks for the usage. Anything unknown, repeated or missing is a UsageError.
 */
export function parseArguments(argv: readonly string[]): CliArguments {
  if (argv.length === 0) throw new UsageError('no command given: use "score" or "train"');
  if (argv.some((argument) => argument === '--help' || argument === '-h')) return { command: 'help' };
  const [command, ...rest] = argv;
  if (command === 'help') {
    if (rest.length > 0) throw new UsageError(`"help" takes no arguments, got "${rest[0]}"`);
    return { command: 'help' };
  }
  if (command !== 'score' && command !== 'train') {
    throw new UsageError(`unknown command "${command}": use "score" or "train"`);
  }
  const values = readOptions(command, rest);
  if (command === 'score') {
    const modelFile = values.get('model');
    return modelFile === undefined ? { command } : { command, modelFile };
  }
  const inFile = values.get('in');
  const outFile = values.get('out');
  if (inFile === undefined) throw new UsageError('train needs --in <labelled.csv>');
  if (outFile === undefined) throw new UsageError('train needs --out <model.json>');
  const result: TrainArguments = { command, inFile, outFile };
  const epochs = values.get('epochs');
  if (epochs !== undefined) result.epochs = parseEpochs(epochs);
  const name = values.get('name');
  if (name !== undefined) {
    if (name.trim() === '') throw new UsageError('--name must not be blank');
    result.name = name;
  }
  const priorFile = values.get('prior');
  if (priorFile !== undefined) result.priorFile = priorFile;
  return result;
}

function readOptions(command: CommandName, argv: readonly string[]): Map<string, string> {
  const allowed: readonly string[] = OPTIONS[command];
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (!argument.startsWith('--') || argument === '--') {
      throw new UsageError(`${command}: unexpected argument "${argument}"`);
    }
    const equals = argument.indexOf('=');
    const name = argument.slice(2, equals === -1 ? undefined : equals);
    if (!allowed.includes(name)) {
      const known = allowed.map((option) => `--${option}`).join(', ');
      throw new UsageError(`${command}: unknown option "--${name}" (it takes ${known})`);
    }
    if (values.has(name)) throw new UsageError(`${command}: --${name} is given twice`);
    let value: string | undefined;
    if (equals !== -1) value = argument.slice(equals + 1);
    else {
      value = argv[index + 1];
      // "--model --other" is a forgotten value, not a file named "--other".
      if (value === undefined || value.startsWith('--')) value = undefined;
      else index += 1;
    }
    if (value === undefined || value === '') throw new UsageError(`${command}: --${name} needs a value`);
    values.set(name, value);
  }
  return values;
}

function parseEpochs(text: string): number {
  const epochs = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(epochs) || epochs < 1) {
    throw new UsageError(`--epochs must be a whole number of passes, 1 or more, got "${text}"`);
  }
  return epochs;
}

export const USAGE = `Complaint monitor command line: score posts and train scoring models.

Usage:
  npm run --silent cli -- score [--model model.json] < posts.jsonl > scores.jsonl
  npm run --silent cli -- train --in labelled.csv --out model.json [--epochs N] [--name NAME] [--prior model.json]
  npm run --silent cli -- help

score
  Reads one JSON object per line on stdin:
    {"id": "123", "text": "day 3 and still no bag", "lang": "en",
     "followers": 120, "author": {"followers": 120}, "metrics": {"likes": 4, "reposts": 1, "replies": 0}}
  id (a non-empty string or a number) and text (a string) are required; lang (string or null),
  followers, author.followers and metrics.likes / reposts / replies (numbers, 0 or more) are
  optional, null counts as absent, and other fields are ignored. followers wins over
  author.followers. Give ids beyond 2^53 as strings (numbers that large are echoed exactly only
  on Node 24).
  Writes one JSON line per post to stdout, in input order, and nothing else:
    {"id", "polarity", "polarityScore", "complaint", "complaintProbability", "category", "fault",
     "faultConfidence", "severity": [...], "urgency", "reasons": [...], "language"}
  id is echoed unchanged; polarity is negative, neutral or positive with polarityScore -1..1;
  complaintProbability and faultConfidence are 0..1; category is one of the model's categories
  (by default ${DEFAULT_CATEGORY_IDS.join(', ')});
  fault is company, customer, third_party or unknown; severity lists flags (safety, legal_threat, discrimination, privacy, money_lost,
  vulnerable_customer); urgency is 0..100; reasons are short human-readable cues; language is an
  ISO 639-1 code (or "und").
  Blank lines are skipped. A bad line (not JSON, not an object, no id, text not a string, a field
  of the wrong type) is reported on stderr as "line N: <problem>" and the run goes on. At the end
  stderr gets "scored N posts (M bad lines)".
  --model FILE   score with a model file written by train (default: the shipped model)

train
  Reads a labelled CSV (RFC 4180, header row) in one of two layouts:
    ours:    text plus any of complaint (true/false, yes/no, 1/0), polarity (negative, neutral,
             positive), category, fault (company, customer, third_party, unknown); optional id, lang
    airline: text, airline_sentiment, negativereason (the "Twitter US Airline Sentiment" columns)
  Rows that cannot be read are skipped and listed on stderr; progress and a summary go to stderr.
  --in FILE      the labelled CSV (required)
  --out FILE     where to write the model JSON (required; written whole, then renamed into place)
  --epochs N     passes over the examples (default 5)
  --name NAME    the model's name (default: <prior name>+trained)
  --prior FILE   start from this model file instead of the shipped model

Exit codes
  0  done (score: the input was read to the end, even if some lines were bad)
  1  the work failed (train: the CSV cannot be parsed, no usable examples, the model cannot be written)
  2  usage error: unknown command or option, missing value, a file named on the command line
     that cannot be read, a model file that is not a valid model
`;
