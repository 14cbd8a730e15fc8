// The `sentiment` package (AFINN-165) ships no types; these follow its README's documented result and options.
declare module 'sentiment' {
  interface SentimentResult {
    /** Sum of the AFINN-165 values of the words found. */
    score: number;
    /** score divided by the number of tokens. */
    comparative: number;
    calculation: Array<Record<string, number>>;
    tokens: string[];
    words: string[];
    positive: string[];
    negative: string[];
  }

  class Sentiment {
    constructor(options?: Record<string, unknown>);
    analyze(phrase: string, options?: { extras?: Record<string, number>; language?: string }): SentimentResult;
  }

  export = Sentiment;
}
