import {
  agreement,
  binaryMetrics,
  fnv1a32,
  formatTable,
  isTestKey,
  mostFrequent,
  multiclassMetrics,
  polarityFromSign,
  polarityFromVaderCompound,
  splitTrainTest,
  truncate,
} from './metrics';

describe('fnv1a32', () => {
  it('gives the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes UTF-8 bytes, so a non-ASCII character is two or more bytes', () => {
    // "é" is C3 A9 in UTF-8: FNV-1a of those two bytes, step by step.
    const step = (hash: number, byte: number) => Math.imul(hash ^ byte, 0x01000193) >>> 0;
    expect(fnv1a32('é')).toBe(step(step(0x811c9dc5, 0xc3), 0xa9));
    expect(fnv1a32('é')).not.toBe(step(0x811c9dc5, 0xe9));
  });
});

describe('splitTrainTest', () => {
  const rows = Array.from({ length: 5000 }, (_unused, index) => ({ id: String(570_000_000_000_000_000n + BigInt(index * 7919)), text: `post ${index}` }));

  it('puts a row in the test part exactly when FNV-1a of its id mod 5 is 0', () => {
    const { train, test } = splitTrainTest(rows);
    expect(train.length + test.length).toBe(rows.length);
    for (const row of test) expect(fnv1a32(row.id) % 5).toBe(0);
    for (const row of train) expect(fnv1a32(row.id) % 5).not.toBe(0);
  });

  it('sends about a fifth of the rows to the test part', () => {
    const { test } = splitTrainTest(rows);
    expect(test.length / rows.length).toBeGreaterThan(0.17);
    expect(test.length / rows.length).toBeLessThan(0.23);
  });

  it('keeps each row on its side whatever else is in the file', () => {
    const whole = splitTrainTest(rows);
    const half = splitTrainTest(rows.slice(0, 2500).reverse());
    const testIds = new Set(whole.test.map((row) => row.id));
    for (const row of half.test) expect(testIds.has(row.id)).toBe(true);
    for (const row of half.train) expect(testIds.has(row.id)).toBe(false);
  });

  it('keys a row without an id by its text', () => {
    const texts = Array.from({ length: 200 }, (_unused, index) => ({ text: `no id ${index}` }));
    const { test } = splitTrainTest(texts);
    expect(test.length).toBeGreaterThan(0);
    expect(test.map((row) => row.text)).toEqual(texts.filter((row) => isTestKey(row.text)).map((row) => row.text));
  });
});

describe('binaryMetrics', () => {
  const pairs = (truePositives: number, falsePositives: number, falseNegatives: number, trueNegatives: number) => [
    ...Array.from({ length: truePositives }, () => ({ actual: true, predicted: true })),
    ...Array.from({ length: falsePositives }, () => ({ actual: false, predicted: true })),
    ...Array.from({ length: falseNegatives }, () => ({ actual: true, predicted: false })),
    ...Array.from({ length: trueNegatives }, () => ({ actual: false, predicted: false })),
  ];

  it('counts the confusion matrix and derives precision, recall and F1 of the positive class', () => {
    const result = binaryMetrics(pairs(6, 2, 4, 8));
    expect(result).toMatchObject({ truePositives: 6, falsePositives: 2, falseNegatives: 4, trueNegatives: 8 });
    expect(result.precision).toBeCloseTo(6 / 8, 10);
    expect(result.recall).toBeCloseTo(6 / 10, 10);
    expect(result.f1).toBeCloseTo((2 * 0.75 * 0.6) / (0.75 + 0.6), 10);
  });

  it('gives 0, not NaN, when nothing is predicted or nothing is positive', () => {
    const never = binaryMetrics(pairs(0, 0, 5, 5));
    expect(never.precision).toBe(0);
    expect(never.recall).toBe(0);
    expect(never.f1).toBe(0);
    const empty = binaryMetrics([]);
    expect([empty.precision, empty.recall, empty.f1]).toEqual([0, 0, 0]);
  });

  it('gives 1 for a perfect prediction', () => {
    expect(binaryMetrics(pairs(3, 0, 0, 4))).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });
});

describe('multiclassMetrics', () => {
  const classes = ['negative', 'neutral', 'positive'] as const;
  type Label = (typeof classes)[number];
  const pair = (actual: Label, predicted: Label) => ({ actual, predicted });

  it('averages the per-class F1 without weights and counts accuracy', () => {
    const pairs = [
      pair('negative', 'negative'),
      pair('negative', 'negative'),
      pair('negative', 'neutral'),
      pair('neutral', 'neutral'),
      pair('neutral', 'positive'),
      pair('positive', 'positive'),
    ];
    const result = multiclassMetrics(classes, pairs);
    // negative: P 2/2, R 2/3 -> F1 0.8; neutral: P 1/2, R 1/2 -> 0.5; positive: P 1/2, R 1/1 -> 2/3.
    expect(result.perClass.negative.f1).toBeCloseTo(0.8, 10);
    expect(result.perClass.neutral.f1).toBeCloseTo(0.5, 10);
    expect(result.perClass.positive.f1).toBeCloseTo(2 / 3, 10);
    expect(result.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 10);
    expect(result.accuracy).toBeCloseTo(4 / 6, 10);
    expect(result.n).toBe(6);
  });

  it('counts a class that is never seen nor predicted as 0 in the macro average', () => {
    const result = multiclassMetrics(classes, [pair('negative', 'negative'), pair('positive', 'positive')]);
    expect(result.perClass.neutral.f1).toBe(0);
    expect(result.macroF1).toBeCloseTo(2 / 3, 10);
    expect(result.accuracy).toBe(1);
  });
});

describe('agreement', () => {
  it('is the share of pairs whose prediction equals the label, with its n', () => {
    expect(
      agreement([
        { actual: 'delay', predicted: 'delay' },
        { actual: 'baggage', predicted: 'other' },
        { actual: 'booking', predicted: 'booking' },
        { actual: 'delay', predicted: 'cancellation' },
      ]),
    ).toEqual({ agreeing: 2, n: 4, share: 0.5 });
    expect(agreement([])).toEqual({ agreeing: 0, n: 0, share: 0 });
  });
});

describe('baseline decision rules', () => {
  it('reads a plain lexicon score by its sign', () => {
    expect(polarityFromSign(-0.1)).toBe('negative');
    expect(polarityFromSign(0)).toBe('neutral');
    expect(polarityFromSign(3)).toBe('positive');
  });

  it("applies VADER's standard compound thresholds, inclusive at ±0.05", () => {
    expect(polarityFromVaderCompound(-0.05)).toBe('negative');
    expect(polarityFromVaderCompound(-0.0499)).toBe('neutral');
    expect(polarityFromVaderCompound(0)).toBe('neutral');
    expect(polarityFromVaderCompound(0.0499)).toBe('neutral');
    expect(polarityFromVaderCompound(0.05)).toBe('positive');
    expect(polarityFromVaderCompound(-0.9)).toBe('negative');
  });
});

describe('mostFrequent', () => {
  it('lists the most frequent values first, ties in the order first seen, up to the limit', () => {
    expect(mostFrequent(['b', 'a', 'c', 'a', 'c', 'd', 'a'], 3)).toEqual([
      { value: 'a', count: 3 },
      { value: 'c', count: 2 },
      { value: 'b', count: 1 },
    ]);
    expect(mostFrequent([], 10)).toEqual([]);
  });
});

describe('truncate', () => {
  it('keeps short text whole on one line and cuts long text to the limit with an ellipsis', () => {
    expect(truncate('still waiting\nfor my bag', 100)).toBe('still waiting for my bag');
    const cut = truncate('x'.repeat(150), 100);
    expect([...cut].length).toBe(100);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('does not split an emoji', () => {
    const cut = truncate('😡'.repeat(20), 10);
    expect([...cut]).toEqual([...'😡'.repeat(9), '…']);
  });
});

describe('formatTable', () => {
  it('pads every column to its widest cell: names to the left, figures to the right', () => {
    const table = formatTable(
      ['scorer', 'F1'],
      [
        ['care', '0.912'],
        ['vader-sentiment', '0.64'],
      ],
    );
    expect(table.split('\n')).toEqual(['scorer              F1', '---------------  -----', 'care             0.912', 'vader-sentiment   0.64']);
  });
});
