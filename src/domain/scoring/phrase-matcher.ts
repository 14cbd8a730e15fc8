import { NUMBER_WORDS } from './care-lexicon';
import type { Token } from './tweet-reader';

export interface PhraseMatch<K> {
  key: K;
  /** Token range [start, end). */
  start: number;
  end: number;
}

interface TrieNode<K> {
  next: Map<string, TrieNode<K>>;
  /** Word prefixes (`cancel*`), listed by their first letter: the root has about a hundred, and each token needs only its letter's few. */
  prefixes: Map<string, Array<[string, TrieNode<K>]>>;
  number?: TrieNode<K>;
  keys: K[];
}

const node = <K>(): TrieNode<K> => ({ next: new Map(), prefixes: new Map(), keys: [] });

/**
 * Finds cue phrases in a post's words in one pass: a trie over words, so the cost grows with the
 * post's length, not with the size of the lexicon.
 */
export class PhraseMatcher<K> {
  private readonly root = node<K>();

  add(phrase: string, key: K): this {
    let current = this.root;
    for (const part of phrase.toLowerCase().replace(/'/g, '').split(/\s+/).filter(Boolean)) {
      if (part === '#') {
        current.number ??= node<K>();
        current = current.number;
      } else if (part.endsWith('*') && part.length > 1) {
        const prefix = part.slice(0, -1);
        let sameLetter = current.prefixes.get(prefix[0]);
        if (!sameLetter) {
          sameLetter = [];
          current.prefixes.set(prefix[0], sameLetter);
        }
        let entry = sameLetter.find(([existing]) => existing === prefix);
        if (!entry) {
          entry = [prefix, node<K>()];
          sameLetter.push(entry);
        }
        current = entry[1];
      } else {
        let child = current.next.get(part);
        if (!child) {
          child = node<K>();
          current.next.set(part, child);
        }
        current = child;
      }
    }
    if (!current.keys.includes(key)) current.keys.push(key);
    return this;
  }

  addAll(phrases: readonly string[], key: K): this {
    for (const phrase of phrases) this.add(phrase, key);
    return this;
  }

  /** Every match, at every start, longest and shortest alike. */
  findAll(tokens: readonly Token[], from = 0, to = tokens.length): Array<PhraseMatch<K>> {
    const matches: Array<PhraseMatch<K>> = [];
    for (let start = from; start < to; start += 1) this.walk(this.root, tokens, start, start, to, matches);
    return matches;
  }

  private walk(current: TrieNode<K>, tokens: readonly Token[], start: number, index: number, to: number, matches: Array<PhraseMatch<K>>): void {
    if (index >= to) return;
    const token = tokens[index];
    const exact = current.next.get(token.word) ?? (token.squeezed !== token.word ? current.next.get(token.squeezed) : undefined);
    if (exact) this.step(exact, tokens, start, index, to, matches);
    const sameLetter = current.prefixes.size > 0 ? current.prefixes.get(token.word[0]) : undefined;
    if (sameLetter) {
      for (const [prefix, child] of sameLetter) {
        if (token.word.startsWith(prefix)) this.step(child, tokens, start, index, to, matches);
      }
    }
    if (current.number && isNumberWord(token.word)) this.step(current.number, tokens, start, index, to, matches);
  }

  private step(child: TrieNode<K>, tokens: readonly Token[], start: number, index: number, to: number, matches: Array<PhraseMatch<K>>): void {
    for (const key of child.keys) matches.push({ key, start, end: index + 1 });
    if (child.next.size > 0 || child.prefixes.size > 0 || child.number) this.walk(child, tokens, start, index + 1, to, matches);
  }
}

export function isNumberWord(word: string): boolean {
  const first = word.charCodeAt(0);
  return (first >= 48 && first <= 57) || NUMBER_WORDS.has(word);
}
