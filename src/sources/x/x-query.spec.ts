import type { BrandConfig } from '../../domain/brands/brand';
import { buildXSearchQuery, X_SEARCH_QUERY_MAX_LENGTH, xHandlesOf, xKeywordTerm } from './x-query';

function brand(x: string[], keywords: string[]): BrandConfig {
  return { id: 'halcyon-air', name: 'Halcyon Air', handles: { x, mastodon: ['halcyon@example.social'], bluesky: [] }, keywords };
}

describe('buildXSearchQuery', () => {
  it('ORs handles and keywords in parentheses and excludes retweets and the brand’s own posts', () => {
    expect(buildXSearchQuery(brand(['HalcyonAir', 'HalcyonHelp'], ['halcyon air', 'halcyonair', '#halcyonair']))).toBe(
      '(@HalcyonAir OR @HalcyonHelp OR "halcyon air" OR halcyonair OR #halcyonair) -is:retweet -from:HalcyonAir -from:HalcyonHelp',
    );
  });

  it('works with keywords only (no exclusion of own posts) and with handles only', () => {
    expect(buildXSearchQuery(brand([], ['#halcyonair']))).toBe('(#halcyonair) -is:retweet');
    expect(buildXSearchQuery(brand(['@HalcyonAir'], []))).toBe('(@HalcyonAir) -is:retweet -from:HalcyonAir');
  });

  it('returns null when the brand has nothing to search for on X (Mastodon handles do not count)', () => {
    expect(buildXSearchQuery(brand([], []))).toBeNull();
    expect(buildXSearchQuery(brand([' '], ['  ']))).toBeNull();
  });

  it('drops repeated terms case-insensitively', () => {
    expect(buildXSearchQuery(brand(['HalcyonAir', 'halcyonair'], ['HalcyonAir', 'halcyonair']))).toBe(
      '(@HalcyonAir OR HalcyonAir) -is:retweet -from:HalcyonAir',
    );
  });

  it('accepts a query of exactly 512 characters and rejects a longer one, naming the brand', () => {
    const fixed = '() -is:retweet'.length;
    expect(buildXSearchQuery(brand([], ['a'.repeat(X_SEARCH_QUERY_MAX_LENGTH - fixed)]))).toHaveLength(X_SEARCH_QUERY_MAX_LENGTH);
    expect(() => buildXSearchQuery(brand([], ['a'.repeat(X_SEARCH_QUERY_MAX_LENGTH - fixed + 1)]))).toThrow(/brand "halcyon-air".*513 characters/);
    const keywords = Array.from({ length: 60 }, (_unused, index) => `keyword number ${index}`);
    expect(() => buildXSearchQuery(brand(['HalcyonAir'], keywords))).toThrow(/brand "halcyon-air".*at most 512/);
  });
});

describe('xKeywordTerm', () => {
  it('keeps bare words, hashtags and cashtags as they are', () => {
    expect(xKeywordTerm('halcyonair')).toBe('halcyonair');
    expect(xKeywordTerm('#HalcyonAir')).toBe('#HalcyonAir');
    expect(xKeywordTerm('$HAL')).toBe('$HAL');
    expect(xKeywordTerm('ハルシオン')).toBe('ハルシオン');
  });

  it('quotes phrases, punctuation and the words X reads as operators', () => {
    expect(xKeywordTerm('halcyon air')).toBe('"halcyon air"');
    expect(xKeywordTerm('halcyon-air')).toBe('"halcyon-air"');
    expect(xKeywordTerm('OR')).toBe('"OR"');
    expect(xKeywordTerm('say "hi"  there')).toBe('"say hi there"');
    expect(xKeywordTerm('"')).toBeNull();
  });
});

describe('xHandlesOf', () => {
  it('strips a leading @ and blanks', () => {
    expect(xHandlesOf(brand(['@HalcyonAir', ' HalcyonHelp ', ''], []))).toEqual(['HalcyonAir', 'HalcyonHelp']);
  });
});
