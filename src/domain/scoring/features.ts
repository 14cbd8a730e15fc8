import { SentimentAnalyzer } from 'natural/lib/natural/sentiment';
import { PorterStemmer } from 'natural/lib/natural/stemmers';
import { CUE_GROUPS, DURATION_UNITS, FAULT_CUES, INFO_OPENERS, SEVERITY_CUES } from './care-lexicon';
import { PhraseMatcher, isNumberWord } from './phrase-matcher';
import type { SeverityFlag } from './post-score';
import { readPost, type PostReading, type Token } from './tweet-reader';

/** A category a deployment recognises, with the phrases that point to it (lower case; `*` ends a prefix). */
export interface CategoryDefinition {
  id: string;
  cues: string[];
}

/** Named feature values of one post, with the words behind each for the reasons. */
export class FeatureBag {
  readonly values = new Map<string, number>();
  readonly evidence = new Map<string, string[]>();

  add(name: string, value = 1, snippet?: string): void {
    this.values.set(name, (this.values.get(name) ?? 0) + value);
    if (snippet !== undefined) this.note(name, snippet);
  }

  /** Records the words behind a feature whose value is set later (a sum over the post). */
  note(name: string, snippet: string): void {
    const list = this.evidence.get(name);
    if (!list) this.evidence.set(name, [snippet]);
    else if (list.length < 4 && !list.includes(snippet)) list.push(snippet);
  }

  set(name: string, value: number): void {
    this.values.set(name, value);
  }

  get(name: string): number {
    return this.values.get(name) ?? 0;
  }
}

export interface PostFeatures {
  bag: FeatureBag;
  severity: Array<{ flag: SeverityFlag; snippet: string }>;
  reading: PostReading;
}

/** Groups of cues whose meaning a negation reverses ("not delayed", "not helpful"). */
const NEGATABLE = new Set(['failure', 'dissatisfied', 'praise', 'thanks', 'resolved']);
/** Complaint evidence: a sentence with one of these is not an innocent question. */
const COMPLAINT_GROUPS = new Set(['cue:waiting', 'cue:failure', 'cue:dissatisfied', 'cue:churn', 'cue:sarcasm', 'cue:praise_negated', 'cue:resolved_negated']);
/** What keeps thanks or praise from making a post a happy customer's: complaint evidence, or a demand. */
const TROUBLE_GROUPS = [...COMPLAINT_GROUPS, 'cue:demand'];
const POSITIVE_GROUPS = new Set(['cue:praise', 'cue:thanks']);
/** What turns praise in the same sentence into sarcasm ("great, another delay"). */
const BAD_NEWS_GROUPS = new Set(['cue:failure', 'cue:waiting']);

/** Words that set what follows against what came before: "the crew were great but the bag is lost". */
const CONTRAST_WORDS = new Set(['but', 'however']);
/** How much a word counts before and after a contrast in its sentence; the part after carries the verdict. */
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
/** A sentence's sides: no contrast, before its "but", after it. */
const SIDES_PER_SENTENCE = 3;

/** Pieces of run-together hashtags that give their verdict away. */
const NEGATIVE_TAG_PARTS = [
  'fail',
  'worst',
  'never',
  'hate',
  'suck',
  'disappoint',
  'terrible',
  'awful',
  'horrible',
  'delay',
  'cancel',
  'lost',
  'boycott',
  'shame',
  'unacceptable',
  'ripoff',
  'scam',
  'nothanks',
  'notcool',
  'nothappy',
  'badservice',
  'poorservice',
  'frustrat',
  'stuck',
  'stranded',
  'ridiculous',
  'joke',
  'angry',
  'annoy',
];
const POSITIVE_TAG_PARTS = ['love', 'thank', 'great', 'awesome', 'best', 'happy', 'amazing', 'excellent', 'grateful', 'kudos'];

/**
 * Words whose general-lexicon sentiment misleads on posts to brands: "help" and "please" open
 * complaints, "like" and "want" are mostly verbs, a brand called United is not a feeling. Their
 * meaning here comes from the cue groups instead.
 */
const NEUTRALISED = [
  'help',
  'please',
  'want',
  'care',
  'like',
  'hope',
  'yes',
  'no',
  'ok',
  'okay',
  'thank',
  'thanks',
  'pretty',
  'united',
  'free',
  'matter',
  'sure',
  'save',
  'share',
  'kind',
  'big',
  'ready',
  'clear',
  'support',
  'true',
  'pay',
  'god',
  'lol',
  'haha',
  'fun',
  'cool',
  'hug',
  'huge',
  'reach',
  'fine',
  'agree',
  'allow',
  'chance',
  'worth',
  'interest',
  'interested',
  'join',
  'promise',
  'promised',
  'ha',
  'yeah',
];

/** Lexicon sentiment from natural's AFINN (-5..5), with the misleading words taken out. */
const SENTIMENT: ReadonlyMap<string, number> = (() => {
  const vocabulary = (new SentimentAnalyzer('English', undefined, 'afinn') as unknown as { vocabulary: Record<string, number> }).vocabulary;
  const map = new Map<string, number>();
  for (const word in vocabulary) if (!word.includes(' ')) map.set(word.replace(/'/g, ''), vocabulary[word]);
  for (const word of NEUTRALISED) map.delete(word);
  return map;
})();

/**
 * A word's stem and the feature names built from it, made once per word and reused, so scoring
 * with a trained model looks up strings it has already hashed instead of building new ones.
 */
interface StemmedWord {
  readonly generation: number;
  readonly id: number;
  readonly stem: string;
  readonly feature: string;
  readonly negatedFeature: string;
}

/** Word ids stay below this so a pair's key (first * limit + second) is a small integer. */
const WORD_LIMIT = 1 << 15;
const PAIR_LIMIT = 1 << 20;
const STEMS = new Map<string, StemmedWord>();
/** `b:` pair names keyed by the two words' ids. */
const PAIRS = new Map<number, string>();
let nextStemId = 0;
let memoGeneration = 0;

function stemmed(word: string): StemmedWord {
  let entry = STEMS.get(word);
  if (entry === undefined) {
    const stem = word.length <= 3 || !/^[a-z]+$/.test(word) ? word : PorterStemmer.stem(word);
    // A full memo starts again (a long-running service meets ever more words).
    if (nextStemId >= WORD_LIMIT || PAIRS.size >= PAIR_LIMIT) {
      STEMS.clear();
      PAIRS.clear();
      nextStemId = 0;
      memoGeneration += 1;
    }
    entry = { generation: memoGeneration, id: nextStemId, stem, feature: `w:${stem}`, negatedFeature: `w:!${stem}` };
    nextStemId += 1;
    STEMS.set(word, entry);
  }
  return entry;
}

function pairFeature(previous: StemmedWord, next: StemmedWord): string {
  // A word met before the memo started again has an id that now names another word.
  if (previous.generation !== memoGeneration) return `b:${previous.stem}_${next.stem}`;
  const key = previous.id * WORD_LIMIT + next.id;
  let name = PAIRS.get(key);
  if (name === undefined) {
    name = `b:${previous.stem}_${next.stem}`;
    PAIRS.set(key, name);
  }
  return name;
}

/** Function words carry no signal on their own; they still count in bigrams ("no reply"). */
const STOP_WORDS = new Set([
  'the',
  'a',
  'an',
  'to',
  'of',
  'in',
  'on',
  'at',
  'for',
  'is',
  'it',
  'i',
  'my',
  'me',
  'and',
  'this',
  'that',
  'be',
  'are',
  'was',
  'with',
  'have',
  'has',
  'had',
  'so',
  'we',
  'our',
  'us',
  'im',
  'its',
  'your',
  'you',
  'from',
  'as',
  'by',
  'or',
  'am',
  'will',
  'just',
  'do',
  'get',
  'got',
  'all',
  'up',
  'out',
  'if',
  'would',
  'can',
  'there',
  'they',
  'them',
  'their',
  'what',
  'about',
  'one',
  'now',
  'been',
  'ive',
  'then',
  'than',
  'also',
]);

/** The lexicon compiled once: groups, categories, fault and severity cues in one matcher. */
export class FeatureExtractor {
  private readonly matcher = new PhraseMatcher<string>();

  constructor(readonly categories: readonly CategoryDefinition[]) {
    for (const group of CUE_GROUPS) this.matcher.addAll(group.phrases, `cue:${group.id}`);
    for (const category of categories) this.matcher.addAll(category.cues, `cat:${category.id}`);
    for (const fault of FAULT_CUES) this.matcher.addAll(fault.phrases, `fault:${fault.fault}`);
    for (const severity of SEVERITY_CUES) this.matcher.addAll(severity.phrases, `sev:${severity.flag}`);
  }

  /** Reads a post into named features. `words` adds the per-word features the learned heads use. */
  extract(text: string, words: boolean): PostFeatures {
    const reading = readPost(text);
    const { tokens } = reading;
    const bag = new FeatureBag();
    const severity: Array<{ flag: SeverityFlag; snippet: string }> = [];

    // Cue phrases, sentence by sentence, so a question or sarcasm is judged on its own sentence.
    // Sarcasm is praise and bad news on the same side of any "but": "late but the crew were
    // brilliant" is mixed, not sarcastic. So cues and feeling are counted per side of a sentence.
    const sides = reading.sentences.length * SIDES_PER_SENTENCE;
    const cuesBySide: Array<Set<string>> = Array.from({ length: sides }, () => new Set());
    const positiveBySide: number[] = new Array<number>(sides).fill(0);
    const negativeBySide: number[] = new Array<number>(sides).fill(0);
    const emphasis = contrastEmphasis(reading);
    const sideOf = (tokenIndex: number): number => sentenceOf(reading, tokenIndex) * SIDES_PER_SENTENCE + contrastSide(emphasis[tokenIndex]);
    const matches = this.matcher.findAll(tokens);
    const counted = new Set<string>();
    for (const match of matches) {
      const snippet = phraseOf(tokens, match.start, match.end);
      const first = tokens[match.start];
      let key = match.key;
      if (key.startsWith('cue:')) {
        const group = key.slice(4);
        if (first.negated && NEGATABLE.has(group)) {
          if (group === 'thanks' || group === 'dissatisfied') continue;
          key = `${key}_negated`;
        }
      } else if (key.startsWith('sev:')) {
        if (first.negated) continue;
        const flag = key.slice(4) as SeverityFlag;
        if (!severity.some((entry) => entry.flag === flag)) severity.push({ flag, snippet });
        continue;
      }
      // Each phrase counts once, and a shorter phrase inside a longer one of the same group
      // ("still" inside "still waiting") does not count again.
      const id = `${key}@${match.start}`;
      if (counted.has(id)) continue;
      counted.add(id);
      cuesBySide[sideOf(match.start)]?.add(key);
      if (POSITIVE_GROUPS.has(key)) positiveBySide[sideOf(match.start)] += 1;
      bag.add(key, key.startsWith('cue:') ? emphasis[match.start] : 1, snippet);
    }

    // General sentiment words, with negation turning them around ("not happy").
    let negative = 0;
    let positive = 0;
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index];
      const value = SENTIMENT.get(token.word) ?? (token.squeezed !== token.word ? SENTIMENT.get(token.squeezed) : undefined);
      if (value === undefined) continue;
      const signed = (token.negated ? -0.6 * value : value) * emphasis[index];
      if (signed < 0) {
        negative -= signed;
        if (signed <= -2) negativeBySide[sideOf(index)] += 1;
        bag.note('sent:neg', token.negated ? `not ${token.word}` : token.word);
      } else if (signed > 0) {
        positive += signed;
        positiveBySide[sideOf(index)] += signed >= 2 ? 1 : 0;
        bag.note('sent:pos', token.word);
      }
    }

    // Praise next to bad news in one sentence is sarcasm: "great, another delay", "love waiting".
    let sarcasticSentences = 0;
    for (let index = 0; index < reading.sentences.length; index += 1) {
      const sarcastic = sidesOf(index).some((side) => {
        const cues = cuesBySide[side];
        if (positiveBySide[side] === 0 || cues.has('cue:resolved')) return false;
        return negativeBySide[side] > 0 || [...cues].some((cue) => BAD_NEWS_GROUPS.has(cue));
      });
      if (sarcastic) {
        sarcasticSentences += 1;
        const sentence = reading.sentences[index];
        bag.add('cue:sarcasm', 1, phraseOf(tokens, sentence.start, Math.min(sentence.end, sentence.start + 8)));
      }
    }
    if (tokens.some((token) => token.hashtag && (token.word === 'not' || token.word === 'sarcasm'))) bag.add('cue:sarcasm', 1, '#not');
    // Run-together hashtags ("#worstcustomerservice", "#unitedfail") carry their verdict inside.
    for (const token of tokens) {
      if (!token.hashtag || token.word.length < 7) continue;
      if (NEGATIVE_TAG_PARTS.some((part) => token.word.includes(part))) bag.add('cue:dissatisfied', 1, `#${token.word}`);
      else if (POSITIVE_TAG_PARTS.some((part) => token.word.includes(part))) bag.add('cue:praise', 1, `#${token.word}`);
    }
    if (sarcasticSentences > 0) {
      // The praise was not meant: it must not count as praise.
      const share = Math.max(0, 1 - sarcasticSentences / Math.max(1, reading.sentences.length));
      positive *= share;
      bag.set('cue:praise', bag.get('cue:praise') * share);
      bag.set('cue:thanks', bag.get('cue:thanks') * share);
    }
    // Thanks or praise with no trouble mentioned anywhere: a happy customer.
    const trouble = TROUBLE_GROUPS.some((name) => bag.get(name) > 0);
    if (!trouble && negative < 1.5 && bag.get('cue:thanks') + bag.get('cue:praise') + bag.get('cue:resolved') > 0) bag.set('post:only_positive', 1);
    if (negative > 0) bag.set('sent:neg', Math.min(2.5, negative / 4));
    if (positive > 0) bag.set('sent:pos', Math.min(2.5, positive / 4));

    // Questions: one that opens like a request for information and carries no complaint cue is
    // a question, not a complaint ("what time does the lounge open?").
    let questions = 0;
    for (let index = 0; index < reading.sentences.length; index += 1) {
      const sentence = reading.sentences[index];
      if (!sentence.question) continue;
      questions += 1;
      const cues = new Set(sidesOf(index).flatMap((side) => [...cuesBySide[side]]));
      const opener = tokens[sentence.start]?.word;
      if (opener === undefined || !INFO_OPENERS.has(opener) || cues.has('cue:demand')) continue;
      // "Will there be delays tomorrow?" names a failure but asks about it; "why is my flight
      // delayed again?" complains. Only the first kind opens like a request for information.
      const complaining = [...cues].filter((cue) => COMPLAINT_GROUPS.has(cue));
      const snippet = phraseOf(tokens, sentence.start, Math.min(sentence.end, sentence.start + 6));
      if (complaining.length === 0) bag.add('q:info', 1, snippet);
      else if (complaining.length === 1 && complaining[0] === 'cue:failure') bag.add('q:info_failure', 1, snippet);
    }
    if (questions > 0) bag.set('q:question', 1);

    // Counting the time lost: "45 minutes", "two hours", "3 days".
    for (let index = 0; index + 1 < tokens.length; index += 1) {
      if (isNumberWord(tokens[index].word) && DURATION_UNITS.has(tokens[index + 1].word)) bag.add('cue:duration', 1, phraseOf(tokens, index, index + 2));
    }

    // How it is written.
    if (reading.capsWords >= 2) bag.set('style:caps', Math.min(2, reading.capsWords / 2));
    if (reading.exclamationRuns > 0) bag.set('style:exclaim', Math.min(2, reading.exclamationRuns));
    if (reading.questionRuns > 0) bag.set('style:qrun', 1);
    if (reading.elongations > 0) bag.set('style:elongation', 1);
    if (reading.negativeEmoji.length > 0) bag.add('emoji:neg', Math.min(2, reading.negativeEmoji.length), reading.negativeEmoji.slice(0, 3).join(''));
    if (reading.positiveEmoji.length > 0) bag.add('emoji:pos', Math.min(2, reading.positiveEmoji.length), reading.positiveEmoji.slice(0, 3).join(''));
    if (reading.urls > 0) bag.set('has:url', 1);
    if (tokens.length <= 4) bag.set('len:short', 1);
    if (severity.length > 0) bag.set('sev:any', Math.min(2, severity.length));

    // Cue counts saturate: the third "still" adds little to the second.
    for (const [name, value] of bag.values)
      if (name.startsWith('cue:') || name.startsWith('cat:') || name.startsWith('fault:')) bag.values.set(name, Math.min(2, value));

    if (words) addWordFeatures(bag, tokens);
    return { bag, severity, reading };
  }
}

/** Per-word features (`w:` stems, `b:` stem pairs): only fitted models weigh them (the shipped care-v2 does; the hand-set care-v1 does not). */
export function isWordFeature(name: string): boolean {
  return name.startsWith('w:') || name.startsWith('b:');
}

/** Stems and stem pairs, negated ones marked, for the heads that learn from labels. */
function addWordFeatures(bag: FeatureBag, tokens: readonly Token[]): void {
  for (const name of wordFeatureNames(tokens)) bag.set(name, 1);
}

/**
 * The per-word feature names of a post, each once (their value is 1). The scorer reads them as a
 * list beside the bag, which is quicker than growing the bag with them.
 */
export function wordFeatureNames(tokens: readonly Token[]): string[] {
  const names: string[] = [];
  const push = (name: string): void => {
    // Names are interned (see `stemmed`), so this scan compares references; posts are short.
    if (!names.includes(name)) names.push(name);
  };
  let previous: StemmedWord | null = null;
  let previousClause = -1;
  for (const token of tokens) {
    const word = stemmed(token.squeezed);
    if (!STOP_WORDS.has(token.word)) push(token.negated ? word.negatedFeature : word.feature);
    if (previous !== null && previousClause === token.clause) push(pairFeature(previous, word));
    previous = word;
    previousClause = token.clause;
  }
  return names;
}

/**
 * How much each word counts given the contrasts around it: words before a "but" in their
 * sentence count less, words after it more ("sorry for the wait, but the team was great" is
 * praise). A sentence that opens with "but" sets itself against the sentence before it.
 */
function contrastEmphasis(reading: PostReading): Float64Array {
  const { tokens, sentences } = reading;
  const emphasis = new Float64Array(tokens.length).fill(1);
  for (let index = 0; index < sentences.length; index += 1) {
    const { start, end } = sentences[index];
    let contrast = -1;
    for (let position = start; position < end; position += 1) if (CONTRAST_WORDS.has(tokens[position].word)) contrast = position;
    if (contrast < 0) continue;
    if (contrast === start && index > 0) {
      const previous = sentences[index - 1];
      for (let position = previous.start; position < previous.end; position += 1) emphasis[position] = BEFORE_CONTRAST;
    }
    for (let position = start; position < contrast; position += 1) emphasis[position] = BEFORE_CONTRAST;
    for (let position = contrast + 1; position < end; position += 1) emphasis[position] = AFTER_CONTRAST;
  }
  return emphasis;
}

/** Which side of a contrast a word stands on, from its emphasis (0 none, 1 before, 2 after). */
function contrastSide(emphasis: number): number {
  return emphasis === BEFORE_CONTRAST ? 1 : emphasis === AFTER_CONTRAST ? 2 : 0;
}

/** The per-side slots of one sentence. */
function sidesOf(sentence: number): number[] {
  const first = sentence * SIDES_PER_SENTENCE;
  return [first, first + 1, first + 2];
}

function sentenceOf(reading: PostReading, tokenIndex: number): number {
  return reading.tokens[tokenIndex]?.sentence ?? 0;
}

function phraseOf(tokens: readonly Token[], start: number, end: number): string {
  let phrase = '';
  for (let index = start; index < end; index += 1) phrase += (index > start ? ' ' : '') + tokens[index].word;
  return phrase;
}
