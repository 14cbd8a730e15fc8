import { CareScorer, defaultModel } from './care-scorer';
import type { LabelledExample } from './labelled-data';
import { modelToJson, type LinearHead, type ScoringModel } from './scoring-model';
import { trainModel } from './training';

const now = new Date('2026-11-24T12:00:00Z');

/** Made-up posts: "zorblax" posts are complaints, "florp" posts are not; nothing else tells them apart. */
function inventedWordExamples(): LabelledExample[] {
  const places = ['at the airport', 'on the train', 'in the store', 'at home', 'on my phone', 'in the office', 'at the station', 'on the bus'];
  const times = ['today', 'this morning', 'last night', 'on monday', 'again', 'this week', 'right now', 'yesterday'];
  const examples: LabelledExample[] = [];
  for (let index = 0; index < 40; index += 1) {
    examples.push({ text: `the zorblax ${places[index % 8]} ${times[Math.floor(index / 8) % 8]}`, complaint: true });
    examples.push({ text: `the florp ${places[index % 8]} ${times[(Math.floor(index / 8) + 3) % 8]}`, complaint: false });
  }
  return examples;
}

/** A small, ordinary labelled set touching every head. */
const SMALL_SET: LabelledExample[] = [
  { text: 'still waiting for my bag, day 3', complaint: true, polarity: 'negative', category: 'baggage', fault: 'company' },
  { text: 'you lost my luggage and nobody answers', complaint: true, polarity: 'negative', category: 'baggage', fault: 'company' },
  { text: 'flight delayed 4 hours, no information', complaint: true, polarity: 'negative', category: 'delay', fault: 'company' },
  { text: 'cancelled because of the storm, rebooked fine', complaint: false, polarity: 'neutral', category: 'cancellation', fault: 'third_party' },
  { text: 'charged twice for my ticket, I want a refund', complaint: true, polarity: 'negative', category: 'billing_refund', fault: 'company' },
  { text: 'my fault, I missed the flight', complaint: true, polarity: 'negative', category: 'other', fault: 'customer' },
  { text: 'thanks for fixing it so fast', complaint: false, polarity: 'positive' },
  { text: 'lovely crew, smooth flight', complaint: false, polarity: 'positive' },
  { text: 'what time does the lounge open?', complaint: false, polarity: 'neutral' },
  { text: 'the app keeps crashing', complaint: true, polarity: 'negative', category: 'outage', fault: 'company' },
];

const headsOf = (model: ScoringModel): Array<[string, LinearHead]> => [
  ['complaint', model.complaint],
  ['negative', model.negative],
  ['positive', model.positive],
  ...[...model.category].map(([name, unit]): [string, LinearHead] => [`category.${name}`, unit]),
  ...[...model.fault].map(([name, unit]): [string, LinearHead] => [`fault.${name}`, unit]),
];

/** A head as plain data, without weights of zero (a trained head drops them). */
const plainHead = (unit: LinearHead): { bias: number; weights: Record<string, number> } => ({
  bias: unit.bias,
  weights: Object.fromEntries([...unit.weights].filter(([, weight]) => weight !== 0)),
});

const complaintProbability = (scorer: CareScorer, text: string): number => scorer.score({ text }).complaintProbability;

describe('trainModel', () => {
  it('is deterministic: the same examples give the same model', () => {
    const first = modelToJson(trainModel(SMALL_SET, { now }));
    const second = modelToJson(trainModel(SMALL_SET, { now }));
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(modelToJson(trainModel([...SMALL_SET].reverse(), { now }))).not.toEqual(first);
  });

  it('moves predictions the way the labels point', () => {
    const trained = new CareScorer({ model: trainModel(inventedWordExamples(), { now }) });
    const shipped = new CareScorer();
    for (const text of ['my zorblax broke down', 'is this zorblax normal']) {
      expect(complaintProbability(trained, text)).toBeGreaterThan(complaintProbability(shipped, text));
    }
    for (const text of ['my florp broke down', 'is this florp normal']) {
      expect(complaintProbability(trained, text)).toBeLessThan(complaintProbability(shipped, text));
    }
    expect(complaintProbability(trained, 'got a zorblax from them')).toBeGreaterThan(complaintProbability(trained, 'got a florp from them'));
  });

  it('names the learned words in the reasons', () => {
    const trained = new CareScorer({ model: trainModel(inventedWordExamples(), { now }) });
    expect(trained.score({ text: 'my zorblax broke down' }).reasons.some((reason) => reason.startsWith('learned words') && reason.includes('+zorblax'))).toBe(
      true,
    );
  });

  it("keeps the prior's cue weights that matter, with the same sign, after a small training set", () => {
    const prior = defaultModel();
    const trained = trainModel(SMALL_SET, { now });
    const trainedHeads = new Map(headsOf(trained));
    let checked = 0;
    for (const [name, unit] of headsOf(prior)) {
      const after = trainedHeads.get(name);
      expect({ name, present: after !== undefined }).toEqual({ name, present: true });
      for (const [feature, weight] of unit.weights) {
        // Weak prior weights (below 0.3) are held loosely by design: a few labels may turn them.
        if (Math.abs(weight) < 0.3) continue;
        const learned = after?.weights.get(feature);
        expect({ name, feature, sign: learned === undefined ? 'missing' : Math.sign(learned) }).toEqual({ name, feature, sign: Math.sign(weight) });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('does not train a head from examples without its label', () => {
    const prior = defaultModel();
    const categoryOnly = trainModel(
      SMALL_SET.filter((example) => example.category !== undefined).map(({ text, category }) => ({ text, category })),
      { now },
    );
    expect(plainHead(categoryOnly.complaint)).toEqual(plainHead(prior.complaint));
    expect(plainHead(categoryOnly.negative)).toEqual(plainHead(prior.negative));
    expect(plainHead(categoryOnly.positive)).toEqual(plainHead(prior.positive));
    for (const [fault, unit] of prior.fault) expect(plainHead(categoryOnly.fault.get(fault) as LinearHead)).toEqual(plainHead(unit));
    expect(categoryOnly.category.get('baggage')).not.toEqual(prior.category.get('baggage'));
    expect(categoryOnly.training?.labels).toEqual({ complaint: 0, polarity: 0, category: 7, fault: 0 });

    const complaintOnly = trainModel(
      SMALL_SET.map(({ text, complaint }) => ({ text, complaint })),
      { now },
    );
    expect(plainHead(complaintOnly.complaint)).not.toEqual(plainHead(prior.complaint));
    for (const [name, unit] of prior.category) expect(plainHead(complaintOnly.category.get(name) as LinearHead)).toEqual(plainHead(unit));
    for (const [fault, unit] of prior.fault) expect(plainHead(complaintOnly.fault.get(fault) as LinearHead)).toEqual(plainHead(unit));
    expect(plainHead(complaintOnly.positive)).toEqual(plainHead(prior.positive));
  });

  it('ignores category labels the model does not know, and says so', () => {
    const messages: string[] = [];
    const examples: LabelledExample[] = [
      { text: 'the teleporter ate my luggage', category: 'teleportation' },
      { text: 'my bag went through the teleporter', category: 'teleportation' },
      { text: 'still waiting for my bag', category: 'baggage' },
    ];
    const trained = trainModel(examples, { now, onProgress: (message) => messages.push(message) });
    expect(trained.category.has('teleportation')).toBe(false);
    expect([...trained.category.keys()]).toEqual([...defaultModel().category.keys()]);
    expect(trained.training?.labels.category).toBe(1);
    expect(messages.some((message) => message.startsWith('2 examples name a category the model does not have') && message.includes('ignored'))).toBe(true);

    const quiet: string[] = [];
    trainModel([{ text: 'still waiting for my bag', category: 'baggage' }], { now, onProgress: (message) => quiet.push(message) });
    expect(quiet.some((message) => message.includes('does not have'))).toBe(false);
  });

  it('reports progress for each epoch', () => {
    const messages: string[] = [];
    trainModel(SMALL_SET, { now, epochs: 3, onProgress: (message) => messages.push(message) });
    expect(messages.filter((message) => message.startsWith('epoch'))).toEqual([
      expect.stringMatching(/^epoch 1\/3: mean loss \d+\.\d{4}$/),
      expect.stringMatching(/^epoch 2\/3: /),
      expect.stringMatching(/^epoch 3\/3: /),
    ]);
    expect(messages.some((message) => message.startsWith('training on 10 examples (10 complaint, 10 polarity, 7 category, 7 fault labels)'))).toBe(true);
  });

  it('trains for the number of epochs asked, which must be a whole number of at least 1', () => {
    for (const epochs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => trainModel(SMALL_SET, { now, epochs })).toThrow(RangeError);
    }
    expect(() => trainModel(SMALL_SET, { now, epochs: 0 })).toThrow(/epochs/);
    expect(modelToJson(trainModel(SMALL_SET, { now, epochs: 1 }))).not.toEqual(modelToJson(trainModel(SMALL_SET, { now, epochs: 4 })));
  });

  it('records what it was trained on', () => {
    const trained = trainModel(SMALL_SET, { now });
    expect(trained.name).toBe('care-v2+trained');
    expect(trained.training).toEqual({
      trainedAt: '2026-11-24T12:00:00.000Z',
      examples: 10,
      labels: { complaint: 10, polarity: 10, category: 7, fault: 7 },
      prior: 'care-v2',
    });
    expect(trainModel(SMALL_SET, { now, name: 'airline-2026' }).name).toBe('airline-2026');
    const retrained = trainModel(SMALL_SET, { now, prior: trained });
    expect(retrained.name).toBe('care-v2+trained+trained');
    expect(retrained.training?.prior).toBe('care-v2+trained');
  });

  it('trains the categories it is given', () => {
    const categories = [
      { id: 'billing', cues: ['invoice*', 'charged'] },
      { id: 'other', cues: [] },
    ];
    const trained = trainModel(
      [
        { text: 'my invoice is wrong', category: 'billing' },
        { text: 'charged twice again', category: 'billing' },
        { text: 'still waiting for a reply', category: 'other' },
      ],
      { now, categories },
    );
    expect([...trained.category.keys()]).toEqual(['billing', 'other']);
    expect(trained.training?.labels.category).toBe(3);
    expect(new CareScorer({ model: trained, categories }).score({ text: 'the invoice is wrong' }).category).toBe('billing');
  });
});
