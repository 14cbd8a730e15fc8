import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SentimentAnalyzer } from 'natural/lib/natural/sentiment';
import AggressiveTokenizer from 'natural/lib/natural/tokenizers/aggressive_tokenizer';
import Sentiment from 'sentiment';
import { SentimentIntensityAnalyzer } from 'vader-sentiment';
import { resolveFromProjectRoot } from '../src/common/project-root';
import { CareScorer, handSetModel } from '../src/domain/scoring/care-scorer';
import { AIRLINE_REASON_MAPPING, readLabelledCsv, type LabelledExample } from '../src/domain/scoring/labelled-data';
import { FAULTS, POLARITIES, type Polarity, type Scorer } from '../src/domain/scoring/post-score';
import type { ScoringModel } from '../src/domain/scoring/scoring-model';
import { fitDefaultModel, trainModel } from '../src/domain/scoring/training';
import {
  agreement,
  binaryMetrics,
  bucketOf,
  formatTable,
  mostFrequent,
  multiclassMetrics,
  polarityFromSign,
  polarityFromVaderCompound,
  splitTrainTest,
  TEST_BUCKETS,
  truncate,
  type BinaryMetrics,
  type MulticlassMetrics,
} from './metrics';

/** Relative to the project root: `shared/` sits beside the repository and is never shipped. */
const DEFAULT_DATA = '../shared/data/airline-tweets-dev.csv';
/** The hand-written posts the shipped model is fitted to. */
const SEED_CORPUS = 'assets/seed-corpus.csv';
/** The learning curve fits the shipped recipe on 1, 2, 3 and 4 quarters of the seed corpus. */
const CURVE_QUARTERS = [1, 2, 3, 4];
const WARM_UP_MS = 500;
const MEASURE_MS = 2000;
const CLI_POSTS = 100_000;
const EXAMPLES_SHOWN = 10;

const TARGETS = {
  complaintF1Default: 0.85,
  complaintF1Trained: 0.9,
  polarityMacroF1: 0.75,
  /** Points of complaint F1 (F1 x 100) the default model must lead every baseline by. */
  baselineGapPoints: 15,
  scoringPostsPerSecond: 20_000,
  cliPostsPerSecond: 10_000,
};

/** What each scorer says about a post, reduced to what the labels can check. */
interface Prediction {
  complaint: boolean;
  polarity: Polarity;
  /** Only scorers that tell a category and a fault; the lexicon baselines do not. */
  category?: string;
  fault?: string;
}

interface BenchScorer {
  name: string;
  predict: (text: string) => Prediction;
}

interface ScorerResult {
  name: string;
  complaint: BinaryMetrics;
  polarity: MulticlassMetrics<Polarity>;
  category?: ReturnType<typeof agreement>;
  fault?: ReturnType<typeof agreement>;
  postsPerSecond: number;
  predictions: Prediction[];
}

const USAGE = 'Usage: npm run bench -- scoring [--data <labelled.csv>] [--examples] [--learning-curve]';

export async function runScoringBench(args: string[]): Promise<void> {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (!existsSync(options.data)) {
    process.stderr.write(
      `No labelled data at ${options.data}.\n` +
        `The scoring benchmark reads the airline tweet set from ../shared/data beside the repository (never shipped); pass --data <path> to use another labelled CSV.\n`,
    );
    process.exitCode = 1;
    return;
  }

  process.stderr.write(`Reading ${options.data}\n`);
  const file = readLabelledCsv(readFileSync(options.data, 'utf8'));
  const { train, test } = splitTrainTest(file.examples);
  if (test.length === 0) throw new Error(`the test part of ${options.data} is empty (${file.examples.length} rows read)`);
  const idName = file.layout === 'airline-sentiment' ? 'tweet_id' : 'id';
  process.stdout.write(
    `\nScoring ${options.data} (${file.layout} layout): ${file.examples.length.toLocaleString('en')} rows read, ${file.skipped.length} skipped\n` +
      `  split: a row is in the test part when FNV-1a 32-bit of its ${idName} (its text if it has none) mod ${TEST_BUCKETS} is 0, else in the train part\n` +
      `  train part ${train.length.toLocaleString('en')} rows, test part ${test.length.toLocaleString('en')} rows; every figure below is on the test part\n`,
  );

  // The shipped model is measured before training: the garbage training leaves behind slowed its posts/s.
  const defaultResult = evaluate({ name: 'care (default model)', predict: careScorer(new CareScorer()) }, test);
  process.stderr.write(`Training on the train part (${train.length} rows)\n`);
  const trainingStarted = performance.now();
  const trainedModel = trainModel(train, { onProgress: (message) => process.stderr.write(`  ${message}\n`) });
  const trainingSeconds = (performance.now() - trainingStarted) / 1000;
  process.stdout.write(`  trained "${trainedModel.name}" on ${train.length.toLocaleString('en')} train rows in ${trainingSeconds.toFixed(2)} s\n`);
  const trainedCare = new CareScorer({ model: trainedModel });

  const trainedResult = evaluate({ name: 'care (trained on train part)', predict: careScorer(trainedCare) }, test);
  const baselines = baselineScorers().map((scorer) => evaluate(scorer, test));
  const results = [defaultResult, trainedResult, ...baselines];
  printTable(results, test, file.layout === 'airline-sentiment');

  if (options.examples) printErrors(defaultResult, test);
  if (options.learningCurve) printLearningCurve(test);

  const cli = await benchCli(test.map((example) => example.text));

  const gaps = baselines.map((baseline) => ({ name: baseline.name, points: (defaultResult.complaint.f1 - baseline.complaint.f1) * 100 }));
  const smallestGap = gaps.reduce((smallest, gap) => (gap.points < smallest.points ? gap : smallest));
  const lines = [
    target(
      `complaint F1, default model ≥ ${TARGETS.complaintF1Default.toFixed(2)}`,
      defaultResult.complaint.f1.toFixed(3),
      defaultResult.complaint.f1 >= TARGETS.complaintF1Default,
    ),
    target(
      `complaint F1, trained on the train part ≥ ${TARGETS.complaintF1Trained.toFixed(2)}`,
      trainedResult.complaint.f1.toFixed(3),
      trainedResult.complaint.f1 >= TARGETS.complaintF1Trained,
    ),
    target(
      `polarity macro-F1, default model ≥ ${TARGETS.polarityMacroF1.toFixed(2)}`,
      defaultResult.polarity.macroF1.toFixed(3),
      defaultResult.polarity.macroF1 >= TARGETS.polarityMacroF1,
    ),
    target(
      `polarity macro-F1, trained ≥ ${TARGETS.polarityMacroF1.toFixed(2)}`,
      trainedResult.polarity.macroF1.toFixed(3),
      trainedResult.polarity.macroF1 >= TARGETS.polarityMacroF1,
    ),
    target(
      `default model beats every baseline by ≥ ${TARGETS.baselineGapPoints} points of complaint F1`,
      `smallest gap ${smallestGap.points.toFixed(1)} points (over ${smallestGap.name})`,
      smallestGap.points >= TARGETS.baselineGapPoints,
    ),
    ...[defaultResult, trainedResult].map((result) =>
      target(
        `scoring function ≥ ${TARGETS.scoringPostsPerSecond.toLocaleString('en')} posts/s, ${result.name}`,
        `${perSecond(result.postsPerSecond)} posts/s`,
        result.postsPerSecond >= TARGETS.scoringPostsPerSecond,
      ),
    ),
    cli === undefined
      ? `  score command end to end ≥ ${TARGETS.cliPostsPerSecond.toLocaleString('en')} posts/s: CLI not built, not measured`
      : target(
          `score command end to end ≥ ${TARGETS.cliPostsPerSecond.toLocaleString('en')} posts/s`,
          `${perSecond(cli.postsPerSecond)} posts/s`,
          cli.postsPerSecond >= TARGETS.cliPostsPerSecond,
        ),
  ];
  process.stdout.write(`\nTargets (from the figures measured above):\n${lines.join('\n')}\n`);
}

function parseArgs(args: string[]): { data: string; examples: boolean; learningCurve: boolean } | string {
  let data = resolveFromProjectRoot(DEFAULT_DATA);
  let examples = false;
  let learningCurve = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === '--examples') examples = true;
    else if (arg === '--learning-curve') learningCurve = true;
    else if (arg === '--data') {
      const value = args[index + 1];
      if (value === undefined || value.startsWith('--')) return '--data needs a path';
      data = path.resolve(value);
      index += 1;
    } else return `Unknown argument "${arg}"`;
  }
  return { data, examples, learningCurve };
}

function careScorer(scorer: Scorer): (text: string) => Prediction {
  return (text) => {
    const score = scorer.score({ text });
    return { complaint: score.complaint, polarity: score.polarity, category: score.category, fault: score.fault };
  };
}

/**
 * Plain word-list sentiment, each used as its authors document it: negative means complaint, and
 * polarity is the sign of the score (VADER: its standard ±0.05 compound thresholds).
 */
function baselineScorers(): BenchScorer[] {
  const tokenizer = new AggressiveTokenizer();
  const afinn = new SentimentAnalyzer('English', undefined, 'afinn');
  const sentiment = new Sentiment();
  const fromPolarity = (polarity: Polarity): Prediction => ({ complaint: polarity === 'negative', polarity });
  return [
    {
      name: 'natural AFINN',
      predict: (text) => {
        const tokens = tokenizer.tokenize(text);
        // getSentiment divides by the token count: no tokens would give NaN.
        return fromPolarity(polarityFromSign(tokens.length === 0 ? 0 : afinn.getSentiment(tokens)));
      },
    },
    { name: 'sentiment (AFINN-165)', predict: (text) => fromPolarity(polarityFromSign(sentiment.analyze(text).score)) },
    { name: 'vader-sentiment', predict: (text) => fromPolarity(polarityFromVaderCompound(SentimentIntensityAnalyzer.polarity_scores(text).compound)) },
  ];
}

function evaluate(scorer: BenchScorer, test: readonly LabelledExample[]): ScorerResult {
  process.stderr.write(`Scoring the test part: ${scorer.name}\n`);
  const predictions = test.map((example) => scorer.predict(example.text));
  const { complaint, polarity } = complaintAndPolarity(test, predictions);
  const tellsCategory = predictions.every((prediction) => prediction.category !== undefined);
  const category = tellsCategory ? agreement(pairsOf(test, predictions, categoryLabel, (prediction) => prediction.category ?? '')) : undefined;
  const tellsFault = predictions.every((prediction) => prediction.fault !== undefined);
  const fault = tellsFault
    ? agreement(
        pairsOf(
          test,
          predictions,
          (example) => example.fault,
          (prediction) => prediction.fault ?? '',
        ),
      )
    : undefined;
  process.stderr.write(`Measuring posts/s: ${scorer.name}\n`);
  const postsPerSecond = measureThroughput(
    test.map((example) => example.text),
    scorer.predict,
  );
  return { name: scorer.name, complaint, polarity, category, fault, postsPerSecond, predictions };
}

/** Complaint and polarity figures of one prediction per test row, over the rows that carry each label. */
function complaintAndPolarity(
  test: readonly LabelledExample[],
  predictions: ReadonlyArray<{ complaint: boolean; polarity: Polarity }>,
): { complaint: BinaryMetrics; polarity: MulticlassMetrics<Polarity> } {
  const complaint = binaryMetrics(
    pairsOf(
      test,
      predictions,
      (example) => example.complaint,
      (prediction) => prediction.complaint,
    ),
  );
  const polarity = multiclassMetrics(
    POLARITIES,
    pairsOf(
      test,
      predictions,
      (example) => example.polarity,
      (prediction) => prediction.polarity,
    ),
  );
  return { complaint, polarity };
}

/** The (label, prediction) pairs of the test rows that carry the label; `predictions` has one entry per row. */
function pairsOf<Actual, Prediction, Predicted>(
  test: readonly LabelledExample[],
  predictions: readonly Prediction[],
  actualOf: (example: LabelledExample) => Actual | undefined,
  predictedOf: (prediction: Prediction) => Predicted,
): Array<{ actual: Actual; predicted: Predicted }> {
  return test.flatMap((example, index) => {
    const actual = actualOf(example);
    return actual === undefined ? [] : [{ actual, predicted: predictedOf(predictions[index]) }];
  });
}

/** Category agreement counts only rows labelled with a real category (`other` says nothing). */
function categoryLabel(example: LabelledExample): string | undefined {
  return example.category === undefined || example.category === 'other' ? undefined : example.category;
}

/** One core, the calling thread: a warm-up, then passes over the texts until at least MEASURE_MS have gone. */
function measureThroughput(texts: readonly string[], predict: (text: string) => Prediction): number {
  let complaints = 0;
  const pass = (): void => {
    for (const text of texts) if (predict(text).complaint) complaints += 1;
  };
  const warmUpStarted = performance.now();
  do pass();
  while (performance.now() - warmUpStarted < WARM_UP_MS);
  let posts = 0;
  let elapsed: number;
  const started = performance.now();
  do {
    pass();
    posts += texts.length;
    elapsed = performance.now() - started;
  } while (elapsed < MEASURE_MS);
  // The count is used, so no pass can be optimised away.
  if (complaints < 0) throw new Error('unreachable');
  return posts / (elapsed / 1000);
}

function printTable(results: readonly ScorerResult[], test: readonly LabelledExample[], airline: boolean): void {
  const figure = (value: number) => value.toFixed(3);
  const rows = results.map((result) => [
    result.name,
    figure(result.complaint.precision),
    figure(result.complaint.recall),
    figure(result.complaint.f1),
    figure(result.polarity.macroF1),
    figure(result.polarity.accuracy),
    result.category ? figure(result.category.share) : '-',
    result.fault ? figure(result.fault.share) : '-',
    perSecond(result.postsPerSecond),
  ]);
  const header = ['scorer', 'complaint P', 'complaint R', 'complaint F1', 'polarity macro-F1', 'polarity acc', 'category agr', 'fault agr', 'posts/s'];
  const [first] = results;
  const categoryRows = test.filter((example) => categoryLabel(example) !== undefined).length;
  const faultRows = test.filter((example) => example.fault !== undefined).length;
  process.stdout.write(
    `\n${formatTable(header, rows)}\n` +
      `  complaint: positive class = complaint (${first.complaint.truePositives + first.complaint.falseNegatives} of ${first.complaint.truePositives + first.complaint.falsePositives + first.complaint.falseNegatives + first.complaint.trueNegatives} test rows)` +
      `; polarity: macro-F1 over ${POLARITIES.join('/')} (n = ${first.polarity.n})\n` +
      `  category agr: share of the test rows with a mapped category other than "other" where the prediction equals it (n = ${categoryRows})\n` +
      `  fault agr: share of the test rows with a fault label where the prediction equals it (n = ${faultRows})\n` +
      (airline ? `  ${faultMappingLine()}\n` : '') +
      `  posts/s: the scoring function on one core, looping over the ${test.length} test texts for at least ${MEASURE_MS / 1000} s after a ${WARM_UP_MS} ms warm-up\n` +
      `  baselines tell no category or fault (-); their complaint is a negative score, their polarity the sign of the score (vader: compound ≤ -0.05 negative, ≥ 0.05 positive)\n`,
  );
}

/**
 * How the default model's figures grow with the hand-written data it is fitted to: the hand-set
 * model alone, then the shipped recipe (`fitDefaultModel`) on growing shares of the seed corpus.
 * A post's quarter is fixed by FNV-1a of its id (its text if it has none), as the train/test split
 * keys rows, so each share holds every smaller one.
 */
function printLearningCurve(test: readonly LabelledExample[]): void {
  const corpus = readLabelledCsv(readFileSync(resolveFromProjectRoot(SEED_CORPUS), 'utf8')).examples;
  const quarterOf = (example: LabelledExample) => bucketOf(example.id ?? example.text, CURVE_QUARTERS.length);
  const fits: Array<{ name: string; model: ScoringModel }> = [{ name: 'hand-set model, no seed posts', model: handSetModel() }];
  for (const quarters of CURVE_QUARTERS) {
    const part = corpus.filter((example) => quarterOf(example) < quarters);
    process.stderr.write(`Learning curve: fitting on ${part.length} seed posts\n`);
    fits.push({ name: `fitted on ${part.length} seed posts (${quarters}/${CURVE_QUARTERS.length})`, model: fitDefaultModel(part) });
  }
  const rows = fits.map(({ name, model }) => {
    const predict = careScorer(new CareScorer({ model }));
    const { complaint, polarity } = complaintAndPolarity(
      test,
      test.map((example) => predict(example.text)),
    );
    return [name, complaint.f1.toFixed(3), polarity.macroF1.toFixed(3)];
  });
  process.stdout.write(
    `\nLearning curve of the default model on the test part (${SEED_CORPUS}, ${corpus.length} posts):\n` +
      `${formatTable(['model', 'complaint F1', 'polarity macro-F1'], rows)}\n`,
  );
}

/** Says how AIRLINE_REASON_MAPPING assigns fault, from the mapping itself. */
function faultMappingLine(): string {
  const reasonsByFault = new Map<string, string[]>();
  for (const [reason, { fault }] of Object.entries(AIRLINE_REASON_MAPPING)) reasonsByFault.set(fault, [...(reasonsByFault.get(fault) ?? []), reason]);
  const [usual] = [...reasonsByFault].sort(([, a], [, b]) => b.length - a.length)[0];
  const exceptions = [...reasonsByFault].filter(([fault]) => fault !== usual).flatMap(([fault, reasons]) => reasons.map((reason) => `"${reason}" → ${fault}`));
  const neverLabelled = FAULTS.filter((fault) => !reasonsByFault.has(fault));
  return (
    `fault mapping (AIRLINE_REASON_MAPPING): every airline reason → ${usual}${exceptions.length > 0 ? `, except ${exceptions.join(', ')}` : ''}` +
    (neverLabelled.length > 0 ? `; no reason maps to ${neverLabelled.join(' or ')}` : '')
  );
}

/** Development aid (--examples): the default model's most frequent misses and false alarms, on stderr. */
function printErrors(result: ScorerResult, test: readonly LabelledExample[]): void {
  const texts = (wanted: (actual: boolean, predicted: boolean) => boolean) =>
    test.flatMap((example, index) => (example.complaint !== undefined && wanted(example.complaint, result.predictions[index].complaint) ? [example.text] : []));
  const show = (title: string, values: string[]) => {
    const top = mostFrequent(values, EXAMPLES_SHOWN);
    process.stderr.write(`\n${result.name}: ${title} (${values.length} in all, ${top.length} most frequent):\n`);
    for (const { value, count } of top) process.stderr.write(`  ${count}x  ${truncate(value, 100)}\n`);
  };
  show(
    'false negatives, complaints missed',
    texts((actual, predicted) => actual && !predicted),
  );
  show(
    'false positives, complaints that were not',
    texts((actual, predicted) => !actual && predicted),
  );
}

/**
 * The `score` command as a process: spawned, fed CLI_POSTS JSON lines from the test texts (unique
 * ids), timed from spawn to exit, so start-up counts. Every input line must get its output line.
 */
async function benchCli(texts: readonly string[]): Promise<{ postsPerSecond: number } | undefined> {
  const cli = resolveFromProjectRoot('dist/src/cli/main.js');
  if (!existsSync(cli)) {
    process.stdout.write(`\nCLI not built (${path.relative(process.cwd(), cli) || cli} is missing): end-to-end throughput skipped\n`);
    return undefined;
  }
  const ids = Array.from({ length: CLI_POSTS }, (_unused, index) => `bench-${index + 1}`);
  const input = ids.map((id, index) => JSON.stringify({ id, text: texts[index % texts.length] })).join('\n') + '\n';
  process.stderr.write(`Running node ${path.relative(process.cwd(), cli)} score on ${CLI_POSTS.toLocaleString('en')} lines\n`);

  const stdout: Buffer[] = [];
  let stderr = '';
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'score'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let exitedAt = 0;
  const finished = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => {
      exitedAt = performance.now();
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  // A command that dies early closes its stdin; the exit status below says why.
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  const { code, signal } = await finished;
  const seconds = (exitedAt - started) / 1000;

  if (code !== 0) throw new Error(`the score command exited with ${code ?? `signal ${signal}`}; its stderr ended with:\n${stderr}`);
  const lines = Buffer.concat(stdout).toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== CLI_POSTS) {
    throw new Error(
      `the score command wrote ${lines.length.toLocaleString('en')} lines for ${CLI_POSTS.toLocaleString('en')} input lines; its stderr ended with:\n${stderr}`,
    );
  }
  lines.forEach((line, index) => {
    let id: unknown;
    try {
      id = (JSON.parse(line) as { id?: unknown }).id;
    } catch {
      throw new Error(`output line ${index + 1} of the score command is not JSON: ${truncate(line, 200)}`);
    }
    if (id !== ids[index])
      throw new Error(`output line ${index + 1} of the score command has id ${JSON.stringify(id)}, expected "${ids[index]}" (same order as the input)`);
  });

  const postsPerSecond = CLI_POSTS / seconds;
  process.stdout.write(
    `\nThe score command end to end: ${CLI_POSTS.toLocaleString('en')} JSON lines (the test texts repeated, unique ids) through node ${path.relative(process.cwd(), cli)} score\n` +
      `  ${seconds.toFixed(2)} s from spawn to exit, process start-up included: ${perSecond(postsPerSecond)} posts/s; ${lines.length.toLocaleString('en')} output lines, ids in input order` +
      `${stderr.trim() === '' ? '' : '; it also wrote to stderr (its last lines are on stderr)'}\n`,
  );
  if (stderr.trim() !== '') process.stderr.write(`The score command's stderr ended with:\n${stderr}\n`);
  return { postsPerSecond };
}

function target(label: string, measured: string, met: boolean): string {
  return `  ${label}: ${measured} - ${met ? 'met' : 'NOT met'}`;
}

function perSecond(value: number): string {
  return Math.round(value).toLocaleString('en');
}
