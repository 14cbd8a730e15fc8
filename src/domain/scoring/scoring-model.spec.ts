import { CareScorer, defaultModel } from './care-scorer';
import type { LabelledExample } from './labelled-data';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, ModelFileError, modelToJson, parseModel, type ModelJson, type ScoringModel } from './scoring-model';
import { trainModel } from './training';

const TEXTS = [
  'still waiting for my bag, day 3',
  'not happy with the service',
  'great, another delay',
  'thanks for fixing it so fast',
  'what time does the lounge open?',
  'you lost my bag',
  'flight cancelled because of the snow storm',
  'charged twice for the same payment and nobody answers',
  'smoke in the cabin',
  'the refund app keeps crashing',
  '😡😡😡',
  '',
];

const EXAMPLES: LabelledExample[] = [
  { text: 'still waiting for my refund, nobody answers', complaint: true, polarity: 'negative', category: 'billing_refund', fault: 'company' },
  { text: 'the refund came through, thanks', complaint: false, polarity: 'positive', category: 'billing_refund' },
  { text: 'my bag is still missing', complaint: true, polarity: 'negative', category: 'baggage', fault: 'company' },
  { text: 'my bag arrived, thank you', complaint: false, polarity: 'positive', category: 'baggage' },
  { text: 'the app keeps crashing when I pay', complaint: true, polarity: 'negative', category: 'outage', fault: 'company' },
  { text: 'the app is lovely and fast', complaint: false, polarity: 'positive' },
  { text: 'delayed by the storm, understandable', complaint: false, polarity: 'neutral', category: 'delay', fault: 'third_party' },
  { text: 'my fault, I missed the bus to the airport', complaint: true, polarity: 'negative', fault: 'customer' },
];

/** What a model file holds after being written to disk and read back. */
const roundTrip = (model: ScoringModel): ScoringModel => parseModel(JSON.parse(JSON.stringify(modelToJson(model))));

const scoresOf = (model: ScoringModel): unknown[] => {
  const scorer = new CareScorer({ model });
  return TEXTS.map((text) => scorer.score({ text, followers: 5000, metrics: { likes: 3, reposts: 1 } }));
};

/** A valid model file's JSON, to break one part of at a time. */
const validJson = (): Record<string, unknown> => JSON.parse(JSON.stringify(modelToJson(defaultModel())));

function expectModelError(json: unknown, message: string | RegExp): void {
  expect(() => parseModel(json)).toThrow(ModelFileError);
  expect(() => parseModel(json)).toThrow(message);
}

describe('modelToJson and parseModel', () => {
  it('write the format, version and name of the model', () => {
    const json = modelToJson(defaultModel());
    expect(json).toMatchObject({ format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, name: 'care-v2' });
    expect(json.format).toBe('complaint-monitor/scoring-model');
    // The shipped model says what it was fitted from.
    expect(json.training).toMatchObject({ prior: 'care-v1', examples: expect.any(Number) });
    expect(Object.keys(json.heads).sort()).toEqual(['category', 'complaint', 'fault', 'negative', 'positive']);
    expect(Object.keys(json.heads.fault).sort()).toEqual(['company', 'customer', 'third_party', 'unknown']);
  });

  it('round-trip the shipped model: the same scores', () => {
    const model = defaultModel();
    const read = roundTrip(model);
    expect(modelToJson(read)).toEqual(modelToJson(model));
    expect(scoresOf(read)).toEqual(scoresOf(model));
  });

  it('round-trip a trained model: the same scores and training record', () => {
    const model = trainModel(EXAMPLES, { now: new Date('2026-11-24T12:00:00Z'), name: 'trained-for-test' });
    const read = roundTrip(model);
    expect(read.name).toBe('trained-for-test');
    expect(read.training).toEqual(model.training);
    expect(modelToJson(read)).toEqual(modelToJson(model));
    expect(scoresOf(read)).toEqual(scoresOf(model));
    expect(scoresOf(read)).not.toEqual(scoresOf(defaultModel()));
  });

  it('write weights sorted by name, without weights too small to matter', () => {
    // A copy: defaultModel() shares its heads with the cached shipped model.
    const shipped = defaultModel();
    const model = { ...shipped, complaint: { bias: shipped.complaint.bias, weights: new Map(shipped.complaint.weights) } };
    model.complaint.weights.set('w:tiny', 0.00001);
    model.complaint.weights.set('a:first', 0.123456789);
    const weights = modelToJson(model).heads.complaint.weights;
    expect(weights['w:tiny']).toBeUndefined();
    expect(weights['a:first']).toBe(0.1235);
    const names = Object.keys(weights);
    expect(names).toEqual([...names].sort());
  });
});

describe('parseModel errors', () => {
  it('refuses what is not an object', () => {
    for (const json of [null, [], 'model', 42]) expectModelError(json, /JSON object/);
  });

  it('names the format when it is wrong', () => {
    expectModelError({ ...validJson(), format: 'something-else' }, /"format"/);
    const { format: _format, ...withoutFormat } = validJson();
    expectModelError(withoutFormat, /"format" must be "complaint-monitor\/scoring-model"/);
  });

  it('names the version when it is not supported', () => {
    expectModelError({ ...validJson(), version: 2 }, /version 2 is not supported/);
    expectModelError({ ...validJson(), version: '1' }, /version 1 is not supported/);
  });

  it('names a missing or empty name', () => {
    expectModelError({ ...validJson(), name: '  ' }, /"name"/);
  });

  it('names missing heads', () => {
    const { heads: _heads, ...withoutHeads } = validJson();
    expectModelError(withoutHeads, /"heads" must be an object/);
    for (const head of ['complaint', 'negative', 'positive', 'category', 'fault']) {
      const json = validJson() as unknown as ModelJson;
      delete (json.heads as unknown as Record<string, unknown>)[head];
      expectModelError(json, `"heads.${head}"`);
    }
  });

  it('names a head without bias or weights', () => {
    const json = validJson() as unknown as ModelJson;
    (json.heads.negative as unknown as Record<string, unknown>).bias = 'high';
    expectModelError(json, /"heads\.negative\.bias" must be a finite number/);
    const noWeights = validJson() as unknown as ModelJson;
    (noWeights.heads.category.baggage as unknown as Record<string, unknown>).weights = [];
    expectModelError(noWeights, /"heads\.category\.baggage\.weights"/);
  });

  it('names a weight that is not a finite number', () => {
    for (const weight of [Number.POSITIVE_INFINITY, Number.NaN, '1.5', null]) {
      const json = validJson() as unknown as ModelJson;
      (json.heads.complaint.weights as Record<string, unknown>)['cue:waiting'] = weight;
      expectModelError(json, '"heads.complaint.weights.cue:waiting" must be a finite number');
    }
    const json = validJson() as unknown as ModelJson;
    (json.heads.fault.company.weights as Record<string, unknown>)['fault:company'] = Number.NEGATIVE_INFINITY;
    expectModelError(json, '"heads.fault.company.weights.fault:company"');
  });

  it('names a fault that is not one of company, customer, third_party, unknown', () => {
    const json = validJson() as unknown as ModelJson;
    json.heads.fault.weather = { bias: 0, weights: {} };
    expectModelError(json, /"heads\.fault\.weather" is not one of company, customer, third_party, unknown/);
  });

  it('names an empty category head', () => {
    const json = validJson() as unknown as ModelJson;
    json.heads.category = {};
    expectModelError(json, /"heads\.category" must name at least one category/);
  });

  it('names an empty fault head', () => {
    const json = validJson() as unknown as ModelJson;
    json.heads.fault = {};
    expectModelError(json, /"heads\.fault" must name at least one of company, customer, third_party, unknown/);
  });

  it('names a training record that is not an object', () => {
    expectModelError({ ...validJson(), training: 'yesterday' }, /"training"/);
  });

  it('reads a valid file it did not write itself', () => {
    const model = parseModel({
      format: MODEL_FORMAT,
      version: MODEL_FORMAT_VERSION,
      name: 'hand-written',
      heads: {
        complaint: { bias: 0, weights: { 'cue:waiting': 2 } },
        negative: { bias: 0, weights: {} },
        positive: { bias: 0, weights: {} },
        category: { other: { bias: 0, weights: {} } },
        fault: { unknown: { bias: 0, weights: {} } },
      },
    });
    const scorer = new CareScorer({ model });
    expect(scorer.name).toBe('hand-written');
    expect(scorer.categories).toEqual(['other']);
    const result = scorer.score({ text: 'still waiting for my bag' });
    expect(result).toMatchObject({ scorer: 'hand-written', complaint: true, category: 'other', fault: 'unknown' });
  });
});
