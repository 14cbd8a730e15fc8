import type { Polarity } from '../src/domain/scoring/post-score';

/**
 * Pure measures for `npm run bench -- scoring`: the fixed train/test split, the classification
 * figures it prints, the baselines' decision rules and the table layout. No I/O, no clock.
 */

/** FNV-1a, 32-bit, over the string's UTF-8 bytes (offset basis 2166136261, prime 16777619). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** One row in TEST_BUCKETS is in the test part: FNV-1a 32-bit of its key mod 5 is 0 (about 20%). */
export const TEST_BUCKETS = 5;

export function isTestKey(key: string): boolean {
  return bucketOf(key, TEST_BUCKETS) === 0;
}

/** Which of `buckets` fixed buckets a row falls in: FNV-1a 32-bit of its key, mod `buckets`. */
export function bucketOf(key: string, buckets: number): number {
  return fnv1a32(key) % buckets;
}

/**
 * The fixed split: a row is in the test part when FNV-1a 32-bit of its id mod 5 is 0, else in the
 * train part. A row without an id is keyed by its text. The same file always splits the same way,
 * and a row keeps its side when other rows are added or removed.
 */
export function splitTrainTest<T extends { id?: string; text: string }>(rows: readonly T[]): { train: T[]; test: T[] } {
  const train: T[] = [];
  const test: T[] = [];
  for (const row of rows) (isTestKey(row.id ?? row.text) ? test : train).push(row);
  return { train, test };
}

export interface BinaryMetrics {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** 0 when nothing was predicted positive (scikit-learn's zero_division=0). */
  precision: number;
  /** 0 when no row is actually positive. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

/** Precision, recall and F1 of the positive class. */
export function binaryMetrics(pairs: Iterable<{ actual: boolean; predicted: boolean }>): BinaryMetrics {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let trueNegatives = 0;
  for (const { actual, predicted } of pairs) {
    if (actual && predicted) truePositives += 1;
    else if (predicted) falsePositives += 1;
    else if (actual) falseNegatives += 1;
    else trueNegatives += 1;
  }
  const precision = ratio(truePositives, truePositives + falsePositives);
  const recall = ratio(truePositives, truePositives + falseNegatives);
  return { truePositives, falsePositives, falseNegatives, trueNegatives, precision, recall, f1: harmonicMean(precision, recall) };
}

export interface MulticlassMetrics<C extends string> {
  n: number;
  accuracy: number;
  /** Unweighted mean of the listed classes' F1 (a class never seen nor predicted counts 0). */
  macroF1: number;
  perClass: Record<C, { precision: number; recall: number; f1: number }>;
}

/** Accuracy and macro-F1 over the given classes, each class in turn taken as the positive one. */
export function multiclassMetrics<C extends string>(classes: readonly C[], pairs: ReadonlyArray<{ actual: C; predicted: C }>): MulticlassMetrics<C> {
  const perClass = {} as Record<C, { precision: number; recall: number; f1: number }>;
  for (const label of classes) {
    const { precision, recall, f1 } = binaryMetrics(pairs.map(({ actual, predicted }) => ({ actual: actual === label, predicted: predicted === label })));
    perClass[label] = { precision, recall, f1 };
  }
  const correct = pairs.filter(({ actual, predicted }) => actual === predicted).length;
  const macroF1 = classes.length === 0 ? 0 : classes.reduce((sum, label) => sum + perClass[label].f1, 0) / classes.length;
  return { n: pairs.length, accuracy: ratio(correct, pairs.length), macroF1, perClass };
}

/** Share of pairs where the prediction equals the label; 0 of 0 is 0. */
export function agreement(pairs: ReadonlyArray<{ actual: string; predicted: string }>): { agreeing: number; n: number; share: number } {
  const agreeing = pairs.filter(({ actual, predicted }) => actual === predicted).length;
  return { agreeing, n: pairs.length, share: ratio(agreeing, pairs.length) };
}

/** The plain lexicon rule (natural's AFINN, `sentiment`): below 0 negative, above 0 positive, else neutral. */
export function polarityFromSign(score: number): Polarity {
  if (score < 0) return 'negative';
  if (score > 0) return 'positive';
  return 'neutral';
}

/** VADER's standard thresholds on the compound score: <= -0.05 negative, >= 0.05 positive, else neutral. */
export function polarityFromVaderCompound(compound: number): Polarity {
  if (compound <= -0.05) return 'negative';
  if (compound >= 0.05) return 'positive';
  return 'neutral';
}

/** The most frequent values, most frequent first; ties keep the order they were first seen in. */
export function mostFrequent(values: Iterable<string>, limit: number): Array<{ value: string; count: number }> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts]
    .map(([value, count], order) => ({ value, count, order }))
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .slice(0, limit)
    .map(({ value, count }) => ({ value, count }));
}

/** One line, at most `max` characters (an ellipsis marks a cut). */
export function truncate(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const characters = [...line];
  return characters.length <= max ? line : `${characters.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Fixed-width columns: each as wide as its widest cell, two spaces apart. The first column is
 * left-aligned (names), the others right-aligned (figures).
 */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    widths
      .map((width, column) => (column === 0 ? (cells[column] ?? '').padEnd(width) : (cells[column] ?? '').padStart(width)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function harmonicMean(a: number, b: number): number {
  return a + b === 0 ? 0 : (2 * a * b) / (a + b);
}
