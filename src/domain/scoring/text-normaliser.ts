/** Decodes the HTML entities platforms put in post text and strips markup. */
export function plainText(text: string): string {
  return (
    text
      // Only what looks like a tag: "<3" and "a < b > c" are words, not markup.
      .replace(/<\/?[a-zA-Z][^<>]{0,200}>/g, ' ')
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
