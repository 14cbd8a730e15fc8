// First, before anything that could load a library: keeps dotenv quiet (see the module).
import './quiet-environment';
import { CareScorer } from '../domain/scoring/care-scorer';
import { parseArguments, USAGE, type ScoreArguments } from './cli-arguments';
import { CliError, EXIT_USAGE, UsageError } from './cli-error';
import { loadModelFile } from './model-file';
import { scoreStream } from './score.command';
import { trainCommand } from './train.command';

/**
 * `npm run --silent cli -- <command>`: the scorer without the service. Imports only the scoring
 * domain and Node built-ins (no NestJS, TypeORM or config), so it starts in milliseconds and its
 * stdout carries nothing but results.
 */
async function main(argv: readonly string[]): Promise<number> {
  const args = parseArguments(argv);
  switch (args.command) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'score':
      return score(args);
    case 'train':
      await trainCommand(args, (line) => process.stderr.write(`${line}\n`));
      return 0;
  }
}

async function score(args: ScoreArguments): Promise<number> {
  const model = args.modelFile === undefined ? undefined : loadModelFile(args.modelFile, '--model');
  const scorer = new CareScorer(model ? { model } : {});
  const run = await scoreStream(scorer, process.stdin, process.stdout, process.stderr);
  if (run.brokenPipe) return 0;
  process.stderr.write(`scored ${run.scored} posts (${run.badLines} bad lines)\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    // exitCode, not exit(): output still queued for a pipe is written before the process ends.
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`error: ${error.message}\n`);
      if (error instanceof UsageError || error.exitCode === EXIT_USAGE) process.stderr.write('Run "npm run --silent cli -- help" for usage.\n');
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
