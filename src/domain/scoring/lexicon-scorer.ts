import { SentimentAnalyzer } from 'natural/lib/natural/sentiment';
import type { PostScore, Polarity, Scorer, ScoringInput, SeverityFlag } from './post-score';
import { clausesOf, plainText } from './text-normaliser';

/**
 * Phrases that mark a complaint even without angry words ("still waiting for my bag").
 * Deliberately short and general; the scorer that replaces this one learns from labels.
 */
const COMPLAINT_CUES: ReadonlyArray<{ cue: RegExp; label: string }> = [
  { cue: /\bstill (waiting|no|not|haven'?t|nothing)\b/, label: 'still waiting' },
  { cue: /\b(no ?one|nobody) (answers|answered|replies|replied|helps|helped|cares|called)\b/, label: 'nobody answers' },
  { cue: /\bon hold\b/, label: 'on hold' },
  { cue: /\b(lost|missing|damaged|broken) (my|our|the)?\s?(bag|bags|luggage|suitcase)\b/, label: 'bag lost or damaged' },
  { cue: /\b(delayed|delay|delays|late)\b/, label: 'delay' },
  { cue: /\b(cancell?ed|cancell?ation)\b/, label: 'cancellation' },
  { cue: /\b(refund|reimburse|compensation|charged twice|double charged|overcharged)\b/, label: 'money' },
  { cue: /\b(not working|doesn'?t work|does not work|won'?t let|can'?t (log|check|book|get)|keeps? crashing|is down)\b/, label: 'not working' },
  { cue: /\b(never again|worst|unacceptable|ridiculous|disgusting|terrible|awful|rude)\b/, label: 'strong dissatisfaction' },
  { cue: /\b(stuck|stranded|waiting for (over|more than)?\s?\d+|\d+ (hours|hrs|days) (and|later|now))\b/, label: 'stranded or kept waiting' },
  { cue: /\b(why (is|are|did|does|won'?t|can'?t)|what is going on|when will)\b/, label: 'demanding an answer' },
];

const SEVERITY_CUES: ReadonlyArray<{ flag: SeverityFlag; cue: RegExp }> = [
  { flag: 'safety', cue: /\b(smoke|fire|unsafe|injur(ed|y)|bleeding|allerg(y|ic)|emergency|dangerous|fainted|medical)\b/ },
  { flag: 'legal_threat', cue: /\b(lawyer|attorney|sue|suing|lawsuit|legal action|small claims|court)\b/ },
  { flag: 'discrimination', cue: /\b(discriminat\w*|racis[mt]|sexis[mt]|wheelchair|disabled|disability)\b/ },
  { flag: 'privacy', cue: /\b(data breach|personal data|someone else'?s (booking|details|data)|privacy|leaked|gdpr)\b/ },
  { flag: 'money_lost', cue: /\b(charged twice|double charged|stole|lost \$?\d+|never refunded|out of pocket)\b/ },
  { flag: 'vulnerable_customer', cue: /\b(unaccompanied|my (child|kid|son|daughter) (alone|was left)|elderly|pregnant)\b/ },
];

const POSITIVE_RESOLUTION = /\b(thanks?|thank you|appreciate|great job|well done|kudos)\b/;

/**
 * The first scorer: AFINN word sentiment (through natural) plus a short list of complaint cues.
 * Simple and honest about it; a later, learned scorer replaces it behind the same interface.
 */
export class LexiconScorer implements Scorer {
  readonly name = 'lexicon-v1';
  private readonly sentiment = new SentimentAnalyzer('English', undefined, 'afinn');

  score(input: ScoringInput): PostScore {
    if (input.lang && !input.lang.toLowerCase().startsWith('en')) {
      return {
        polarity: 'neutral',
        polarityScore: 0,
        complaint: false,
        complaintProbability: 0,
        severity: [],
        urgency: 0,
        reasons: [`language "${input.lang}" is not scored; a person should read it`],
        scorer: this.name,
        unscoredLanguage: input.lang,
      };
    }

    const clauses = clausesOf(input.text);
    const lower = plainText(input.text).toLowerCase();
    const reasons: string[] = [];

    // natural gives the mean AFINN value per word (AFINN runs -5..5), and a negation flips every
    // word after it; scoring clause by clause keeps a negation inside its clause.
    const wordCount = clauses.reduce((count, clause) => count + clause.length, 0);
    const sentimentSum = clauses.reduce((sum, clause) => sum + this.sentiment.getSentiment(clause) * clause.length, 0);
    const meanSentiment = wordCount > 0 ? sentimentSum / wordCount : 0;
    const polarityScore = round(Math.tanh(meanSentiment));
    const polarity: Polarity = polarityScore <= -0.1 ? 'negative' : polarityScore >= 0.1 ? 'positive' : 'neutral';
    if (polarity !== 'neutral') reasons.push(`${polarity} wording (${polarityScore})`);

    const cues = COMPLAINT_CUES.filter(({ cue }) => cue.test(lower)).map(({ label }) => label);
    for (const cue of cues) reasons.push(`complaint cue: ${cue}`);

    const shouting = /!{2,}/.test(input.text) || (input.text.length > 12 && input.text === input.text.toUpperCase() && /\p{Lu}/u.test(input.text));
    if (shouting) reasons.push('shouting (caps or "!!")');

    const thanked = POSITIVE_RESOLUTION.test(lower);
    const question = /\?\s*$/.test(input.text.trim()) && cues.length === 0;
    if (question) reasons.push('a question without complaint cues');

    // A safety, legal, privacy or discrimination report about the brand needs an owner even when
    // it is calmly worded, so severity counts as complaint evidence.
    const severity = SEVERITY_CUES.filter(({ cue }) => cue.test(lower)).map(({ flag }) => flag);
    for (const flag of severity) reasons.push(`severity: ${flag.replace('_', ' ')}`);

    const evidence = -2.2 * polarityScore + 1.3 * cues.length + 1.6 * severity.length + (shouting ? 0.6 : 0) - (thanked ? 1.2 : 0) - (question ? 1 : 0) - 1.1;
    const complaintProbability = round(1 / (1 + Math.exp(-2 * evidence)));
    const complaint = complaintProbability >= 0.5;

    const urgency = complaint
      ? Math.min(100, Math.round(35 + 25 * Math.max(0, -polarityScore) + 8 * cues.length + (shouting ? 7 : 0) + 20 * severity.length))
      : Math.round(10 * complaintProbability);

    return { polarity, polarityScore, complaint, complaintProbability, severity, urgency, reasons, scorer: this.name };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
