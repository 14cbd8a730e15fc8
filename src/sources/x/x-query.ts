import type { BrandConfig } from '../../domain/brands/brand';

/** X rejects recent-search queries longer than this (Self-serve and Basic access levels). */
export const X_SEARCH_QUERY_MAX_LENGTH = 512;

/** A bare word X reads as one keyword; anything else is quoted so X reads it as one exact phrase. */
const BARE_KEYWORD = /^[\p{L}\p{N}_]+$/u;
/** Hashtags and cashtags are their own operators in X's query language and must stay unquoted. */
const TAG_KEYWORD = /^[#$][\p{L}\p{N}_]+$/u;
/** X reads these words as boolean operators, so as keywords they must be quoted. */
const RESERVED_WORDS = new Set(['or', 'and']);

/** The brand's X handles without a leading @, as configured (some people write "@HalcyonAir"). */
export function xHandlesOf(brand: BrandConfig): string[] {
  return brand.handles.x.map((handle) => handle.trim().replace(/^@/, '')).filter((handle) => handle !== '');
}

/** One search term for a configured keyword, in X's query syntax; null when nothing searchable is left. */
export function xKeywordTerm(keyword: string): string | null {
  const trimmed = keyword.trim();
  if (trimmed === '') return null;
  if (TAG_KEYWORD.test(trimmed)) return trimmed;
  if (BARE_KEYWORD.test(trimmed) && !RESERVED_WORDS.has(trimmed.toLowerCase())) return trimmed;
  // X's query language has no escape for a double quote inside a phrase.
  const phrase = trimmed.replace(/"/g, ' ').replace(/\s+/g, ' ').trim();
  return phrase === '' ? null : `"${phrase}"`;
}

/**
 * The recent-search query that finds posts about a brand: any of its handles or keywords, not
 * retweets (the original is found on its own) and not the brand's own posts. Null when the brand
 * has nothing to search for on X. Throws when the query is longer than X accepts, naming the brand,
 * so a configuration mistake stops the service at start rather than failing every poll.
 */
export function buildXSearchQuery(brand: BrandConfig): string | null {
  const handles = xHandlesOf(brand);
  const terms: string[] = [];
  const seen = new Set<string>();
  const addTerm = (term: string | null): void => {
    if (term === null || seen.has(term.toLowerCase())) return;
    seen.add(term.toLowerCase());
    terms.push(term);
  };
  handles.forEach((handle) => addTerm(`@${handle}`));
  brand.keywords.forEach((keyword) => addTerm(xKeywordTerm(keyword)));
  if (terms.length === 0) return null;

  const exclusions = ['-is:retweet', ...uniqueCaseInsensitive(handles).map((handle) => `-from:${handle}`)];
  const query = `(${terms.join(' OR ')}) ${exclusions.join(' ')}`;
  if (query.length > X_SEARCH_QUERY_MAX_LENGTH) {
    throw new Error(
      `The X search query for brand "${brand.id}" is ${query.length} characters long, but X accepts at most ${X_SEARCH_QUERY_MAX_LENGTH}: ` +
        'configure fewer or shorter X handles and keywords for this brand.',
    );
  }
  return query;
}

function uniqueCaseInsensitive(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
