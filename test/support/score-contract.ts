/**
 * The keys of a `cli score` output line, in order, as issue 4's contract writes them. Written out
 * here, not taken from the implementation, so the tests hold the code to the contract.
 */
export const SCORE_LINE_KEYS = [
  'id',
  'polarity',
  'polarityScore',
  'complaint',
  'complaintProbability',
  'category',
  'fault',
  'faultConfidence',
  'severity',
  'urgency',
  'reasons',
  'language',
] as const;
