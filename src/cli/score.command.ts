import type { Readable, Writable } from 'node:stream';
import type { Scorer } from '../domain/scoring/post-score';
import { messageOf } from '../common/error.util';
import { formatScoreLine, parseScoreLine } from './score-lines';

export interface ScoreRun {
  scored: number;
  badLines: number;
  /** The reader of the output went away (`| head`): the run stopped early. */
  brokenPipe: boolean;
}

/**
 * Scores JSON lines from `input` to `output`, one output line per good input line, in order;
 * problems go to `errors` as "line N: ...". Reads whole chunks and writes one string per chunk
 * (a write per post costs more than scoring it), and pauses the input while the output is full.
 */
export function scoreStream(scorer: Scorer, input: Readable, output: Writable, errors: Writable): Promise<ScoreRun> {
  const run: ScoreRun = { scored: 0, badLines: 0, brokenPipe: false };
  let pending = '';
  let lineNumber = 0;
  let scoredLines: string[] = [];
  let problems: string[] = [];

  const handleLine = (rawLine: string): void => {
    lineNumber += 1;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') return;
    const parsed = parseScoreLine(line);
    if (!parsed.ok) {
      run.badLines += 1;
      problems.push(`line ${lineNumber}: ${parsed.problem}\n`);
      return;
    }
    try {
      scoredLines.push(formatScoreLine(parsed.request.idJson, scorer.score(parsed.request.input)));
      scoredLines.push('\n');
      run.scored += 1;
    } catch (error) {
      // One post the scorer chokes on must not cost the rest of the file.
      run.badLines += 1;
      problems.push(`line ${lineNumber}: the scorer failed on this post (${messageOf(error)})\n`);
    }
  };

  const takeChunk = (chunk: string): void => {
    let newline = chunk.indexOf('\n');
    if (newline === -1) {
      // Part of a long line: keep gathering without rescanning what was gathered.
      pending += chunk;
      return;
    }
    handleLine(pending + chunk.slice(0, newline));
    let start = newline + 1;
    while ((newline = chunk.indexOf('\n', start)) !== -1) {
      handleLine(chunk.slice(start, newline));
      start = newline + 1;
    }
    pending = chunk.slice(start);
  };

  return new Promise<ScoreRun>((resolve, reject) => {
    let finished = false;
    const finish = (): void => {
      finished = true;
      resolve(run);
    };
    /** Writes what the chunk produced; false when the output asks us to wait. */
    const flush = (): boolean => {
      if (problems.length > 0) {
        errors.write(problems.join(''));
        problems = [];
      }
      if (scoredLines.length === 0) return true;
      const text = scoredLines.join('');
      scoredLines = [];
      return output.write(text);
    };

    output.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') {
        // The reader has all it wanted (`| head`): stop reading, quietly.
        run.brokenPipe = true;
        input.destroy();
        if (!finished) finish();
        return;
      }
      if (!finished) {
        finished = true;
        reject(error);
      }
    });
    input.on('error', (error) => {
      if (!finished) {
        finished = true;
        reject(error);
      }
    });

    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      if (run.brokenPipe) return;
      takeChunk(chunk);
      if (!flush()) {
        input.pause();
        output.once('drain', () => input.resume());
      }
    });
    input.on('end', () => {
      if (pending !== '') handleLine(pending);
      pending = '';
      if (problems.length > 0) errors.write(problems.join(''));
      // Resolve once everything written so far has been handed on, so the summary comes last.
      output.write(scoredLines.join(''), (error?: NodeJS.ErrnoException | null) => {
        if (error?.code === 'EPIPE') run.brokenPipe = true;
        if (!finished) finish();
      });
    });
  });
}
