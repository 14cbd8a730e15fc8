import { FAULTS, type Fault } from '../cases/case-status';

export const POLARITIES = ['negative', 'neutral', 'positive'] as const;
export type Polarity = (typeof POLARITIES)[number];

export const SEVERITY_FLAGS = ['safety', 'legal_threat', 'discrimination', 'privacy', 'money_lost', 'vulnerable_customer'] as const;
export type SeverityFlag = (typeof SEVERITY_FLAGS)[number];

/** Who the scorer thinks caused the problem: the faults a case records. A suggestion only: an agent decides (case rule 4). */
export { FAULTS, type Fault };

/** The category given when no category's cues are present. Always one of the categories. */
export const FALLBACK_CATEGORY = 'other';

/** What a scorer needs to know about a post. Plain data: no platform or database types. */
export interface ScoringInput {
  text: string;
  /** ISO 639-1 code when the platform says; posts in other languages are marked, not guessed at. */
  lang?: string | null;
  /** Reach of the author; raises urgency (a complaint seen by many needs an answer sooner). */
  followers?: number | null;
  /** Engagement so far; raises urgency. */
  metrics?: { likes?: number; reposts?: number; replies?: number } | null;
}

/** A scorer's verdict on one post, with the reasons behind it for the care team to read. */
export interface PostScore {
  polarity: Polarity;
  /** -1 (most negative) to 1 (most positive). */
  polarityScore: number;
  complaint: boolean;
  /** 0 to 1. */
  complaintProbability: number;
  /** One of the configured categories; `other` when nothing points to one. */
  category: string;
  fault: Fault;
  /** 0 to 1: how sure the suggestion is. */
  faultConfidence: number;
  severity: SeverityFlag[];
  /** 0 to 100. */
  urgency: number;
  /** Short, human-readable: the words and cues that drove the scores. */
  reasons: string[];
  /** ISO 639-1 code of the text's language as given or detected; `und` when it cannot be told. */
  language: string;
  /** Which scorer and version produced this, so stored scores can be traced and re-scored. */
  scorer: string;
  /** Set when the post was not scored because of its language. */
  unscoredLanguage?: string;
}

export interface Scorer {
  readonly name: string;
  score(input: ScoringInput): PostScore;
}
