// The `vader-sentiment` package ships no types; only what the scoring benchmark uses.
declare module 'vader-sentiment' {
  export interface PolarityScores {
    neg: number;
    neu: number;
    pos: number;
    /** Normalised sum of the valences, -1 (most negative) to 1 (most positive). */
    compound: number;
  }

  export class SentimentIntensityAnalyzer {
    static polarity_scores(text: string): PolarityScores;
  }
}
