import { DiceCoefficient } from 'natural/lib/natural/distance';
import { plainText } from '../scoring/text-normaliser';

/**
 * What an agent's public reply does for the case rules: whether it really apologises (rule 4),
 * what kind of reply it is, whether it promises a follow-up (rule 5) and whether it nearly repeats
 * an earlier reply (rule 7). Pure functions of the text; times come from the caller's clock.
 */

export const REPLY_KINDS = ['acknowledgement', 'apology', 'update', 'resolution'] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

export interface ApologyVerdict {
  apology: boolean;
  /** Short, for the UI: why the reply is or is not a real apology, quoting the words behind it. */
  reason: string;
}

export interface FollowUpPromise {
  /** The promising sentence, at most 200 characters. */
  description: string;
  dueAt: Date;
  /** False when the reply named no time and `dueAt` is the policy default. */
  dueParsed: boolean;
}

export interface NearRepeat {
  /** Index into `earlier`. */
  index: number;
  similarity: number;
}

// ---------------------------------------------------------------------------------------------
// Reading the text

/** Emoji and their joiners, variation selectors and skin tones: decoration, not words. */
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u200D|\uFE0F|\u20E3/gu;

/** The reply as a person reads it: entities decoded, straight quotes, no emoji, single spaces. */
function readable(text: string): string {
  return (
    plainText(text)
      .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
      // A dash between words breaks a clause like a comma: "sorry - we got this wrong".
      .replace(/\s*[\u2013\u2014\u2015]\s*/g, ' - ')
      .replace(EMOJI, ' ')
      .replace(/[ \t\u00A0]+/g, ' ')
      .trim()
  );
}

/** Sentences end at . ! ? followed by a space, or at a line break ("5.30pm" stays whole). */
function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\s*\n+\s*/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

const CLAUSE_BREAK = /[,;:()!?.]|\s-\s|\bbut\b|\bhowever\b/i;

function quote(text: string, limit = 80): string {
  const trimmed = text.trim().replace(/[,;:\s]+$/, '');
  return `"${trimmed.length > limit ? `${trimmed.slice(0, limit - 1).trimEnd()}…` : trimmed}"`;
}

// ---------------------------------------------------------------------------------------------
// Rule 4: apologies

/** Words that say sorry. "Regrettably" and "apologetic" are not apologies. */
const APOLOGY_CUE = /\b(?:sorry|apologi[sz](?:e[sd]?|ing)|apolog(?:y|ies)|regret(?:s|ted|ting)?|my bad|our bad|forgive (?:us|me))\b/gi;

/** A negator up to two words before the cue: "we're not sorry", "we won't apologise", "no need to apologise", "nothing to apologise for". */
const NEGATED_BEFORE = /(?:\bnot|n't|\bnever|\bno|\bnothing|\bwithout)(?:\s+[\w']+){0,2}\s*$/i;
/** "We can't apologise enough" negates the limit, not the apology. */
const NOT_ENOUGH_AFTER = /^\s*enough\b/i;

/** "We regret to inform you" announces bad news; it apologises for nothing. */
const FORMULA_AFTER = /^\s*to\s+(?:inform|tell|say|advise|announce|let you know|confirm|report)\b/i;

/** "Sorry, but our policy is..." defends instead of apologising. */
const DEFLECTION_AFTER = /^\s*[,.!-]*\s*(?:but|however)\b/i;

/** Apologising for the customer's feelings rather than for what happened: "sorry you feel that way". */
const FEELINGS =
  /\byou\b[^,;.!?]{0,24}?\b(?:feel|felt|feeling|upset|offended|disappointed|unhappy|frustrated|annoyed|angry|hurt|bothered|perceive[sd]?|see it that way|think so)\b/i;

/** Hedges that doubt there was a problem at all: "any inconvenience", "may have". */
const HEDGE =
  /\b(?:whatever\s+inconvenience|any\s+(?:inconvenience|confusion|frustration|trouble|issues?|problems?|disappointment|misunderstanding|distress|upset|difficult(?:y|ies)|delays?|disruption|hassle|stress|discomfort)|(?:may|might)\s+have)\b/i;
/** "We apologise if you were upset", "if anyone was affected, we're sorry". Only next to the cue: "sorry we lost it, we'll check if it arrived" is real. */
const CONDITIONAL_AFTER = /^(?:to (?:you|anyone|those)\s+)?if\b/i;
const CONDITIONAL_START = /^\s*if\b/i;

/** Sympathy with what the customer went through, which owns nothing: "sorry to hear that", "sorry you had to wait". */
const SYMPATHY_AFTER = /^\s*(?:to\s+(?:hear|see|read|learn|know)|(?:that\s+)?you(?:'re|'ve|'d)?\b)/i;

/** A request or question straight after a bare "sorry": it apologises for nothing ("sorry, can you DM us?"). */
const REQUEST_START = /^(?:can|could|would|will|please|pls|plz|do|did|are|is|what|when|where|which|who|how|dm|send|drop|let|may|kindly|just|quick)\b/i;

/** The apology is the speaker's own statement: "we're so sorry", "I apologise", "our sincere apologies". */
const FIRST_PERSON_BEFORE = /(?:\bwe|\bi|\bour|\bmy|\bus)(?:'re|'m|'d)?(?:\s+[\w']+){0,3}\s*$/i;

/** Admissions that the company caused the failure. */
const OWNERSHIP: readonly RegExp[] = [
  /\b(?:that|this|it)(?:'s| is| was| one's| one is)(?:\s+(?:all|entirely|totally|completely|fully|squarely))?\s+on us\b/i,
  /\bour (?:own )?(?:mistake|fault|error|bad|failure|mess|screw-?up|oversight|doing)\b/i,
  /\bwe(?:'ve| have)?\s+(?:really\s+|totally\s+|completely\s+|clearly\s+)?(?:got (?:this|it|that|things) wrong|messed (?:this |it |that )?up|dropped the ball|let you down|made (?:a|an) (?:mistake|error|mess)|failed you|fell short|screwed (?:this |it |that )?up|blew it|lost your|damaged your|broke your|overcharged you|double[- ]charged you|charged you twice|cancell?ed your|missed your|sent (?:you )?the wrong|forgot)\b/i,
  /\b(?:should(?:n't| not| never)|never should) have happened\b/i,
  /\bwe (?:take|accept) (?:full |complete )?responsibility\b/i,
  /\bwe own (?:this|that|it)\b/i,
  /\bno excuse\b/i,
];

/** Denials of fault: any of these makes the reply a non-apology, whatever else it says. */
const DENIAL =
  /(?:\bnot|\b\w+n't|\bnever)\s+(?:[\w']+\s+)?(?:our (?:fault|mistake|error|doing|responsibility|problem)|on us|down to us|caused by us)\b|\b(?:beyond|outside|out of) our control\b|\bnothing to do with us\b|(?:\bnot|\b\w+n't)\s+(?:responsible|at fault|to blame)\b/i;

type ApologyFinding =
  | { kind: 'owned' | 'bare'; sentence: string }
  | { kind: 'negated' | 'formula' | 'deflection' | 'feelings' | 'sympathy' | 'courtesy' | 'conditional'; words: string }
  | { kind: 'hedged'; words: string; hedge: string };

/** Judges one apology word in its sentence. */
function judgeApologyCue(sentence: string, index: number, cue: string): ApologyFinding {
  const before = sentence.slice(0, index);
  const after = sentence.slice(index + cue.length);
  const clauseBefore = before.split(/[,;:()]|\s-\s/).pop() ?? '';
  const clauseAfter = after.split(CLAUSE_BREAK)[0].trim();
  const words = quote(`${clauseBefore}${cue} ${clauseAfter}`);

  if (NEGATED_BEFORE.test(before) && !NOT_ENOUGH_AFTER.test(after)) return { kind: 'negated', words };
  if (/^regret/i.test(cue) && FORMULA_AFTER.test(after)) return { kind: 'formula', words };
  if (DEFLECTION_AFTER.test(after)) return { kind: 'deflection', words: quote(`${clauseBefore}${cue}, but`) };
  if (CONDITIONAL_AFTER.test(clauseAfter) || CONDITIONAL_START.test(before)) return { kind: 'conditional', words: quote(`${before}${cue} ${clauseAfter}`) };
  if (FEELINGS.test(clauseAfter)) return { kind: 'feelings', words };
  const hedge = HEDGE.exec(clauseAfter);
  if (hedge) return { kind: 'hedged', words, hedge: hedge[0] };
  if (SYMPATHY_AFTER.test(clauseAfter)) return { kind: 'sympathy', words };
  // "My bad", "our bad" and "forgive us" own the failure in themselves.
  if (/^(?:my bad|our bad|forgive)/i.test(cue)) return { kind: 'owned', sentence };

  const hasObject = clauseAfter.length > 0 && !REQUEST_START.test(clauseAfter);
  if (hasObject) return { kind: 'owned', sentence };
  const isQuestion = sentence.trimEnd().endsWith('?');
  if (!isQuestion && FIRST_PERSON_BEFORE.test(clauseBefore)) return { kind: 'bare', sentence };
  return { kind: 'courtesy', words };
}

function refusal(finding: ApologyFinding): string {
  switch (finding.kind) {
    case 'negated':
      return `negated: ${finding.words} refuses to apologise`;
    case 'formula':
      return `a formula, not an apology: ${finding.words} announces news`;
    case 'deflection':
      return `a non-apology: ${finding.words} defends instead of apologising`;
    case 'feelings':
      return `a non-apology: ${finding.words} blames the customer's feelings`;
    case 'hedged':
      return `a hedged apology: "${finding.hedge.toLowerCase()}" doubts there was a problem`;
    case 'conditional':
      return `a conditional apology: ${finding.words} doubts there was a problem`;
    case 'sympathy':
      return `sympathy, not an apology: ${finding.words} does not own the failure`;
    case 'courtesy':
      return `a courtesy: ${finding.words} apologises for nothing`;
    case 'owned':
    case 'bare':
      return `owns the failure: ${quote(finding.sentence)}`;
  }
}

/**
 * Tells a real apology from a non-apology. A real apology says sorry (sorry, apologise, our
 * apologies, regret, my bad) for something we did, in the speaker's own voice, without hedging:
 * "we're sorry we lost your bag", "that's on us, we apologise", "sorry for the wait".
 *
 * Not apologies: negated ("we're not sorry"); denying fault anywhere in the reply ("not our
 * fault", "beyond our control"); blaming feelings ("sorry you feel that way"); hedged ("any
 * inconvenience", "may have", "if you were upset"); defending ("sorry, but our policy is...");
 * "we regret to inform you"; sympathy ("sorry to hear that", "sorry you had to wait"); and a
 * courtesy "sorry" that apologises for nothing ("sorry, can you DM us your booking ref?").
 * Sympathy or a courtesy sorry does count when the same reply admits the failure ("sorry to hear
 * that, we lost your bag and that's on us"). Admitting the failure without saying sorry ("that's
 * on us") is not an apology: rule 4 asks for the apology itself.
 */
export function detectApology(text: string): ApologyVerdict {
  const reply = readable(text);
  const denial = DENIAL.exec(reply);
  if (denial) return { apology: false, reason: `denies fault: ${quote(denial[0])}` };

  const findings: ApologyFinding[] = [];
  for (const sentence of sentencesOf(reply)) {
    for (const match of sentence.matchAll(APOLOGY_CUE)) findings.push(judgeApologyCue(sentence, match.index, match[0]));
  }
  const ownership = findOwnership(reply);

  const owned = findings.find((finding) => finding.kind === 'owned' || finding.kind === 'bare');
  if (owned?.kind === 'bare' && ownership === null) return { apology: true, reason: `apologises: ${quote(owned.sentence)}` };
  if (owned?.kind === 'bare' && ownership !== owned.sentence)
    return { apology: true, reason: `owns the failure: ${quote(owned.sentence)} ${quote(ownership ?? '')}` };
  if (owned) return { apology: true, reason: refusal(owned) };
  if (ownership && findings.some((finding) => finding.kind === 'sympathy' || finding.kind === 'courtesy')) {
    return { apology: true, reason: `owns the failure: ${quote(ownership)}` };
  }
  if (findings.length > 0) return { apology: false, reason: refusal(findings[0]) };
  if (ownership) return { apology: false, reason: `admits fault but never says sorry: ${quote(ownership)}` };
  return { apology: false, reason: 'no apology in the reply' };
}

/** The sentence of the first admission of fault, or null. */
function findOwnership(reply: string): string | null {
  for (const sentence of sentencesOf(reply)) {
    if (OWNERSHIP.some((pattern) => pattern.test(sentence))) return sentence;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Reply kinds

const DONE_VERBS =
  'fixed|solved|resolved|refunded|rebooked|re-booked|found|located|sorted(?: out)?|reinstated|replaced|credited|reimbursed|restored|processed|issued|delivered|reunited|unblocked|reactivated|reconnected|corrected|compensated';
/** A completed fix: "we've refunded you", "your bag has been found", "it's fixed". */
const DONE = new RegExp(
  `\\b(?:we|i|we've|i've|have|has|had|is|are|was|were|been|it's|that's|all|now)\\s+(?:(?:now|just|already|successfully|fully|finally|all|been|gone ahead and)\\s+)*(?:${DONE_VERBS})\\b`,
  'gi',
);
/** Something is already on its way or working again: "your bag is on its way". */
const UNDER_WAY =
  /\b(?:is|are|it's|they're|'s)\s+(?:now\s+)?(?:on (?:its|it's|their|the) way|out for delivery|back (?:up|online|in stock|to normal)|working (?:again|now)|dispatched|shipped|in the post)\b|\b(?:should|will) now (?:work|be working)\b|\bworking again\b/gi;
/** Words shortly before that make it future, hoped for or not done: "we'll get it fixed", "once it's found", "hasn't been refunded". */
const NOT_DONE_BEFORE = /\b(?:will|won't|not|never|once|when|if|until|hope|hopefully|yet|soon|should|could|would|might|may)\b|'ll\b|n't\b/i;

/** True when the reply says the problem is fixed, refunded, rebooked, found or on its way. */
function saysResolved(text: string): boolean {
  for (const sentence of sentencesOf(readable(text))) {
    for (const pattern of [DONE, UNDER_WAY]) {
      for (const match of sentence.matchAll(pattern)) {
        // "Should now work" is the one place a modal means done.
        if (/^(?:should|will) now/i.test(match[0])) return true;
        // The words since the clause began, at most five: "once your bag is found", "hasn't been refunded".
        const clause = sentence.slice(0, match.index).split(CLAUSE_BREAK).pop() ?? '';
        const lead = clause.trim().split(/\s+/).slice(-5).join(' ');
        if (!NOT_DONE_BEFORE.test(lead)) return true;
      }
    }
  }
  return false;
}

/**
 * The kind of a reply when the agent did not say: an apology when `detectApology` finds a real
 * one; a resolution when it says the problem is fixed, refunded, rebooked, found or on its way;
 * an acknowledgement when the case has none yet; otherwise an update.
 */
export function deriveReplyKind(text: string, context: { acknowledged: boolean }): ReplyKind {
  if (detectApology(text).apology) return 'apology';
  if (saysResolved(text)) return 'resolution';
  return context.acknowledged ? 'update' : 'acknowledgement';
}

// ---------------------------------------------------------------------------------------------
// Rule 5: promises

/** The speaker commits to doing something later... */
const FUTURE = /\b(?:i'll|we'll|i will|we will|i shall|we shall|i'm going to|we're going to|i am going to|we are going to|let me)\b/gi;
/** ...and, within a few words, that something is coming back to the customer. */
const FOLLOW_UP =
  /\b(?:get back to (?:you|u)|come back to you|follow(?:[- ]up| up with you)|update you|send (?:you )?an update|give you an update|keep you (?:updated|posted|informed|in the loop)|let you know|be in touch|get in touch|reach out|circle back|check back|touch base|report back|(?:dm|message|contact|call|email|text|ring|ping) you|hear from (?:us|me)|find out)\b/i;
/** "Expect an update within the hour", "you'll hear from us" promise in the customer's words. */
const EXPECT =
  /\b(?:expect|you(?:'ll| will) (?:get|receive|have))\s+(?:an? (?:update|reply|answer|response|call|dm|message|email)|to hear)\b|\byou(?:'ll| will) hear (?:from|back)\b/i;
/** Between the commitment and the follow-up: "we will not be able to update you". */
const REFUSED = /\b(?:not|never|unable|can't|cannot|won't)\b/i;
/** How far after "we'll" the follow-up may come: "I'll find out what happened and get back to you". */
const PROMISE_REACH = 60;

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  'forty-five': 45,
  sixty: 60,
  'twenty-four': 24,
  'forty-eight': 48,
  'a couple of': 2,
  'a couple': 2,
  'a few': 3,
};
const AMOUNT = `\\d+(?:\\.\\d+)?|a couple(?: of)?|a few|${Object.keys(NUMBER_WORDS)
  .filter((word) => !word.startsWith('a '))
  .join('|')}`;
const UNITS: Readonly<Record<string, number>> = {
  m: MINUTE,
  min: MINUTE,
  mins: MINUTE,
  minute: MINUTE,
  minutes: MINUTE,
  h: HOUR,
  hr: HOUR,
  hrs: HOUR,
  hour: HOUR,
  hours: HOUR,
  day: DAY,
  days: DAY,
  week: 7 * DAY,
  weeks: 7 * DAY,
};
const UNIT = 'minutes|minute|mins|min|m|hours|hour|hrs|hr|h|days|day|weeks|week';
/** "within 2 hours", "in 30 minutes", "within 24-48h", "in a couple of days". A range counts to its end. */
const DURATION = new RegExp(`\\b(?:within|in|inside|over)\\s+(?:the\\s+)?(?:next\\s+)?(?:(${AMOUNT})\\s*(?:-|to|or)\\s*)?(${AMOUNT})\\s*(${UNIT})\\b`, 'i');
const HALF_HOUR = /\b(?:within|in)\s+(?:the\s+next\s+)?half an? hour\b/i;
const WITHIN_THE_HOUR = /\bwithin the (?:hour|next hour)\b/i;
const TODAY = /\b(?:later today|today|end of (?:the )?day|eod|cob|close of business|this (?:afternoon|evening)|tonight)\b/i;
const TOMORROW = /\btomorrow\b/i;
const NEXT_WEEK = /\bnext week\b/i;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const WEEKDAY = /\b(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/i;
/** "by 5pm", "before 17:30": needs am/pm or a colon, so "by 2" stays unread. */
const CLOCK_TIME = /\b(?:by|before|at|until|around)\s+(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\b/i;

/** Times in promises are read in UTC: the reply does not say the customer's time zone. */
const WORKDAY_END_HOUR_UTC = 17;

function amountOf(word: string): number {
  const lower = word.toLowerCase();
  return NUMBER_WORDS[lower] ?? Number(lower);
}

/**
 * The due time a sentence names, or null. Read relative to `now`, in UTC:
 * - "within 2 hours", "in 30 minutes", "in a couple of days", "within 24-48h": now + the duration
 *   (a range counts to its end); "within the hour" is one hour, "in half an hour" thirty minutes;
 * - "today", "later today", "tonight", "this afternoon", "end of day": 23:59 UTC today, and at
 *   least an hour from now (the customer's day may end later than ours);
 * - "tomorrow" (also "by tomorrow", "tomorrow morning"): now + 24 hours;
 * - a weekday ("by Friday"): that day at 17:00 UTC; today when it is that day before 17:00,
 *   otherwise its next occurrence;
 * - "next week": now + 7 days;
 * - a clock time with am/pm or a colon ("by 5pm", "before 17:30"): the next such time in UTC.
 * When a sentence names several, the first one in the sentence wins.
 */
export function parseDueTime(sentence: string, now: Date): Date | null {
  const candidates: { at: number; due: Date }[] = [];
  const add = (match: RegExpExecArray | null, due: (match: RegExpExecArray) => Date | null): void => {
    if (!match) return;
    const value = due(match);
    if (value && value.getTime() > now.getTime()) candidates.push({ at: match.index, due: value });
  };
  const after = (milliseconds: number): Date => new Date(now.getTime() + milliseconds);

  add(DURATION.exec(sentence), (match) => {
    const amount = amountOf(match[2]);
    const unit = UNITS[match[3].toLowerCase()];
    return Number.isFinite(amount) && unit !== undefined ? after(amount * unit) : null;
  });
  add(HALF_HOUR.exec(sentence), () => after(30 * MINUTE));
  add(WITHIN_THE_HOUR.exec(sentence), () => after(HOUR));
  add(TODAY.exec(sentence), () => {
    const endOfDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 59);
    return new Date(Math.max(endOfDay, now.getTime() + HOUR));
  });
  add(TOMORROW.exec(sentence), () => after(DAY));
  add(NEXT_WEEK.exec(sentence), () => after(7 * DAY));
  add(WEEKDAY.exec(sentence), (match) => {
    const target = WEEKDAYS.indexOf(match[1].toLowerCase() as (typeof WEEKDAYS)[number]);
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), WORKDAY_END_HOUR_UTC);
    let days = (target - now.getUTCDay() + 7) % 7;
    if (days === 0 && now.getTime() >= today) days = 7;
    return new Date(today + days * DAY);
  });
  add(CLOCK_TIME.exec(sentence), (match) => {
    const [, hourText, minuteText, meridiem] = match;
    if (minuteText === undefined && meridiem === undefined) return null;
    let hour = Number(hourText);
    const minute = minuteText === undefined ? 0 : Number(minuteText);
    if (meridiem !== undefined) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
    }
    if (hour > 23 || minute > 59) return null;
    const at = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour, minute);
    return new Date(at > now.getTime() ? at : at + DAY);
  });

  candidates.sort((left, right) => left.at - right.at);
  return candidates[0]?.due ?? null;
}

function isPromise(sentence: string): boolean {
  if (EXPECT.test(sentence)) return true;
  for (const future of sentence.matchAll(FUTURE)) {
    const rest = sentence.slice(future.index + future[0].length, future.index + future[0].length + PROMISE_REACH);
    const followUp = FOLLOW_UP.exec(rest);
    if (followUp && !REFUSED.test(rest.slice(0, followUp.index))) return true;
  }
  return false;
}

/**
 * A follow-up promise in a reply ("I'll find out and get back to you by tomorrow", "we will update
 * you within 2 hours", "I'll DM you once I hear back"), or null. The speaker must commit to coming
 * back to the customer: "we'll look into it" alone promises no follow-up. Of several promising
 * sentences, the first that names a time wins, else the first. The due time is read as
 * `parseDueTime` says; with none, it is `now + defaultHours` and `dueParsed` is false.
 */
export function findFollowUpPromise(text: string, now: Date, defaultHours: number): FollowUpPromise | null {
  const promises = sentencesOf(readable(text)).filter(isPromise);
  if (promises.length === 0) return null;
  for (const sentence of promises) {
    const dueAt = parseDueTime(sentence, now);
    if (dueAt) return { description: describe(sentence), dueAt, dueParsed: true };
  }
  return { description: describe(promises[0]), dueAt: new Date(now.getTime() + defaultHours * HOUR), dueParsed: false };
}

function describe(sentence: string): string {
  const text = sentence.replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 199).trimEnd()}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Rule 7: near repeats

/**
 * The text as compared for repeats: lower case; links, handles (also Mastodon's user@host) and
 * punctuation and emoji removed; every number or reference with a digit in it ("12345", "AB12CD")
 * one placeholder; single spaces. So replies that differ only in those count as the same.
 */
export function comparableText(text: string): string {
  return plainText(text)
    .toLowerCase()
    .replace(/\b(?:https?:\/\/|www\.)\S+/g, ' ')
    .replace(/(?:^|(?<=[^\p{L}\p{N}_]))@[\p{L}\p{N}_.-]+(?:@[\p{L}\p{N}_.-]+)?/gu, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/[\p{L}\p{N}]*\p{N}[\p{L}\p{N}]*/gu, '0')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * How alike two replies are, 0..1: natural's Dice coefficient over the character bigrams of their
 * comparable texts. Bigrams forgive small edits (a name, a typo, a word more) that a word match
 * would count whole, and keep different replies apart: an acknowledgement and a resolution share
 * few letter pairs. Replies with nothing left to compare (only links or emoji) are alike only when
 * their texts are equal.
 */
export function replySimilarity(left: string, right: string): number {
  const a = comparableText(left);
  const b = comparableText(right);
  if (a.length === 0 || b.length === 0) return left.trim() === right.trim() ? 1 : 0;
  if (a === b) return 1;
  return DiceCoefficient(a, b);
}

/**
 * The earlier reply most similar to `text` when that similarity reaches `threshold` (0..1), else
 * null. On a tie the latest earlier reply wins: it is the one the customer saw last.
 */
export function findNearRepeat(text: string, earlier: readonly string[], threshold: number): NearRepeat | null {
  let best: NearRepeat | null = null;
  earlier.forEach((reply, index) => {
    const similarity = replySimilarity(text, reply);
    if (similarity >= threshold && (best === null || similarity >= best.similarity)) best = { index, similarity };
  });
  return best;
}
