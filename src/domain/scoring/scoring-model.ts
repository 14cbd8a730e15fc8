import { FAULTS, type Fault } from './post-score';
import { isPlainObject } from '../common/json';

/** A logistic (or softmax) unit: bias plus the weights of the features it reads. */
export interface LinearHead {
  bias: number;
  weights: Map<string, number>;
}

/**
 * Everything the care scorer has learned or was given: one linear head per question it answers.
 * Features are named (`cue:still_waiting`, `w:refund`, `b:no_repli`), so a model reads as what
 * drives it and a trained model carries the hand-set prior weights it started from.
 */
export interface ScoringModel {
  /** Shown as `PostScore.scorer`, so stored scores can be traced to the model that made them. */
  name: string;
  complaint: LinearHead;
  /** Polarity is two one-against-rest heads: negative, and positive; neither confident is neutral. */
  negative: LinearHead;
  positive: LinearHead;
  /** Softmax over the categories this model knows. */
  category: Map<string, LinearHead>;
  /** Softmax over company, customer, third party, unknown. */
  fault: Map<Fault, LinearHead>;
  /** Set on trained models: what they were trained on. */
  training?: ModelTraining;
}

export interface ModelTraining {
  trainedAt: string;
  examples: number;
  /** Examples that carried each label. */
  labels: { complaint: number; polarity: number; category: number; fault: number };
  /** The name of the model it started from (its prior). */
  prior: string;
}

export const MODEL_FORMAT = 'complaint-monitor/scoring-model';
export const MODEL_FORMAT_VERSION = 1;

export class ModelFileError extends Error {}

interface HeadJson {
  bias: number;
  weights: Record<string, number>;
}

/** The JSON written by `cli train` and read by `cli score --model` and the service's `scoring.modelFile`. */
export interface ModelJson {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  name: string;
  training?: ModelTraining;
  heads: {
    complaint: HeadJson;
    negative: HeadJson;
    positive: HeadJson;
    category: Record<string, HeadJson>;
    fault: Record<string, HeadJson>;
  };
}

export function modelToJson(model: ScoringModel): ModelJson {
  const head = (unit: LinearHead): HeadJson => ({
    bias: round(unit.bias),
    // Sorted and rounded, so a model file diffs well and tiny weights do not bloat it.
    weights: Object.fromEntries(
      [...unit.weights]
        .filter(([, weight]) => Math.abs(weight) >= 1e-4)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, weight]) => [name, round(weight)]),
    ),
  });
  const heads = (units: Map<string, LinearHead>): Record<string, HeadJson> => Object.fromEntries([...units].map(([name, unit]) => [name, head(unit)]));
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    name: model.name,
    ...(model.training ? { training: model.training } : {}),
    heads: {
      complaint: head(model.complaint),
      negative: head(model.negative),
      positive: head(model.positive),
      category: heads(model.category),
      fault: heads(model.fault),
    },
  };
}

/** Reads a model file's JSON; a file that is not a model says what is wrong with it. */
export function parseModel(json: unknown): ScoringModel {
  if (!isPlainObject(json)) throw new ModelFileError('a model file must hold a JSON object');
  if (json.format !== MODEL_FORMAT) throw new ModelFileError(`not a scoring model: "format" must be "${MODEL_FORMAT}"`);
  if (json.version !== MODEL_FORMAT_VERSION)
    throw new ModelFileError(`model format version ${String(json.version)} is not supported (this build reads version ${MODEL_FORMAT_VERSION})`);
  if (typeof json.name !== 'string' || json.name.trim() === '') throw new ModelFileError('"name" must be a non-empty string');
  const heads = json.heads;
  if (!isPlainObject(heads)) throw new ModelFileError('"heads" must be an object');
  const category = parseHeads(heads.category, 'heads.category');
  if (category.size === 0) throw new ModelFileError('"heads.category" must name at least one category');
  const fault = parseHeads(heads.fault, 'heads.fault') as Map<Fault, LinearHead>;
  // Without a fault head every post would get no fault at all, which the score contract forbids.
  if (fault.size === 0) throw new ModelFileError(`"heads.fault" must name at least one of ${FAULTS.join(', ')}`);
  for (const name of fault.keys()) {
    if (!(FAULTS as readonly string[]).includes(name)) throw new ModelFileError(`"heads.fault.${name}" is not one of ${FAULTS.join(', ')}`);
  }
  const model: ScoringModel = {
    name: json.name,
    complaint: parseHead(heads.complaint, 'heads.complaint'),
    negative: parseHead(heads.negative, 'heads.negative'),
    positive: parseHead(heads.positive, 'heads.positive'),
    category,
    fault,
  };
  if (json.training !== undefined) {
    if (!isPlainObject(json.training)) throw new ModelFileError('"training" must be an object');
    model.training = json.training as unknown as ModelTraining;
  }
  return model;
}

function parseHeads(value: unknown, path: string): Map<string, LinearHead> {
  if (!isPlainObject(value)) throw new ModelFileError(`"${path}" must be an object`);
  return new Map(Object.entries(value).map(([name, head]) => [name, parseHead(head, `${path}.${name}`)]));
}

function parseHead(value: unknown, path: string): LinearHead {
  if (!isPlainObject(value)) throw new ModelFileError(`"${path}" must be an object with "bias" and "weights"`);
  if (typeof value.bias !== 'number' || !Number.isFinite(value.bias)) throw new ModelFileError(`"${path}.bias" must be a finite number`);
  if (!isPlainObject(value.weights)) throw new ModelFileError(`"${path}.weights" must be an object of feature weights`);
  const weights = new Map<string, number>();
  for (const [feature, weight] of Object.entries(value.weights)) {
    if (typeof weight !== 'number' || !Number.isFinite(weight)) throw new ModelFileError(`"${path}.weights.${feature}" must be a finite number`);
    weights.set(feature, weight);
  }
  return { bias: value.bias, weights };
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
