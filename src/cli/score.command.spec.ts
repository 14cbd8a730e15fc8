import { PassThrough, Readable, Writable } from 'node:stream';
import type { PostScore, Scorer, ScoringInput } from '../domain/scoring/post-score';
import { scoreStream } from './score.command';

/** Echoes what it was given in the reasons, so a test can tell which input produced which line. */
const echoScorer: Scorer = {
  name: 'echo',
  score(input: ScoringInput): PostScore {
    if (input.text === 'explode') throw new Error('boom');
    return {
      polarity: 'neutral',
      polarityScore: 0,
      complaint: false,
      complaintProbability: 0,
      category: 'other',
      fault: 'unknown',
      faultConfidence: 0,
      severity: [],
      urgency: input.followers ?? 0,
      reasons: [input.text],
      language: input.lang ?? 'und',
      scorer: 'echo',
    };
  },
};

class Collector extends Writable {
  text = '';
  constructor(private readonly delayMs = 0) {
    super({ highWaterMark: 16 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    if (this.delayMs > 0) setTimeout(done, this.delayMs);
    else done();
  }
}

describe('scoreStream', () => {
  it('scores in order across chunk boundaries, skips blank lines and reports bad ones with their line numbers', async () => {
    const input = [
      '{"id":1,"text":"first"}',
      '',
      '   ',
      'nope',
      '{"id":"b","text":"second","followers":5}\r',
      '{"id":3,"text":"explode"}',
      '{"id":4,"text":"last, no newline"}',
    ].join('\n');
    // Three-character chunks split lines, and one multi-byte character, everywhere.
    const chunks: Buffer[] = [];
    const bytes = Buffer.from(input.replace('second', 'sécond'));
    for (let index = 0; index < bytes.length; index += 3) chunks.push(bytes.subarray(index, index + 3));
    const output = new Collector();
    const errors = new Collector();

    const run = await scoreStream(echoScorer, Readable.from(chunks), output, errors);

    expect(run).toEqual({ scored: 3, badLines: 2, brokenPipe: false });
    const lines = output.text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ id: 1, reasons: ['first'] }),
      expect.objectContaining({ id: 'b', reasons: ['sécond'], urgency: 5 }),
      expect.objectContaining({ id: 4, reasons: ['last, no newline'] }),
    ]);
    expect(errors.text).toMatch(/^line 4: not valid JSON/m);
    expect(errors.text).toMatch(/^line 6: the scorer failed on this post \(boom\)$/m);
    expect(errors.text.trim().split('\n')).toHaveLength(2);
  });

  it('waits for a slow reader and still delivers every line, in order', async () => {
    const total = 3000;
    const input = Array.from({ length: total }, (_, index) => JSON.stringify({ id: index, text: `post ${index}` })).join('\n');
    const output = new Collector(1);
    const source = new PassThrough({ highWaterMark: 256 });
    let pauses = 0;
    source.on('pause', () => (pauses += 1));
    const running = scoreStream(echoScorer, source, output, new Collector());
    for (let index = 0; index < input.length; index += 4096) source.write(input.slice(index, index + 4096));
    source.end();

    const run = await running;
    // The full output made the command stop reading until the reader drained it.
    expect(pauses).toBeGreaterThan(0);
    expect(run.scored).toBe(total);
    const ids = output.text
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: number }).id);
    expect(ids).toEqual(Array.from({ length: total }, (_, index) => index));
  });

  it('stops quietly when the reader goes away (EPIPE)', async () => {
    const source = new PassThrough();
    const output = new Collector();
    const running = scoreStream(echoScorer, source, output, new Collector());
    source.write('{"id":1,"text":"a"}\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(output.text).toContain('"id":1');
    output.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));

    await expect(running).resolves.toEqual({ scored: 1, badLines: 0, brokenPipe: true });
    expect(source.destroyed).toBe(true);
  });

  it('fails on any other output error', async () => {
    const source = new PassThrough();
    const output = new Collector();
    const running = scoreStream(echoScorer, source, output, new Collector());
    output.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' }));
    await expect(running).rejects.toThrow('disk full');
    source.destroy();
  });
});
