import { plainText } from './text-normaliser';

/** One word of a post, lower case, with where it stands and whether a negation covers it. */
export interface Token {
  word: string;
  /** The word with elongations squeezed to one letter ("sooo" -> "so"), for lexicon look-ups. */
  squeezed: string;
  /** A negator ("not", "never", "don't", "no") earlier in the same clause reaches this word. */
  negated: boolean;
  /** This word is itself a negator. */
  negator: boolean;
  clause: number;
  sentence: number;
  /** Came from a hashtag ("#fail", or a word of "#NeverAgain"). */
  hashtag: boolean;
}

export interface Sentence {
  /** Index of its first and one past its last token. */
  start: number;
  end: number;
  /** The sentence ended with a question mark. */
  question: boolean;
}

/** What a care agent sees at a glance before reading the words. */
export interface PostReading {
  tokens: Token[];
  sentences: Sentence[];
  /** Words written in capitals (three letters or more), a sign of shouting when there are several. */
  capsWords: number;
  /** Runs of "!!" or more, and of "?!" / "??". */
  exclamationRuns: number;
  questionRuns: number;
  /** Words stretched for emphasis ("sooooo"). */
  elongations: number;
  positiveEmoji: string[];
  negativeEmoji: string[];
  urls: number;
  handles: number;
  /** The text, decoded and with markup removed. */
  plain: string;
}

/** Words that turn what follows them in the clause around. */
const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'neither',
  'nor',
  'nobody',
  'nothing',
  'none',
  'nowhere',
  'without',
  'cannot',
  'cant',
  'dont',
  'doesnt',
  'didnt',
  'wont',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'havent',
  'hasnt',
  'hadnt',
  'couldnt',
  'wouldnt',
  'shouldnt',
  'aint',
]);

/**
 * Three-letter words that are words, not codes: in capitals they are shouting ("WHY", "NOT"),
 * while "LAX", "SKU" or "PHL" in capitals are just how codes are written.
 */
const SHORT_WORDS = new Set([
  'the',
  'and',
  'for',
  'you',
  'not',
  'why',
  'how',
  'now',
  'was',
  'are',
  'all',
  'any',
  'can',
  'did',
  'has',
  'had',
  'get',
  'got',
  'our',
  'out',
  'too',
  'who',
  'way',
  'yet',
  'bad',
  'sad',
  'mad',
  'off',
  'own',
  'see',
  'say',
  'let',
  'lie',
  'one',
  'two',
  'day',
  'her',
  'him',
  'his',
  'she',
  'nor',
  'new',
  'old',
  'big',
  'pay',
  'fix',
  'won',
  'its',
  'wtf',
  'omg',
  'ugh',
  'smh',
  'fml',
  'lol',
  'yes',
  'wow',
  'hot',
  'end',
  'put',
  'ask',
  'try',
  'use',
  'may',
  'far',
  'few',
  'per',
]);

/** A word in capitals that reads as raised voice: four letters or more, or a short word that is a word. */
function isShouted(raw: string, word: string): boolean {
  if (raw.length < 3 || raw === word || raw !== raw.toUpperCase() || /\d/.test(raw)) return false;
  return raw.length >= 4 || SHORT_WORDS.has(word);
}

/** Words that start a new statement after an answering "no" ("no I did not", "no we were told"). */
const AFTER_ANSWER = /^\s+(?:i|i'm|im|i've|ive|we|we're|you|he|she|they|it|it's|that|this|thats|sir|thanks|thank)\b/i;

function isAnswerNo(body: string, end: number): boolean {
  return AFTER_ANSWER.test(body.slice(end, end + 12));
}

/** A negation reaches at most this many words, and never past the end of its clause. */
const NEGATION_REACH = 4;

/** Conjunctions that start a new clause: "no reply and this is a disgrace". */
const CLAUSE_WORDS = new Set(['but', 'and', 'so', 'yet', 'because', 'although', 'though', 'however', 'while']);

/** Emoji and emoticons read as feeling. Only ones whose meaning in a complaint is clear. */
const NEGATIVE_EMOJI = new Set([...'😠😡🤬😤😒🙄😞😟😔😢😩😫😖😣☹🙁😕👎💩🤮🤢😑😐😓😰😱🤦😬💔🖕']);
const POSITIVE_EMOJI = new Set([...'😀😃😄😁😊☺🙂😍🥰😘😎👍👏🙌💯❤💙💚💜🧡💛🖤🤍😻✨🎉🥳🤩💕💖💗🌟⭐😇🤗👌']);
const NEGATIVE_EMOTICON = /(?:^|\s)(?:[:;=]-?[([/\\|]|:'\(|D:|>:\(|:-?c)(?=\s|$)/g;
const POSITIVE_EMOTICON = /(?:^|\s)(?:[:;=8]-?[)\]dDpP3*]|\^_?\^|<3)(?=\s|$)/g;

const URL = /\b(?:https?:\/\/|www\.)\S+/gi;
/** Handles of every platform: @name, @name@server.social (Mastodon), @name.bsky.social (Bluesky). */
const HANDLE = /@[\p{L}\p{N}_]+(?:[.@-][\p{L}\p{N}_-]+)*/gu;
const HASHTAG = /#([\p{L}\p{N}_]+)/gu;
/** Marks the words of a hashtag while the text is split (a private-use character no post contains). */
const HASHTAG_MARK = 0xe000;
const EMOJI = /\p{Extended_Pictographic}/gu;

/**
 * Reads a post the way an agent would before judging it: decodes it, sets aside handles, links
 * and emoji, splits hashtags into words, finds sentences, clauses and the reach of each negation.
 */
export function readPost(text: string): PostReading {
  let plain = plainText(text);
  // Long posts are read in full up to a bound that keeps scoring fast; complaints say what they
  // are about early.
  if (plain.length > 5000) plain = plain.slice(0, 5000);

  const positiveEmoji: string[] = [];
  const negativeEmoji: string[] = [];
  for (const match of plain.matchAll(EMOJI)) {
    const emoji = match[0];
    if (NEGATIVE_EMOJI.has(emoji)) negativeEmoji.push(emoji);
    else if (POSITIVE_EMOJI.has(emoji)) positiveEmoji.push(emoji);
  }
  let urls = 0;
  let handles = 0;
  let body = plain
    .replace(URL, () => {
      urls += 1;
      return ' ';
    })
    .replace(HANDLE, () => {
      handles += 1;
      return ' ';
    });
  for (const match of body.matchAll(NEGATIVE_EMOTICON)) negativeEmoji.push(match[0].trim());
  for (const match of body.matchAll(POSITIVE_EMOTICON)) positiveEmoji.push(match[0].trim());
  body = body.replace(NEGATIVE_EMOTICON, ' . ').replace(POSITIVE_EMOTICON, ' . ').replace(EMOJI, ' ');

  const exclamationRuns = countMatches(body, /!{2,}/g);
  const questionRuns = countMatches(body, /\?[?!]+|![?]+/g);

  // "#NeverAgain" reads as "never again"; the words keep a mark that they were a hashtag.
  body = body.replace(HASHTAG, (_, tag: string) => ` \uE000${splitHashtag(tag).join(' \uE000')} `);

  const tokens: Token[] = [];
  const sentences: Sentence[] = [];
  let capsWords = 0;
  let elongations = 0;
  let clause = 0;
  let sentence = 0;
  let sentenceStart = 0;
  let negationLeft = 0;

  const endSentence = (question: boolean): void => {
    if (tokens.length > sentenceStart) {
      sentences.push({ start: sentenceStart, end: tokens.length, question });
      sentence += 1;
      clause += 1;
      sentenceStart = tokens.length;
    } else if (question && sentences.length > 0) {
      sentences[sentences.length - 1].question = true;
    }
    negationLeft = 0;
  };

  // Words (letters, digits, apostrophes, the hashtag mark) and the punctuation between them.
  for (const match of body.matchAll(/\uE000?[\p{L}\p{N}][\p{L}\p{N}'’]*|[.!?;:,()\n]+|[-–—]{1,2}(?=\s)/gu)) {
    const piece = match[0];
    const first = piece.charCodeAt(0);
    if (PUNCTUATION_STARTS.has(piece[0])) {
      if (/[.!?\n]/.test(piece)) endSentence(piece.includes('?'));
      else {
        clause += 1;
        negationLeft = 0;
      }
      continue;
    }
    const hashtag = first === HASHTAG_MARK;
    const raw = hashtag ? piece.slice(1) : piece;
    let word = raw.toLowerCase();
    if (isShouted(raw, word)) capsWords += 1;
    if (word.endsWith("'s")) word = word.slice(0, -2);
    // Most words have no letter three times in a row; only those go through the regular expressions.
    const stretched = hasTripleCharacter(word) && /(\p{L})\1{2,}/u.test(word);
    if (stretched) {
      elongations += 1;
      word = word.replace(/(\p{L})\1{2,}/gu, '$1$1');
    }
    const compact = word.includes("'") ? word.replace(/'/g, '') : word;
    if (CLAUSE_WORDS.has(compact) && tokens.length > 0) {
      clause += 1;
      negationLeft = 0;
    }
    // "No I missed it" answers a question: the "no" negates nothing after it ("no, we didn't"
    // needs no rule, the comma ends the clause).
    const negator = NEGATORS.has(compact) && !(compact === 'no' && isAnswerNo(body, match.index + piece.length));
    tokens.push({
      word: compact,
      squeezed: stretched ? compact.replace(/(\p{L})\1+/gu, '$1') : compact,
      negated: negationLeft > 0 && !negator,
      negator,
      clause,
      sentence,
      hashtag,
    });
    if (negator) negationLeft = NEGATION_REACH;
    else if (negationLeft > 0) negationLeft -= 1;
  }
  endSentence(false);

  return { tokens, sentences, capsWords, exclamationRuns, questionRuns, elongations, positiveEmoji, negativeEmoji, urls, handles, plain };
}

/** What a punctuation piece of the word pattern starts with (words start with a letter, a digit or the hashtag mark). */
const PUNCTUATION_STARTS = new Set([...'.!?;:,()\n-–—']);

function hasTripleCharacter(word: string): boolean {
  for (let index = 2; index < word.length; index += 1) {
    const code = word.charCodeAt(index);
    if (code === word.charCodeAt(index - 1) && code === word.charCodeAt(index - 2)) return true;
  }
  return false;
}

/** "NeverAgain" -> never, again; "worst_airline" -> worst, airline; "fail" -> fail. */
function splitHashtag(tag: string): string[] {
  return tag
    .replace(/_/g, ' ')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(' ')
    .filter((part) => part.length > 0);
}

function countMatches(text: string, pattern: RegExp): number {
  let count = 0;
  for (const _ of text.matchAll(pattern)) count += 1;
  return count;
}
