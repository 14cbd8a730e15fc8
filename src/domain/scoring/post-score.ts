export const POLARITIES = ['negative', 'neutral', 'positive'] as const;
export type Polarity = (typeof POLARITIES)[number];

export const SEVERITY_FLAGS = ['safety', 'legal_threat', 'discrimination', 'privacy', 'money_lost', 'vulnerable_customer'] as const;
export type SeverityFlag = (typeof SEVERITY_FLAGS)[number];

/** What a scorer needs to know about a post. Plain data: no platform or database types. */
export interface ScoringInput {
  text: string;
  /** ISO 639-1 code when the platform says; posts in other languages are marked, not guessed at. */
  lang?: string | null;
}

/** A scorer's verdict on one post, with the reasons behind it for the care team to read. */
export interface PostScore {
  polarity: Polarity;
  /** -1 (most negative) to 1 (most positive). */
  polarityScore: number;
  complaint: boolean;
  /** 0 to 1. */
  complaintProbability: number;
  severity: SeverityFlag[];
  /** 0 to 100. */
  urgency: number;
  /** Short, human-readable: the words and cues that drove the scores. */
  reasons: string[];
  /** Which scorer and version produced this, so stored scores can be traced and re-scored. */
  scorer: string;
  /** Set when the post was not scored because of its language. */
  unscoredLanguage?: string;
}

export interface Scorer {
  readonly name: string;
  score(input: ScoringInput): PostScore;
}
