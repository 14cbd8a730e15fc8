import { CUE_GROUPS, SEVERITY_CUES } from './care-lexicon';
import { FeatureExtractor, isWordFeature, wordFeatureNames, type CategoryDefinition, type PostFeatures } from './features';
import { detectLanguage, platformLanguage } from './language';
import { sigmoid, softmax } from './logistic';
import { FALLBACK_CATEGORY, FAULTS, type Fault, type Polarity, type PostScore, type Scorer, type ScoringInput } from './post-score';
import fittedModelJson from './care-v2.model.json';
import { parseModel, type LinearHead, type ScoringModel } from './scoring-model';

export type { CategoryDefinition } from './features';

export interface CareScorerOptions {
  /** Defaults to the model shipped with the product, care-v2 (`defaultModel`). */
  model?: ScoringModel;
  /** Defaults to DEFAULT_CATEGORIES; config `scoring.categories` replaces them per industry. */
  categories?: readonly CategoryDefinition[];
}

/**
 * Categories for consumer services (travel, retail, telecoms, software), with the words that point
 * to each. A deployment can replace them per industry in config (`scoring.categories`).
 */
export const DEFAULT_CATEGORIES: readonly CategoryDefinition[] = [
  {
    id: 'delay',
    cues: [
      'delay*',
      'late',
      'later than',
      'behind schedule',
      'running late',
      'still at the gate',
      'tarmac',
      'runway',
      'sitting on',
      'departure',
      'take off',
      'taking off',
      'pushback',
      'long line*',
      'queue*',
      'line',
      'lines',
      'wait time*',
      'waiting time*',
      'slow',
      'taking forever',
      'takes forever',
      'eta',
      'not here yet',
      'still not here',
      'missed my connection',
      'missed connection',
      'misconnect*',
      'connecting flight',
      'connection',
      'hours late',
      'minutes late',
      'on time',
    ],
  },
  { id: 'cancellation', cues: ['cancel*', 'called off', 'scrapped', 'discontinued', 'rebook*', 're book', 'no longer running', 'no longer available'] },
  {
    id: 'baggage',
    cues: [
      'bag',
      'bags',
      'baggage',
      'luggage',
      'suitcase*',
      'carry on',
      'carryon',
      'checked bag*',
      'stroller',
      'car seat',
      'belongings',
      'lost and found',
      'baggage claim',
      'carousel',
      'delivered my bag',
    ],
  },
  {
    id: 'billing_refund',
    cues: [
      'refund*',
      'charge',
      'charges',
      'charged',
      'charging',
      'bill',
      'billed',
      'billing',
      'invoice*',
      'payment*',
      'paid',
      'pay',
      'paying',
      'fee',
      'fees',
      'price*',
      'pricing',
      'money',
      'credit card',
      'debit',
      'overcharg*',
      'reimburs*',
      'compensat*',
      'voucher*',
      'credit',
      'cost',
      'costs',
      'subscription',
      'dollars',
      'bucks',
      'cash',
      'expensive',
      'deposit',
    ],
  },
  {
    id: 'booking',
    cues: [
      'book',
      'booked',
      'booking*',
      'reservation*',
      'reserve*',
      'ticket*',
      'seat assignment',
      'seats',
      'itinerary',
      'confirmation',
      'check in',
      'checkin',
      'boarding pass*',
      'upgrade*',
      'change my flight',
      'change my reservation',
      'name change',
      'points',
      'miles',
      'award',
      'my order',
      'order',
      'ordered',
      'checkout',
      'cart',
      'appointment',
      'schedule change',
    ],
  },
  {
    id: 'staff_conduct',
    cues: [
      'rude*',
      'attendant*',
      'flight attendant*',
      'staff',
      'crew',
      'employee*',
      'gate agent*',
      'pilot*',
      'attitude',
      'yelled',
      'yelling',
      'screamed',
      'laughed at',
      'condescending',
      'unprofessional',
      'disrespect*',
      'driver',
      'cashier',
      'waiter',
      'waitress',
      'technician',
      'treated',
      'mean',
      'nasty',
      'arrogant',
    ],
  },
  {
    id: 'product_defect',
    cues: [
      'defective',
      'faulty',
      'quality',
      'dirty',
      'filthy',
      'broken seat',
      'seat broken',
      'wifi',
      'wi fi',
      'entertainment',
      'tv',
      'screen',
      'food',
      'meal*',
      'snack*',
      'drink*',
      'coffee',
      'bathroom',
      'toilet',
      'lavatory',
      'legroom',
      'leg room',
      'uncomfortable',
      'cramped',
      'smell*',
      'temperature',
      'air conditioning',
      'heat',
      'outlet',
      'charger',
      'stopped working',
      'doesnt work',
      'not working',
      'broke',
      'broken',
      'battery',
      'device',
      'product',
      'item',
      'package',
      'arrived damaged',
      'plane',
      'aircraft',
      'cabin',
      'seat',
      'flight was',
    ],
  },
  {
    id: 'outage',
    cues: [
      'is down',
      'was down',
      'are down',
      'down again',
      'outage*',
      'website',
      'site',
      'app',
      'online',
      'error*',
      'crash*',
      'glitch*',
      'bug',
      'login',
      'log in',
      'sign in',
      'password',
      'servers',
      'server',
      'not loading',
      'wont load',
      'page',
      'internet',
      'network',
      'no signal',
      'no service',
      'no internet',
      'offline',
      'system*',
    ],
  },
  {
    id: 'customer_service',
    cues: [
      'customer service',
      'customer care',
      'customer support',
      'service',
      'hold',
      'on hold',
      'call',
      'called',
      'calling',
      'calls',
      'phone*',
      'hung up',
      'email*',
      'e mail',
      'reply',
      'replies',
      'respond*',
      'response',
      'answer*',
      'dm',
      'dms',
      'chat',
      'representative*',
      'rep',
      'reps',
      'help desk',
      'helpline',
      'hotline',
      'contact*',
      'reach',
      'support',
      'complaint*',
      'nobody',
      'no one',
      'told me',
      'was told',
      'transferred',
      'supervisor',
      'ignored',
      'ignoring',
      'agent',
      'agents',
      'help',
      'helpful',
      'unhelpful',
      'no help',
    ],
  },
  { id: FALLBACK_CATEGORY, cues: [] },
];

/** The ids of the categories shipped by default, `other` last. */
export const DEFAULT_CATEGORY_IDS: readonly string[] = DEFAULT_CATEGORIES.map((definition) => definition.id);

type Weights = Readonly<Record<string, number>>;

/**
 * The hand-set model shipped with the product: weights on the lexicon's cue features only, set
 * by reading how complaints are written, never fitted to a data set. Training starts from it and
 * adds per-word weights learned from the labels it is given.
 */
const COMPLAINT_PRIOR: Weights = {
  'cue:waiting': 1.6,
  'cue:failure': 1.4,
  'cue:failure_negated': -0.3,
  'cue:dissatisfied': 1.5,
  'cue:demand': 1.1,
  'cue:churn': 1.6,
  'cue:repeat': 0.6,
  'cue:sarcasm': 1.3,
  'cue:duration': 0.9,
  'cue:thanks': -1.0,
  'post:only_positive': -1.2,
  'cue:praise': -0.8,
  'cue:praise_negated': 1.4,
  'cue:resolved': -1.6,
  'cue:resolved_negated': 1.5,
  'cue:request': 0.3,
  'q:info': -1.1,
  'q:info_failure': -1.5,
  'sent:neg': 1.6,
  'sent:pos': -0.8,
  'emoji:neg': 1.3,
  'emoji:pos': -0.9,
  'style:caps': 0.5,
  'style:exclaim': 0.4,
  'style:qrun': 0.5,
  'style:elongation': 0.2,
  'has:url': -0.5,
  'len:short': -0.3,
  'sev:any': 1.6,
  'fault:company': 0.5,
  'fault:customer': -0.3,
  'fault:third_party': 0.2,
};

const NEGATIVE_PRIOR: Weights = { ...COMPLAINT_PRIOR, 'sent:neg': 1.9, 'emoji:neg': 1.6, 'cue:demand': 0.8, 'cue:request': 0.1 };

const POSITIVE_PRIOR: Weights = {
  'post:only_positive': 1.0,
  'cue:thanks': 2.0,
  'cue:praise': 1.5,
  'cue:resolved': 1.4,
  'sent:pos': 1.8,
  'emoji:pos': 1.5,
  'sent:neg': -1.5,
  'cue:dissatisfied': -1.5,
  'cue:failure': -1.0,
  'cue:waiting': -1.4,
  'cue:sarcasm': -2.5,
  'cue:praise_negated': -1.5,
  'cue:resolved_negated': -1.5,
  'cue:churn': -1.5,
  'cue:demand': -0.8,
  'cue:duration': -0.6,
  'q:info': -0.6,
  'q:question': -0.4,
  'emoji:neg': -1.2,
  'style:exclaim': 0.3,
  'sev:any': -1.0,
};

const FAULT_PRIOR: Readonly<Record<Fault, { bias: number; weights: Weights }>> = {
  company: {
    bias: -0.8,
    weights: {
      'fault:company': 1.2,
      'cue:failure': 0.8,
      'cue:waiting': 0.7,
      'cue:dissatisfied': 0.4,
      'cue:demand': 0.3,
      'cue:churn': 0.5,
      'cue:sarcasm': 0.3,
      'fault:third_party': -0.6,
      'fault:customer': -0.8,
    },
  },
  customer: { bias: -2.5, weights: { 'fault:customer': 3.2 } },
  third_party: { bias: -2.3, weights: { 'fault:third_party': 2.4 } },
  unknown: { bias: 0.5, weights: {} },
};

const head = (bias: number, weights: Weights): LinearHead => ({ bias, weights: new Map(Object.entries(weights)) });

/**
 * The hand-set model (`care-v1`, the weights above): the prior the shipped model was fitted from,
 * and the category heads for a deployment's own categories.
 */
export function handSetModel(categories: readonly CategoryDefinition[] = DEFAULT_CATEGORIES): ScoringModel {
  const category = new Map<string, LinearHead>();
  for (const definition of withFallback(categories)) {
    category.set(definition.id, definition.id === FALLBACK_CATEGORY ? head(0.9, {}) : head(0, { [`cat:${definition.id}`]: 2.0 }));
  }
  return {
    name: 'care-v1',
    complaint: head(-0.3, COMPLAINT_PRIOR),
    negative: head(-0.4, NEGATIVE_PRIOR),
    positive: head(-1.6, POSITIVE_PRIOR),
    category,
    fault: new Map(FAULTS.map((fault) => [fault, head(FAULT_PRIOR[fault].bias, FAULT_PRIOR[fault].weights)])),
  };
}

let fitted: ScoringModel | null = null;

/**
 * The model shipped by default, `care-v2`: the hand-set model fitted to `assets/seed-corpus.csv`,
 * posts to brands of many industries written for this project (see `fitDefaultModel` in
 * training.ts; a test holds the file to what the corpus gives). It never saw the airline set.
 * A deployment with categories of its own gets the hand-set category heads for them.
 */
export function defaultModel(categories: readonly CategoryDefinition[] = DEFAULT_CATEGORIES): ScoringModel {
  fitted ??= parseModel(fittedModelJson);
  const handSet = handSetModel(categories);
  const fittedKnowsAll = [...handSet.category.keys()].every((id) => fitted?.category.has(id));
  const category = new Map([...handSet.category].map(([id, hand]) => [id, (fittedKnowsAll ? fitted?.category.get(id) : undefined) ?? hand]));
  return { ...fitted, category };
}

/**
 * The feature extractor for a model's categories, with their cues from `definitions` (config) or
 * else the defaults. Scoring and training both read posts through it, so they read them alike.
 */
export function extractorFor(categoryIds: readonly string[], definitions: readonly CategoryDefinition[]): FeatureExtractor {
  const known = new Map(definitions.map((definition) => [definition.id, definition]));
  for (const fallback of DEFAULT_CATEGORIES) if (!known.has(fallback.id)) known.set(fallback.id, fallback);
  return new FeatureExtractor(categoryIds.map((id) => known.get(id) ?? { id, cues: [] }));
}

function withFallback(categories: readonly CategoryDefinition[]): readonly CategoryDefinition[] {
  return categories.some((definition) => definition.id === FALLBACK_CATEGORY) ? categories : [...categories, { id: FALLBACK_CATEGORY, cues: [] }];
}

/**
 * All heads of a model in one table: feature name -> its weight in every output, so scoring a
 * post costs one look-up per feature.
 */
export class CompiledModel {
  /** Outputs: complaint, negative, positive, then the categories, then the faults. */
  readonly bias: Float64Array;
  readonly categories: string[];
  readonly faults: Fault[];
  /** Whether any head weighs per-word features: fitted models (the shipped care-v2 too) do, the hand-set model does not. */
  readonly readsWords: boolean;
  /** Where each feature's row starts in `matrix`; the rows sit side by side so a post's look-ups stay close in memory. */
  private readonly rowStart = new Map<string, number>();
  private readonly matrix: Float64Array;
  private readonly outputs: number;

  constructor(readonly model: ScoringModel) {
    this.categories = [...model.category.keys()];
    this.faults = [...model.fault.keys()];
    const heads: LinearHead[] = [model.complaint, model.negative, model.positive, ...model.category.values(), ...model.fault.values()];
    this.outputs = heads.length;
    this.bias = Float64Array.from(heads.map((unit) => unit.bias));
    let readsWords = false;
    for (const unit of heads)
      for (const feature of unit.weights.keys())
        if (!this.rowStart.has(feature)) {
          this.rowStart.set(feature, this.rowStart.size * this.outputs);
          if (isWordFeature(feature)) readsWords = true;
        }
    this.readsWords = readsWords;
    this.matrix = new Float64Array(this.rowStart.size * this.outputs);
    heads.forEach((unit, output) => {
      for (const [feature, weight] of unit.weights) this.matrix[(this.rowStart.get(feature) ?? 0) + output] = weight;
    });
  }

  /** One feature's weight for one output (0 when the model does not know the feature). */
  weight(feature: string, output: number): number {
    const start = this.rowStart.get(feature);
    return start === undefined ? 0 : this.matrix[start + output];
  }

  /** Raw scores (logits) of every output for one post's features; per-word features have the value 1. */
  logits(values: ReadonlyMap<string, number>, words: readonly string[] = []): Float64Array {
    const out = this.bias.slice();
    const { matrix, outputs } = this;
    for (const [feature, value] of values) {
      const start = this.rowStart.get(feature);
      if (start === undefined) continue;
      for (let output = 0; output < outputs; output += 1) out[output] += matrix[start + output] * value;
    }
    for (const feature of words) {
      const start = this.rowStart.get(feature);
      if (start === undefined) continue;
      for (let output = 0; output < outputs; output += 1) out[output] += matrix[start + output];
    }
    return out;
  }
}

const COMPLAINT = 0;
const NEGATIVE = 1;
const POSITIVE = 2;

/** Readable names of the features, for the reasons: the cue groups name themselves. */
const FEATURE_LABELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(CUE_GROUPS.map((group) => [`cue:${group.id}`, group.label])),
  'cue:failure_negated': 'says nothing went wrong',
  'cue:duration': 'counting the time lost',
  'cue:praise_negated': 'praise denied',
  'cue:resolved_negated': 'not solved',
  'q:info': 'a question asking for information',
  'q:info_failure': 'asks about a problem rather than reporting one',
  'sent:neg': 'negative words',
  'sent:pos': 'positive words',
  'emoji:neg': 'negative emoji',
  'emoji:pos': 'positive emoji',
  'style:caps': 'shouting in capitals',
  'style:exclaim': 'repeated exclamation marks',
  'style:qrun': '"?!" or "??"',
  'has:url': 'shares a link',
  'sev:any': 'a serious matter',
};

/**
 * The care scorer: reads a post (negation, sarcasm, questions, emoji, shouting), matches the
 * domain lexicon, and weighs it all with a linear model per question: complaint, polarity,
 * category and fault. The shipped model is the hand-set one fitted to the seed corpus; `train` adds what labels teach.
 */
export class CareScorer implements Scorer {
  readonly name: string;
  readonly categories: string[];
  private readonly extractor: FeatureExtractor;
  private readonly compiled: CompiledModel;

  constructor(options: CareScorerOptions = {}) {
    const categories = withFallback(options.categories ?? DEFAULT_CATEGORIES);
    const model = options.model ?? defaultModel(categories);
    this.compiled = new CompiledModel(model);
    this.name = model.name;
    this.categories = this.compiled.categories;
    this.extractor = extractorFor(this.categories, categories);
  }

  /** The features the model reads for a text, as training reads them (for tests and error analysis). */
  features(text: string): PostFeatures {
    return this.extractor.extract(text, true);
  }

  score(input: ScoringInput): PostScore {
    const given = platformLanguage(input.lang);
    if (given !== null && given !== 'en') return this.unscored(given);
    const text = typeof input.text === 'string' ? input.text : '';
    const features = this.extractor.extract(text, false);
    const language =
      given ??
      detectLanguage(
        features.reading.tokens.map((token) => token.word),
        features.reading.plain,
      );
    if (language !== 'en') return this.unscored(language);
    if (features.reading.tokens.length === 0 && features.reading.negativeEmoji.length === 0 && features.reading.positiveEmoji.length === 0) {
      return { ...this.neutral('en'), reasons: ['no words to read'] };
    }
    const words = this.compiled.readsWords ? wordFeatureNames(features.reading.tokens) : [];
    return this.judge(features, words, input);
  }

  private judge({ bag, severity }: PostFeatures, words: readonly string[], input: ScoringInput): PostScore {
    const logits = this.compiled.logits(bag.values, words);
    const complaintProbability = round(sigmoid(logits[COMPLAINT]));
    const complaint = complaintProbability >= 0.5;
    const negative = sigmoid(logits[NEGATIVE]);
    const positive = sigmoid(logits[POSITIVE]);
    let polarity: Polarity = 'neutral';
    if (negative >= 0.5 && negative >= positive) polarity = 'negative';
    else if (positive >= 0.5) polarity = 'positive';
    let polarityScore = round(positive - negative);
    if (polarity === 'negative' && polarityScore >= 0) polarityScore = -0.001;
    if (polarity === 'positive' && polarityScore <= 0) polarityScore = 0.001;

    const categoryStart = 3;
    const categoryProbabilities = softmax(logits.subarray(categoryStart, categoryStart + this.categories.length));
    const categoryIndex = argmax(categoryProbabilities);
    const category = this.categories[categoryIndex];
    const faultStart = categoryStart + this.categories.length;
    const faultProbabilities = softmax(logits.subarray(faultStart, faultStart + this.compiled.faults.length));
    const faultIndex = argmax(faultProbabilities);
    // Fault is a question about a complaint; for other posts there is nothing to blame.
    const fault: Fault = complaint ? this.compiled.faults[faultIndex] : 'unknown';
    const faultConfidence = complaint ? round(faultProbabilities[faultIndex]) : 0;

    const reasons = this.reasonsFor(bag, words, { polarity, complaint, complaintProbability, category, fault, faultConfidence });
    for (const { flag, snippet } of severity) reasons.push(`severity ${SEVERITY_LABELS.get(flag) ?? flag}: "${snippet}"`);

    const urgency = urgencyOf({ complaintProbability, complaint, negative, severity: severity.length, bag, input });
    return {
      polarity,
      polarityScore,
      complaint,
      complaintProbability,
      category,
      fault,
      faultConfidence,
      severity: severity.map((entry) => entry.flag),
      urgency,
      reasons,
      language: 'en',
      scorer: this.name,
    };
  }

  /** The features that moved the complaint score most, in words an agent reads at a glance. */
  private reasonsFor(
    bag: PostFeatures['bag'],
    words: readonly string[],
    verdict: { polarity: Polarity; complaint: boolean; complaintProbability: number; category: string; fault: Fault; faultConfidence: number },
  ): string[] {
    const contributions: Array<{ feature: string; amount: number }> = [];
    for (const [feature, value] of bag.values) {
      const amount = this.compiled.weight(feature, COMPLAINT) * value;
      if (Math.abs(amount) >= 0.25) contributions.push({ feature, amount });
    }
    for (const feature of words) {
      const amount = this.compiled.weight(feature, COMPLAINT);
      if (Math.abs(amount) >= 0.25) contributions.push({ feature, amount });
    }
    contributions.sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount));
    const reasons: string[] = [];
    reasons.push(`${verdict.complaint ? 'complaint' : 'not a complaint'} (probability ${verdict.complaintProbability})`);
    const learned: string[] = [];
    for (const { feature, amount } of contributions) {
      const direction = amount > 0 ? '+' : '−';
      if (isWordFeature(feature)) {
        if (learned.length < 4) learned.push(`${direction}${feature.slice(2).replace('_', ' ').replace('!', 'not ')}`);
        continue;
      }
      if (reasons.length >= 7) continue;
      const label = FEATURE_LABELS[feature] ?? feature.replace(/^[a-z]+:/, '').replace(/_/g, ' ');
      const evidence = bag.evidence.get(feature);
      reasons.push(`${direction} ${label}${quoted(evidence)}`);
    }
    if (learned.length > 0) reasons.push(`learned words: ${learned.join(', ')}`);
    reasons.push(`${verdict.polarity} tone`);
    const categoryEvidence = bag.evidence.get(`cat:${verdict.category}`);
    reasons.push(`category ${verdict.category}${quoted(categoryEvidence)}`);
    if (verdict.complaint) {
      const faultEvidence = verdict.fault === 'unknown' ? undefined : bag.evidence.get(`fault:${verdict.fault}`);
      reasons.push(`fault ${verdict.fault} (confidence ${verdict.faultConfidence})${quoted(faultEvidence)}`);
    }
    return reasons;
  }

  private unscored(language: string): PostScore {
    return { ...this.neutral(language), reasons: [`written in "${language}", which this scorer does not read: a person should`], unscoredLanguage: language };
  }

  private neutral(language: string): PostScore {
    return {
      polarity: 'neutral',
      polarityScore: 0,
      complaint: false,
      complaintProbability: 0,
      category: FALLBACK_CATEGORY,
      fault: 'unknown',
      faultConfidence: 0,
      severity: [],
      urgency: 0,
      reasons: [],
      language,
      scorer: this.name,
    };
  }
}

const SEVERITY_LABELS = new Map(SEVERITY_CUES.map((entry) => [entry.flag, entry.label]));

/**
 * 0-100: how soon a person should look. A likely, angry, serious complaint from someone many
 * people read, already spreading, comes first.
 */
function urgencyOf(context: {
  complaintProbability: number;
  complaint: boolean;
  negative: number;
  severity: number;
  bag: PostFeatures['bag'];
  input: ScoringInput;
}): number {
  const { complaintProbability, complaint, negative, severity, bag, input } = context;
  const followers = Math.max(0, Number(input.followers) || 0);
  const metrics = input.metrics ?? {};
  const engagement = Math.max(0, Number(metrics.reposts) || 0) * 3 + Math.max(0, Number(metrics.replies) || 0) * 2 + Math.max(0, Number(metrics.likes) || 0);
  const reach = Math.min(15, 3 * Math.max(0, Math.log10(1 + followers) - 2)) + Math.min(15, 5 * Math.log10(1 + engagement));
  let urgency: number;
  if (complaint) {
    urgency = 30 + 30 * (complaintProbability - 0.5) * 2 + 10 * negative;
    urgency += 6 * Math.min(1, bag.get('style:caps') + bag.get('style:exclaim'));
    urgency += 6 * Math.min(1, bag.get('cue:waiting') + bag.get('cue:duration'));
    urgency += 6 * Math.min(1, bag.get('cue:churn'));
    urgency += 22 * Math.min(2, severity);
    urgency += reach;
  } else {
    urgency = 20 * complaintProbability + 15 * Math.min(2, severity) + reach / 3;
  }
  return Math.max(0, Math.min(100, Math.round(urgency)));
}

/** `: "still no", "on hold"` after a reason, or nothing when no words stand behind it. */
function quoted(snippets: readonly string[] | undefined): string {
  return snippets && snippets.length > 0 ? `: ${snippets.map((snippet) => `"${snippet}"`).join(', ')}` : '';
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let index = 1; index < values.length; index += 1) if (values[index] > values[best]) best = index;
  return best;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
