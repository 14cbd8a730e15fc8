import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root';
import { FAULTS, POLARITIES, SEVERITY_FLAGS } from '../../src/domain/scoring/post-score';
import { parseModel, type ModelJson } from '../../src/domain/scoring/scoring-model';
import { SCORE_LINE_KEYS } from '../support/score-contract';

/** The compiled command as `npm run cli` runs it (`npm test` builds dist/ first). */
const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], stdin = ''): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => undefined); // a command that exits before reading its input
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Every stdout line must be JSON: parse them all (a stray banner or log line fails here). */
function outputLines(stdout: string): Array<Record<string, unknown>> {
  if (stdout === '') return [];
  expect(stdout.endsWith('\n')).toBe(true);
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function expectContract(line: Record<string, unknown>): void {
  expect(Object.keys(line)).toEqual(SCORE_LINE_KEYS);
  expect(POLARITIES).toContain(line.polarity);
  expect(typeof line.polarityScore).toBe('number');
  expect(line.polarityScore).toBeGreaterThanOrEqual(-1);
  expect(line.polarityScore).toBeLessThanOrEqual(1);
  expect(typeof line.complaint).toBe('boolean');
  expect(line.complaintProbability).toBeGreaterThanOrEqual(0);
  expect(line.complaintProbability).toBeLessThanOrEqual(1);
  expect(typeof line.category).toBe('string');
  expect(FAULTS).toContain(line.fault);
  expect(line.faultConfidence).toBeGreaterThanOrEqual(0);
  expect(line.faultConfidence).toBeLessThanOrEqual(1);
  expect(Array.isArray(line.severity)).toBe(true);
  for (const flag of line.severity as unknown[]) expect(SEVERITY_FLAGS).toContain(flag);
  expect(typeof line.urgency).toBe('number');
  expect(line.urgency).toBeGreaterThanOrEqual(0);
  expect(line.urgency).toBeLessThanOrEqual(100);
  expect(Array.isArray(line.reasons)).toBe(true);
  for (const reason of line.reasons as unknown[]) expect(typeof reason).toBe('string');
  expect(typeof line.language).toBe('string');
}

const jsonl = (...posts: unknown[]): string => posts.map((post) => (typeof post === 'string' ? post : JSON.stringify(post))).join('\n') + '\n';

const OUR_LAYOUT = [
  'id,text,complaint,polarity,category,fault',
  '1,"day 3 and still no bag, nobody answers",yes,negative,baggage,company',
  '2,thanks for fixing it so fast,no,positive,,',
  '3,"my flight was cancelled, I want a refund",1,negative,cancellation,company',
  '4,what time does the lounge open?,false,neutral,,',
  '5,,yes,negative,,', // no text: skipped
  '6,"on hold for two hours, again",true,negative,customer_service,company',
  '7,great crew today,maybe,positive,,', // bad complaint label: skipped
].join('\n');

const AIRLINE_LAYOUT = [
  'tweet_id,airline_sentiment,airline_sentiment_confidence,negativereason,negativereason_confidence,airline,name,retweet_count,text,tweet_created',
  '570300817074462722,negative,1.0,Late Flight,1.0,Virgin America,a,0,"@VirginAmerica delayed 3 hours, no updates",2015-02-24 11:14:45 -0800',
  '570300616901320704,positive,0.67,,0.0,Virgin America,b,0,"@VirginAmerica yes, love the crew :)",2015-02-24 11:13:57 -0800',
  '570300248553349120,neutral,1.0,,,Virgin America,c,0,@VirginAmerica what is the baggage allowance?,2015-02-24 11:12:29 -0800',
  '570299953286942721,negative,1.0,Lost Luggage,1.0,Virgin America,d,0,"@VirginAmerica lost my bag, ""we are looking"" for days",2015-02-24 11:11:19 -0800',
  '570299953286942722,furious,1.0,,,Virgin America,e,0,@VirginAmerica unreadable label,2015-02-24 11:11:19 -0800',
].join('\n');

describe('the cli command', () => {
  let folder: string;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does it in pretest)`);
    folder = await mkdtemp(path.join(os.tmpdir(), 'complaint-monitor-cli-'));
  });

  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  describe('score', () => {
    it('writes one contract line per good input line, in order, echoing string and number ids', async () => {
      const posts = [
        { id: 'x-1', text: '@HalcyonAir day 3 and still no bag', lang: 'en', author: { followers: 1200 }, metrics: { likes: 3, reposts: 1, replies: 0 } },
        { id: 42, text: 'thanks for fixing it so fast!' },
        { id: 'x-3', text: 'what time does the lounge open?', lang: null, followers: 10 },
        { id: 0, text: '' },
        { id: 'x-5', text: '<p>my flight was <b>cancelled</b> &amp; nobody answers</p>'.repeat(40) },
      ];
      const result = await runCli(['score'], jsonl(...posts));

      expect(result.code).toBe(0);
      const lines = outputLines(result.stdout);
      expect(lines.map((line) => line.id)).toEqual(['x-1', 42, 'x-3', 0, 'x-5']);
      for (const line of lines) expectContract(line);
      expect(result.stderr.trim()).toBe('scored 5 posts (0 bad lines)');
    });

    it('reports bad lines with their line numbers on stderr and scores the good lines around them', async () => {
      const input = [
        JSON.stringify({ id: 'a', text: 'first' }),
        'this is not json',
        '[1, 2, 3]',
        JSON.stringify({ text: 'no id' }),
        '',
        '   ',
        JSON.stringify({ id: 'b', text: 'second' }),
        JSON.stringify({ id: 'c', text: 42 }),
        JSON.stringify({ id: 'd', text: 'wrong followers', followers: 'many' }),
        JSON.stringify({ id: 'e', text: 'last' }),
      ].join('\n');
      const result = await runCli(['score'], input);

      expect(result.code).toBe(0);
      expect(outputLines(result.stdout).map((line) => line.id)).toEqual(['a', 'b', 'e']);
      const problems = result.stderr.trim().split('\n');
      expect(problems).toEqual([
        expect.stringMatching(/^line 2: not valid JSON/),
        'line 3: expected a JSON object, got an array',
        'line 4: "id" is missing',
        'line 8: "text" must be a string, got the number 42',
        'line 9: "followers" must be a number, 0 or more, got the string "many"',
        'scored 3 posts (5 bad lines)',
      ]);
    });

    it('skips blank lines silently and accepts CRLF line ends', async () => {
      const result = await runCli(['score'], `\n\n${JSON.stringify({ id: 1, text: 'hello' })}\r\n\r\n   \n${JSON.stringify({ id: 2, text: 'bye' })}\r\n`);
      expect(result.code).toBe(0);
      expect(outputLines(result.stdout).map((line) => line.id)).toEqual([1, 2]);
      expect(result.stderr.trim()).toBe('scored 2 posts (0 bad lines)');
    });

    it('echoes a numeric id too large for a double digit for digit (Node 24)', async () => {
      const result = await runCli(['score'], '{"id":570306133677760513,"text":"still waiting for my bag"}\n');
      expect(result.code).toBe(0);
      expect(result.stdout.startsWith('{"id":570306133677760513,')).toBe(true);
    });

    it('keeps stdout to JSON lines for a large input and stops quietly when the reader goes away', async () => {
      const input = jsonl(...Array.from({ length: 5000 }, (_, index) => ({ id: index, text: `post number ${index}: still waiting for a reply` })));
      const full = await runCli(['score'], input);
      expect(full.code).toBe(0);
      expect(outputLines(full.stdout).map((line) => line.id)).toEqual(Array.from({ length: 5000 }, (_, index) => index));

      // `| head -1`: close stdout after the first chunk.
      const child = spawn(process.execPath, [MAIN, 'score'], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdin.on('error', () => undefined);
      child.stdout.once('data', () => child.stdout.destroy());
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      child.stdin.end(input.repeat(20));
      expect(await exited).toBe(0);
      expect(stderr).not.toMatch(/error|EPIPE/i);
      // It stopped at the broken pipe rather than scoring all 100,000 posts (which ends with the summary).
      expect(stderr).not.toContain('scored');
    });
  });

  describe('train and score --model', () => {
    it('trains from our layout, reports skipped rows, and writes a model parseModel accepts', async () => {
      const csv = path.join(folder, 'labels.csv');
      const out = path.join(folder, 'ours.json');
      await writeFile(csv, OUR_LAYOUT);
      const result = await runCli(['train', '--in', csv, '--out', out, '--epochs', '2', '--name', 'ours-test']);

      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('skipped line 6: the text is empty');
      expect(result.stderr).toContain('skipped line 8: complaint "maybe"');
      expect(result.stderr).toContain('labels per head: complaint 5, polarity 5, category 3, fault 3');
      expect(result.stderr).toContain(`wrote ${out}`);
      const model = parseModel(JSON.parse(await readFile(out, 'utf8')));
      expect(model.name).toBe('ours-test');
      expect(model.training?.examples).toBe(5);
      // Written beside the target and renamed: no temporary file left behind.
      expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });

    it('trains from the airline sentiment layout', async () => {
      const csv = path.join(folder, 'airline.csv');
      const out = path.join(folder, 'airline.json');
      await writeFile(csv, AIRLINE_LAYOUT);
      const result = await runCli(['train', '--in', csv, '--out', out, '--epochs', '1']);

      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('airline sentiment layout');
      expect(result.stderr).toContain('skipped line 6: airline_sentiment "furious"');
      const model = parseModel(JSON.parse(await readFile(out, 'utf8')));
      expect(model.training?.examples).toBe(4);
    });

    it('scores with a trained model file, and the model file decides', async () => {
      const csv = path.join(folder, 'for-model.csv');
      const trained = path.join(folder, 'trained.json');
      await writeFile(csv, OUR_LAYOUT);
      expect((await runCli(['train', '--in', csv, '--out', trained, '--epochs', '1'])).code).toBe(0);
      const posts = jsonl({ id: 1, text: 'day 3 and still no bag', lang: 'en' }, { id: 2, text: 'thanks, lovely flight', lang: 'en' });

      const withTrained = await runCli(['score', '--model', trained], posts);
      expect(withTrained.code).toBe(0);
      const lines = outputLines(withTrained.stdout);
      expect(lines.map((line) => line.id)).toEqual([1, 2]);
      for (const line of lines) expectContract(line);

      // A complaint head that is all bias: every post is, or is not, a complaint.
      const json = JSON.parse(await readFile(trained, 'utf8')) as ModelJson;
      for (const [bias, complaint] of [
        [1000, true],
        [-1000, false],
      ] as const) {
        const file = path.join(folder, `bias-${bias}.json`);
        await writeFile(file, JSON.stringify({ ...json, heads: { ...json.heads, complaint: { bias, weights: {} } } }));
        const result = await runCli(['score', '--model', file], posts);
        expect(result.code).toBe(0);
        expect(outputLines(result.stdout).map((line) => line.complaint)).toEqual([complaint, complaint]);
      }
    });

    it('refuses an invalid or missing model file with exit 2, naming the file and the problem', async () => {
      const invalid = path.join(folder, 'invalid.json');
      await writeFile(invalid, JSON.stringify({ format: 'complaint-monitor/scoring-model', version: 1, name: 'x', heads: {} }));
      const result = await runCli(['score', '--model', invalid], jsonl({ id: 1, text: 'hi' }));
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(invalid);
      expect(result.stderr).toContain('"heads.category" must be an object');

      const notJson = path.join(folder, 'not-json.json');
      await writeFile(notJson, 'model, please');
      const garbled = await runCli(['score', '--model', notJson], '');
      expect(garbled.code).toBe(2);
      expect(garbled.stderr).toContain(`${notJson}: the model file is not valid JSON`);

      const missing = await runCli(['score', '--model', path.join(folder, 'nowhere.json')], '');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('nowhere.json: cannot read the model file (no such file)');
    });

    it('says clearly when training has nothing to work with', async () => {
      const noLabels = path.join(folder, 'no-labels.csv');
      await writeFile(noLabels, 'id,text\n1,hello\n');
      const csvError = await runCli(['train', '--in', noLabels, '--out', path.join(folder, 'never.json')]);
      expect(csvError.code).toBe(1);
      expect(csvError.stderr).toContain('the header has no label column');

      const allSkipped = path.join(folder, 'all-skipped.csv');
      await writeFile(allSkipped, 'text,complaint\nhello,perhaps\n');
      const empty = await runCli(['train', '--in', allSkipped, '--out', path.join(folder, 'never.json')]);
      expect(empty.code).toBe(1);
      expect(empty.stderr).toContain('no usable examples');

      const unreadable = await runCli(['train', '--in', path.join(folder, 'absent.csv'), '--out', path.join(folder, 'never.json')]);
      expect(unreadable.code).toBe(2);
      expect(unreadable.stderr).toContain('absent.csv: cannot read the labelled file (no such file)');

      const noOut = await runCli(['train', '--in', noLabels]);
      expect(noOut.code).toBe(2);
      expect(noOut.stderr).toContain('train needs --out');
      expect(existsSync(path.join(folder, 'never.json'))).toBe(false);
    });
  });

  describe('usage', () => {
    it('exits 2 on an unknown command or option, with nothing on stdout', async () => {
      for (const args of [['rank'], ['score', '--fast'], []]) {
        const result = await runCli(args);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/^error: /);
      }
    });

    it('prints the usage for help and --help', async () => {
      for (const args of [['help'], ['--help'], ['score', '--help']]) {
        const result = await runCli(args);
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('npm run --silent cli -- score');
        expect(result.stdout).toContain('npm run --silent cli -- train');
      }
    });
  });
});
