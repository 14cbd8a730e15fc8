/** Decodes the HTML entities platforms put in post text and strips markup. */
export function plainText(text: string): string {
  return (
    text
      .replace(/<[^>]{0,200}>/g, ' ')
      // Phones type curly apostrophes: "don’t" must read as "don't".
      .replace(/[\u2018\u2019\u02BC]/g, "'")
      .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (entity) => HTML_ENTITIES[entity] ?? entity)
  );
}

const HTML_ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
  '&nbsp;': ' ',
};

/** Handles of every platform: @name, @name@server.social (Mastodon), @name.bsky.social (Bluesky). */
const HANDLE = /@[\p{L}\p{N}_]+(?:[.@-][\p{L}\p{N}_-]+)*/gu;

/** Lower-case text without handles, URLs and hashtag marks. */
function cleanedLowerText(text: string): string {
  return plainText(text)
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(HANDLE, ' ')
    .replace(/#/g, ' ');
}

/**
 * Lower-case words of a post, without handles, URLs and hashtag marks; elongations are squeezed
 * ("sooooo" -> "soo") so they meet the lexicon.
 */
export function wordsOf(text: string): string[] {
  return splitWords(cleanedLowerText(text));
}

/**
 * The words of each clause. Clauses end at punctuation and at "and", "but", "so", so a negation
 * ("no reply") does not reach into the next clause ("this is disgusting").
 */
export function clausesOf(text: string): string[][] {
  return cleanedLowerText(text)
    .split(/[.,;:!?()\n]+|\s(?:and|but|so|yet)\s/u)
    .map(splitWords)
    .filter((clause) => clause.length > 0);
}

function splitWords(text: string): string[] {
  return text
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .split(/[^\p{L}\p{N}']+/u)
    .map((word) => word.replace(/^'+|'+$/g, ''))
    .filter((word) => word.length > 0);
}
