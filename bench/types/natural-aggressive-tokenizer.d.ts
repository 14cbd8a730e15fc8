// natural types its tokenizers only through tokenizers/index.d.ts; the benchmark imports the one
// file it needs by its deep path (natural's index loads dotenv, which prints to stdout).
declare module 'natural/lib/natural/tokenizers/aggressive_tokenizer' {
  class AggressiveTokenizer {
    tokenize(text: string): string[];
  }

  export = AggressiveTokenizer;
}
