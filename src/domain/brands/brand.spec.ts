import { findMentionedBrand, type BrandConfig } from './brand';

function brand(id: string, overrides: Partial<BrandConfig> = {}): BrandConfig {
  return {
    id,
    name: id,
    handles: { x: [], mastodon: [], bluesky: [] },
    keywords: [],
    ...overrides,
  };
}

const halcyon = brand('halcyon-air', {
  name: 'Halcyon Air',
  handles: { x: ['HalcyonAir', 'HalcyonAirHelp'], mastodon: ['halcyonair@airlines.social'], bluesky: ['halcyonair.bsky.social'] },
  keywords: ['Halcyon Air', 'HalcyonAir'],
});
const northwind = brand('northwind-rail', {
  name: 'Northwind Rail',
  handles: { x: ['NorthwindRail'], mastodon: [], bluesky: [] },
  keywords: ['northwind'],
});

describe('findMentionedBrand', () => {
  it.each([['@HalcyonAir lost my bag'], ['@halcyonair lost my bag'], ['@HALCYONAIR lost my bag'], ['lost my bag, thanks for nothing @halcyonairhelp!']])(
    'matches a handle case-insensitively in %p',
    (text) => {
      expect(findMentionedBrand(text, [halcyon])).toBe(halcyon);
    },
  );

  it('matches a handle from any platform', () => {
    const handlesOnly = brand('halcyon-air', { handles: halcyon.handles });
    expect(findMentionedBrand('@halcyonair@airlines.social lost my bag', [handlesOnly])).toBe(handlesOnly);
    expect(findMentionedBrand('@halcyonair.bsky.social lost my bag', [handlesOnly])).toBe(handlesOnly);
  });

  it('does not match a handle that only starts with the brand handle', () => {
    const handlesOnly = brand('halcyon-air', { handles: { x: ['HalcyonAir'], mastodon: [], bluesky: [] } });
    expect(findMentionedBrand('@halcyonairfan loves this', [handlesOnly])).toBeNull();
    expect(findMentionedBrand('@HalcyonAir_Jobs is hiring', [handlesOnly])).toBeNull();
    expect(findMentionedBrand('@HalcyonAir2 is a parody', [handlesOnly])).toBeNull();
  });

  it('matches a handle after an earlier near miss in the same post', () => {
    const handlesOnly = brand('halcyon-air', { handles: { x: ['HalcyonAir'], mastodon: [], bluesky: [] } });
    expect(findMentionedBrand('@halcyonairfan says ask @HalcyonAir', [handlesOnly])).toBe(handlesOnly);
  });

  it('does not take an e-mail address for a handle', () => {
    const handlesOnly = brand('halcyon-air', { handles: { x: ['HalcyonAir'], mastodon: [], bluesky: [] } });
    expect(findMentionedBrand('wrote to support@halcyonair.com twice', [handlesOnly])).toBeNull();
  });

  it.each([
    ['#HalcyonAir lost my bag'],
    ['#halcyonair, again'],
    ['flying halcyon air today'],
    ['Flying HALCYON AIR today'],
    ['HalcyonAir.'],
    ['(Halcyon Air)'],
  ])('matches a keyword as a whole word or hashtag in %p', (text) => {
    expect(findMentionedBrand(text, [halcyon])).toBe(halcyon);
  });

  it.each([['unhalcyonair days'], ['halcyonairways is a different company'], ['the halcyon airport bus'], ['#HalcyonAirFans'], ['halcyon_air']])(
    'does not match a keyword inside another word in %p',
    (text) => {
      expect(findMentionedBrand(text, [halcyon])).toBeNull();
    },
  );

  it('does not match a short keyword inside a longer word', () => {
    expect(findMentionedBrand('the northwinds were strong', [northwind])).toBeNull();
    expect(findMentionedBrand('a northwind train, late again', [northwind])).toBe(northwind);
  });

  it('returns the first of several brands that matches, in the order the brands are given', () => {
    const text = '@NorthwindRail and @HalcyonAir both lost my bag';
    expect(findMentionedBrand(text, [halcyon, northwind])).toBe(halcyon);
    expect(findMentionedBrand(text, [northwind, halcyon])).toBe(northwind);
    expect(findMentionedBrand('northwind was late again', [halcyon, northwind])).toBe(northwind);
  });

  it('returns null when no brand matches', () => {
    expect(findMentionedBrand('lost my bag on a different airline', [halcyon, northwind])).toBeNull();
    expect(findMentionedBrand('', [halcyon, northwind])).toBeNull();
    expect(findMentionedBrand('@HalcyonAir lost my bag', [])).toBeNull();
  });
});
