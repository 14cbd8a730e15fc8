import { messageOf } from '../common/error.util';
import { isPlainObject } from '../domain/common/json';
import type { PostScore, ScoringInput } from '../domain/scoring/post-score';

/** One input line read: the id as it goes back out (JSON text) and what the scorer needs. */
export interface ScoreRequest {
  id: string | number;
  /** The id as JSON text, exactly as it will be written back. */
  idJson: string;
  input: ScoringInput;
}

export type ParsedLine = { ok: true; request: ScoreRequest } | { ok: false; problem: string };

const METRICS = ['likes', 'reposts', 'replies'] as const;

/**
 * Reads one non-blank line of `score` input. A line that cannot be scored says what is wrong
 * with it, in words a person fixing the file can act on.
 */
export function parseScoreLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return fail(`not valid JSON (${messageOf(error)})`);
  }
  if (!isPlainObject(value)) return fail(`expected a JSON object, got ${describe(value)}`);

  const id = value.id;
  let idJson: string;
  if (typeof id === 'string') {
    if (id === '') return fail('"id" must not be empty');
    idJson = JSON.stringify(id);
  } else if (typeof id === 'number') {
    if (!Number.isFinite(id)) return fail('"id" must be a finite number');
    if (Number.isInteger(id) && !Number.isSafeInteger(id)) {
      // 570306133677760513 parses to 570306133677760500: echo the digits as written, not the double.
      const source = numericIdSource(line);
      if (source === undefined) return fail(`"id" ${String(id)} is too large to echo exactly; give it as a string`);
      idJson = source;
    } else idJson = JSON.stringify(id);
  } else if (id === undefined) return fail('"id" is missing');
  else return fail(`"id" must be a non-empty string or a number, got ${describe(id)}`);

  const text = value.text;
  if (typeof text !== 'string') return fail(text === undefined ? '"text" is missing' : `"text" must be a string, got ${describe(text)}`);
  const input: ScoringInput = { text };

  const lang = value.lang;
  if (lang !== undefined && lang !== null && typeof lang !== 'string') return fail(`"lang" must be a string or null, got ${describe(lang)}`);
  if (lang !== undefined) input.lang = lang;

  const author = value.author;
  if (author !== undefined && author !== null && !isPlainObject(author)) return fail(`"author" must be an object, got ${describe(author)}`);
  const followers = value.followers;
  if (followers !== undefined && followers !== null && !isCount(followers)) return fail(`"followers" must be a number, 0 or more, got ${describe(followers)}`);
  const authorFollowers = isPlainObject(author) ? author.followers : undefined;
  if (authorFollowers !== undefined && authorFollowers !== null && !isCount(authorFollowers)) {
    return fail(`"author.followers" must be a number, 0 or more, got ${describe(authorFollowers)}`);
  }
  const reach = followers ?? authorFollowers;
  if (typeof reach === 'number') input.followers = reach;

  const metrics = value.metrics;
  if (metrics !== undefined && metrics !== null) {
    if (!isPlainObject(metrics)) return fail(`"metrics" must be an object, got ${describe(metrics)}`);
    const counts: NonNullable<ScoringInput['metrics']> = {};
    for (const name of METRICS) {
      const count = metrics[name];
      if (count === undefined || count === null) continue;
      if (!isCount(count)) return fail(`"metrics.${name}" must be a number, 0 or more, got ${describe(count)}`);
      counts[name] = count;
    }
    input.metrics = counts;
  }
  return { ok: true, request: { id, idJson, input } };
}

/** The output line for one post: the contract's keys in the contract's order, nothing more. */
export function formatScoreLine(idJson: string, score: PostScore): string {
  const rest = JSON.stringify({
    polarity: score.polarity,
    polarityScore: score.polarityScore,
    complaint: score.complaint,
    complaintProbability: score.complaintProbability,
    category: score.category,
    fault: score.fault,
    faultConfidence: score.faultConfidence,
    severity: score.severity,
    urgency: score.urgency,
    reasons: score.reasons,
    language: score.language,
  });
  // The id is spliced in as text so a large numeric id keeps its digits.
  return `{"id":${idJson},${rest.slice(1)}`;
}

function fail(problem: string): ParsedLine {
  return { ok: false, problem };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** How a wrong value is named in a message: its JSON type, with a short sample of strings and numbers. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

interface ReviverContext {
  source?: string;
}

/**
 * The top-level id's digits as written, through JSON.parse's source access (Node 21+, so on the
 * Node 24 the npm scripts use). Only run for the rare unsafe-integer id: a reviver slows parsing.
 */
function numericIdSource(line: string): string | undefined {
  const sources = new Map<object, string>();
  const root: unknown = JSON.parse(line, function (this: object, key: string, value: unknown, context?: ReviverContext) {
    if (key === 'id' && typeof value === 'number' && typeof context?.source === 'string') sources.set(this, context.source);
    return value;
  });
  return typeof root === 'object' && root !== null ? sources.get(root) : undefined;
}
