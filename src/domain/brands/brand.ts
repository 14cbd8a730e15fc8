export const PLATFORMS = ['x', 'mastodon', 'bluesky', 'demo'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** The platforms a brand can have accounts on (the demo stream borrows the X handle). */
export const SOCIAL_PLATFORMS = ['x', 'mastodon', 'bluesky'] as const;
export type SocialPlatform = (typeof SOCIAL_PLATFORMS)[number];

export interface BrandConfig {
  /** Stable identifier stored on posts and cases; lowercase, digits and dashes. */
  id: string;
  name: string;
  /** The brand's own accounts, without the leading @. */
  handles: Record<SocialPlatform, string[]>;
  /** Words and hashtags that mean a post is about the brand (matched case-insensitively). */
  keywords: string[];
}

/**
 * Which of the watched brands a post is about: the first whose handle or keyword appears in it.
 * Handles match as @handle; keywords as whole words or hashtags.
 */
export function findMentionedBrand(text: string, brands: readonly BrandConfig[]): BrandConfig | null {
  const lower = text.toLowerCase();
  for (const brand of brands) {
    const handles = SOCIAL_PLATFORMS.flatMap((platform) => brand.handles[platform]);
    if (handles.some((handle) => containsTerm(lower, `@${handle.toLowerCase()}`))) return brand;
    if (brand.keywords.some((keyword) => containsTerm(lower, keyword.toLowerCase()))) return brand;
  }
  return null;
}

function containsTerm(lowerText: string, term: string): boolean {
  let from = 0;
  for (;;) {
    const at = lowerText.indexOf(term, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : lowerText[at - 1];
    const after = lowerText[at + term.length] ?? '';
    // A term must stand alone: "@halcyonair" must not match "@halcyonairfan".
    if (!isWordCharacter(before) && !isWordCharacter(after)) return true;
    from = at + 1;
  }
}

function isWordCharacter(character: string): boolean {
  return /^[\p{L}\p{N}_]$/u.test(character);
}
