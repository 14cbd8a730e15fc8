import { runScoringBench } from './scoring.bench';
import { runSourcesBench } from './sources.bench';

/** `npm run bench -- <name>`: each benchmark prints what it measured, with its baseline run in the same process. */
const BENCHMARKS: Record<string, { describe: string; run: (args: string[]) => Promise<void> }> = {
  sources: { describe: 'storing 100-post pages, and polling ten sources with full pages (event-loop delay)', run: runSourcesBench },
  scoring: {
    describe:
      'the care scorer (default and trained) against natural AFINN, sentiment and vader-sentiment on the airline test part, posts/s, the score command end to end',
    run: runScoringBench,
  },
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const benchmark = name === undefined ? undefined : BENCHMARKS[name];
  if (!benchmark) {
    const list = Object.entries(BENCHMARKS).map(([key, value]) => `  ${key}: ${value.describe}`);
    process.stderr.write(`${name === undefined ? 'Name a benchmark' : `Unknown benchmark "${name}"`}. Usage: npm run bench -- <name>\n${list.join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  await benchmark.run(args);
}

main().catch((error: unknown) => {
  process.stderr.write(`Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
