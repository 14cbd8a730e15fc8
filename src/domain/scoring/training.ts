import { DEFAULT_CATEGORIES, defaultModel, extractorFor, handSetModel, type CategoryDefinition } from './care-scorer';
import { isWordFeature } from './features';
import { sigmoid, softmax } from './logistic';
import type { LabelledExample } from './labelled-data';
import type { LinearHead, ModelTraining, ScoringModel } from './scoring-model';

/** A model that says what it was trained on. */
export type TrainedModel = ScoringModel & { training: ModelTraining };

export interface TrainingOptions {
  /** The model training starts from and is pulled back towards (default: the shipped care-v2). */
  prior?: ScoringModel;
  categories?: readonly CategoryDefinition[];
  /** Passes over the examples (default 5). */
  epochs?: number;
  /** Name of the trained model (default: `<prior>+trained`). */
  name?: string;
  now?: Date;
  /** Progress lines for long runs ("epoch 3/8: loss 0.31"). */
  onProgress?: (message: string) => void;
}

/** A word must occur in this many examples before the model may weigh it: one-off words are noise. */
const MIN_WORD_EXAMPLES = 2;
const LEARNING_RATE = 0.05;
/** Pull towards the prior (cue features) or towards zero (words), per update. */
const PRIOR_PULL = 0.01;
const WORD_EVIDENCE_SCALE = 0.3;

interface Sample {
  features: Array<[string, number]>;
  complaint?: number;
  negative?: number;
  positive?: number;
  category?: number;
  fault?: number;
}

/** One trainable unit with AdaGrad step sizes, starting from the prior's weights. */
class TrainableHead {
  readonly weights: Map<string, number>;
  private readonly squared = new Map<string, number>();
  private biasSquared = 0;
  bias: number;

  constructor(private readonly prior: LinearHead) {
    this.weights = new Map(prior.weights);
    this.bias = prior.bias;
  }

  logit(features: Array<[string, number]>): number {
    let sum = this.bias;
    for (const [name, value] of features) sum += (this.weights.get(name) ?? 0) * value;
    return sum;
  }

  /** One gradient step: `error` is prediction minus truth (dLoss/dLogit). */
  update(features: Array<[string, number]>, error: number): void {
    for (const [name, value] of features) {
      const current = this.weights.get(name) ?? 0;
      const gradient = error * value + PRIOR_PULL * (current - (this.prior.weights.get(name) ?? 0));
      const squared = (this.squared.get(name) ?? 0) + gradient * gradient;
      this.squared.set(name, squared);
      this.weights.set(name, current - (LEARNING_RATE * gradient) / Math.sqrt(squared + 1e-8));
    }
    const biasGradient = error;
    this.biasSquared += biasGradient * biasGradient;
    this.bias -= (LEARNING_RATE * biasGradient) / Math.sqrt(this.biasSquared + 1e-8);
  }

  toHead(): LinearHead {
    return { bias: this.bias, weights: new Map([...this.weights].filter(([, weight]) => Math.abs(weight) >= 1e-4)) };
  }
}

/**
 * Fits every head to the labels the examples carry, starting from the prior and pulled back
 * towards it, so a few labels adjust the prior rather than replace it. Logistic
 * regression (softmax for category and fault) with AdaGrad, in a fixed order: the same examples
 * always give the same model.
 */
export function trainModel(examples: readonly LabelledExample[], options: TrainingOptions = {}): TrainedModel {
  const categoryDefinitions = options.categories ?? DEFAULT_CATEGORIES;
  const prior = options.prior ?? defaultModel(categoryDefinitions);
  const epochs = options.epochs ?? 5;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`epochs must be a whole number of at least 1 (got ${epochs})`);
  const progress = options.onProgress ?? (() => undefined);
  const categories = [...prior.category.keys()];
  const faults = [...prior.fault.keys()];
  const extractor = extractorFor(categories, categoryDefinitions);

  // Read every example once; keep words seen in enough examples.
  const read = examples.map((example) => ({ example, values: extractor.extract(example.text, true).bag.values }));
  const wordCounts = new Map<string, number>();
  for (const { values } of read) {
    for (const name of values.keys()) if (isWordFeature(name)) wordCounts.set(name, (wordCounts.get(name) ?? 0) + 1);
  }
  const labels = { complaint: 0, polarity: 0, category: 0, fault: 0 };
  let unknownCategories = 0;
  const samples: Sample[] = [];
  for (const { example, values } of read) {
    const features: Array<[string, number]> = [];
    for (const [name, value] of values) {
      if (value !== 0 && (!isWordFeature(name) || (wordCounts.get(name) ?? 0) >= MIN_WORD_EXAMPLES)) features.push([name, value]);
    }
    const sample: Sample = { features };
    if (example.complaint !== undefined) {
      sample.complaint = example.complaint ? 1 : 0;
      labels.complaint += 1;
    }
    if (example.polarity !== undefined) {
      sample.negative = example.polarity === 'negative' ? 1 : 0;
      sample.positive = example.polarity === 'positive' ? 1 : 0;
      labels.polarity += 1;
    }
    if (example.category !== undefined) {
      const index = categories.indexOf(example.category);
      if (index >= 0) {
        sample.category = index;
        labels.category += 1;
      } else unknownCategories += 1;
    }
    if (example.fault !== undefined) {
      const index = faults.indexOf(example.fault);
      if (index >= 0) {
        sample.fault = index;
        labels.fault += 1;
      }
    }
    samples.push(sample);
  }
  if (unknownCategories > 0)
    progress(`${unknownCategories} examples name a category the model does not have (it has: ${categories.join(', ')}); their category is ignored`);
  progress(
    `training on ${samples.length} examples (${labels.complaint} complaint, ${labels.polarity} polarity, ${labels.category} category, ${labels.fault} fault labels), ${[...wordCounts.values()].filter((count) => count >= MIN_WORD_EXAMPLES).length} word features`,
  );

  const complaint = new TrainableHead(withWordEvidence(prior.complaint, samples, (sample) => sample.complaint));
  // Polarity generalised better from zero word weights than from the naive Bayes start.
  const negative = new TrainableHead(prior.negative);
  const positive = new TrainableHead(prior.positive);
  const categoryHeads = categories.map((name) => new TrainableHead(prior.category.get(name) ?? { bias: 0, weights: new Map() }));
  const faultHeads = faults.map((name) => new TrainableHead(prior.fault.get(name) ?? { bias: 0, weights: new Map() }));

  const random = seededRandom(20261124);
  const order = samples.map((_, index) => index);
  for (let epoch = 1; epoch <= epochs; epoch += 1) {
    shuffle(order, random);
    let loss = 0;
    let counted = 0;
    for (const index of order) {
      const sample = samples[index];
      for (const [unit, target] of [
        [complaint, sample.complaint],
        [negative, sample.negative],
        [positive, sample.positive],
      ] as const) {
        if (target === undefined) continue;
        const probability = sigmoid(unit.logit(sample.features));
        loss -= target === 1 ? Math.log(Math.max(probability, 1e-12)) : Math.log(Math.max(1 - probability, 1e-12));
        counted += 1;
        unit.update(sample.features, probability - target);
      }
      for (const [units, target] of [
        [categoryHeads, sample.category],
        [faultHeads, sample.fault],
      ] as const) {
        if (target === undefined) continue;
        const probabilities = softmax(units.map((unit) => unit.logit(sample.features)));
        loss -= Math.log(Math.max(probabilities[target], 1e-12));
        counted += 1;
        units.forEach((unit, k) => unit.update(sample.features, probabilities[k] - (k === target ? 1 : 0)));
      }
    }
    progress(`epoch ${epoch}/${epochs}: mean loss ${(counted > 0 ? loss / counted : 0).toFixed(4)}`);
  }

  return {
    name: options.name ?? `${prior.name}+trained`,
    complaint: complaint.toHead(),
    negative: negative.toHead(),
    positive: positive.toHead(),
    category: new Map(categories.map((name, index) => [name, categoryHeads[index].toHead()])),
    fault: new Map(faults.map((name, index) => [name, faultHeads[index].toHead()])),
    training: { trainedAt: (options.now ?? new Date()).toISOString(), examples: samples.length, labels, prior: prior.name },
  };
}

/**
 * Starts each word's weight at how much more often it appears with the label than without
 * (smoothed log-count ratio, as naive Bayes would weigh it), scaled down; logistic regression
 * then corrects it. Short posts give few examples per word, and this start generalises better
 * than zero (Wang and Manning, 2012, "Baselines and bigrams").
 */
function withWordEvidence(prior: LinearHead, samples: readonly Sample[], target: (sample: Sample) => number | undefined): LinearHead {
  const withLabel = new Map<string, number>();
  const without = new Map<string, number>();
  let withTotal = 0;
  let withoutTotal = 0;
  for (const sample of samples) {
    const label = target(sample);
    if (label === undefined) continue;
    const counts = label === 1 ? withLabel : without;
    for (const [name] of sample.features) {
      if (!isWordFeature(name)) continue;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (label === 1) withTotal += 1;
      else withoutTotal += 1;
    }
  }
  const weights = new Map(prior.weights);
  if (withTotal === 0 || withoutTotal === 0) return { bias: prior.bias, weights };
  const names = new Set([...withLabel.keys(), ...without.keys()]);
  for (const name of names) {
    const ratio = Math.log(((withLabel.get(name) ?? 0) + 1) / (withTotal + names.size) / (((without.get(name) ?? 0) + 1) / (withoutTotal + names.size)));
    weights.set(name, (weights.get(name) ?? 0) + WORD_EVIDENCE_SCALE * ratio);
  }
  return { bias: prior.bias, weights };
}

/** mulberry32: a small seeded generator, so training is reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(order: number[], random: () => number): void {
  for (let index = order.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other], order[index]];
  }
}

/** Name and settings of the shipped model; `npm run fit-default-model` writes it from the seed corpus. */
const SHIPPED_MODEL_NAME = 'care-v2';

/** The shipped model: the hand-set model fitted to the seed corpus, reproducibly (fixed order, fixed date). */
export function fitDefaultModel(seedExamples: readonly LabelledExample[]): TrainedModel {
  return trainModel(seedExamples, { prior: handSetModel(), name: SHIPPED_MODEL_NAME, epochs: 5, now: new Date('2026-11-24T00:00:00.000Z') });
}
