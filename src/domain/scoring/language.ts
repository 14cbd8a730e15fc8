/**
 * Tells English from other languages well enough not to guess at posts the scorer cannot read.
 * The platform's own language tag wins when there is one; otherwise the script, then the common
 * function words of the languages care teams meet most, decide. When unsure, English is assumed:
 * the scorer then reads it, which is better than leaving a complaint unread.
 */
const FUNCTION_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: [
    'the',
    'and',
    'to',
    'of',
    'is',
    'my',
    'you',
    'your',
    'for',
    'it',
    'in',
    'on',
    'this',
    'that',
    'was',
    'with',
    'have',
    'not',
    'are',
    'be',
    'me',
    'at',
    'just',
    'what',
    'why',
    'how',
    'can',
    'get',
    'been',
    'still',
    'from',
    'they',
    'we',
    'our',
    'will',
    'no',
    'so',
    'do',
    'an',
    'flight',
    'thanks',
    'please',
    'i',
    'im',
    'its',
    'dont',
  ],
  es: [
    'el',
    'la',
    'los',
    'las',
    'que',
    'de',
    'del',
    'y',
    'en',
    'por',
    'para',
    'con',
    'una',
    'es',
    'mi',
    'muy',
    'pero',
    'como',
    'gracias',
    'hola',
    'está',
    'esta',
    'vuelo',
    'desde',
    'hace',
    'nadie',
    'nunca',
    'todavía',
    'también',
    'porque',
    'qué',
    'cuando',
    'servicio',
  ],
  fr: [
    'le',
    'les',
    'des',
    'est',
    'et',
    'je',
    'pas',
    'une',
    'du',
    'que',
    'qui',
    'pour',
    'avec',
    'mon',
    'ma',
    'mes',
    'vous',
    'nous',
    'merci',
    'très',
    'mais',
    'toujours',
    'depuis',
    'bonjour',
    'vol',
    'ça',
    'sur',
    'dans',
    'personne',
    'jamais',
  ],
  de: [
    'der',
    'die',
    'das',
    'und',
    'ist',
    'nicht',
    'ich',
    'mit',
    'ein',
    'eine',
    'auf',
    'für',
    'den',
    'dem',
    'von',
    'zu',
    'es',
    'wir',
    'sie',
    'mein',
    'meine',
    'danke',
    'aber',
    'noch',
    'immer',
    'seit',
    'keine',
    'kein',
    'schon',
    'auch',
  ],
  pt: [
    'o',
    'os',
    'as',
    'que',
    'de',
    'do',
    'da',
    'em',
    'um',
    'uma',
    'não',
    'nao',
    'com',
    'para',
    'por',
    'meu',
    'minha',
    'obrigado',
    'obrigada',
    'muito',
    'mas',
    'ainda',
    'voo',
    'você',
    'voce',
    'está',
    'ninguém',
    'nunca',
  ],
  it: [
    'il',
    'lo',
    'gli',
    'che',
    'di',
    'del',
    'della',
    'e',
    'è',
    'non',
    'per',
    'con',
    'una',
    'sono',
    'mio',
    'mia',
    'grazie',
    'ma',
    'ancora',
    'volo',
    'nessuno',
    'mai',
    'anche',
    'perché',
    'questo',
  ],
  nl: [
    'de',
    'het',
    'een',
    'en',
    'van',
    'ik',
    'niet',
    'is',
    'dat',
    'op',
    'met',
    'voor',
    'mijn',
    'je',
    'jullie',
    'maar',
    'nog',
    'geen',
    'bedankt',
    'dank',
    'wel',
    'ook',
    'nooit',
    'vlucht',
  ],
};

const WORD_LANGUAGES = new Map<string, string[]>();
for (const [language, words] of Object.entries(FUNCTION_WORDS)) {
  for (const word of words) WORD_LANGUAGES.set(word, [...(WORD_LANGUAGES.get(word) ?? []), language]);
}

const SCRIPTS: ReadonlyArray<[RegExp, string]> = [
  [/\p{Script=Hiragana}|\p{Script=Katakana}/u, 'ja'],
  [/\p{Script=Hangul}/u, 'ko'],
  [/\p{Script=Han}/u, 'zh'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Devanagari}/u, 'hi'],
];

/** The language of a post: `en`, another ISO 639-1 code, or `und` when it cannot be told. */
export function detectLanguage(words: readonly string[], text: string): string {
  // Letters of another script, when they are most of the letters, settle it.
  if (NON_LATIN_LETTER.test(text) && countMatches(text, NON_LATIN_LETTERS) > countMatches(text, LATIN_LETTERS)) {
    for (const [script, language] of SCRIPTS) if (script.test(text)) return language;
    return 'und';
  }
  const votes = new Map<string, number>();
  for (const word of words) {
    const languages = WORD_LANGUAGES.get(word);
    if (!languages) continue;
    for (const language of languages) votes.set(language, (votes.get(language) ?? 0) + 1 / languages.length);
  }
  const english = votes.get('en') ?? 0;
  let best = 'en';
  let bestVotes = english;
  for (const [language, count] of votes) {
    if (count > bestVotes) {
      best = language;
      bestVotes = count;
    }
  }
  // Another language must clearly outvote English: loanwords and names do not make a post Spanish.
  if (best !== 'en' && bestVotes >= 2 && bestVotes >= 2 * english + 1) return best;
  return 'en';
}

const NON_LATIN_LETTER = /[^\P{L}\p{Script=Latin}]/u;
const NON_LATIN_LETTERS = /[^\P{L}\p{Script=Latin}]/gu;
const LATIN_LETTERS = /\p{Script=Latin}/gu;

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Normalises a platform's language tag: `en-GB` -> `en`; `und`/`zxx`/`qme` and the like -> null. */
export function platformLanguage(lang: string | null | undefined): string | null {
  if (!lang) return null;
  const primary = lang.trim().toLowerCase().split(/[-_]/)[0];
  if (!/^[a-z]{2,3}$/.test(primary) || primary === 'und' || primary === 'zxx' || primary.startsWith('q')) return null;
  return primary;
}
