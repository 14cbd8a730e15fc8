import { detectLanguage, platformLanguage } from './language';
import { readPost } from './tweet-reader';

/** Detects a text's language from its words and its plain text, as the care scorer does. */
function languageOf(text: string): string {
  const reading = readPost(text);
  return detectLanguage(
    reading.tokens.map((token) => token.word),
    reading.plain,
  );
}

describe('platformLanguage', () => {
  it('keeps the primary language of a tag, lower case', () => {
    expect(platformLanguage('en')).toBe('en');
    expect(platformLanguage('en-GB')).toBe('en');
    expect(platformLanguage('EN-us')).toBe('en');
    expect(platformLanguage('pt_BR')).toBe('pt');
    expect(platformLanguage(' fr ')).toBe('fr');
    expect(platformLanguage('zh-Hant-TW')).toBe('zh');
    expect(platformLanguage('fil')).toBe('fil');
  });

  it('gives null for no tag and for tags that name no language', () => {
    for (const tag of [null, undefined, '', '   ', 'und', 'zxx', 'qme', 'qam', 'qht', 'QME', 'und-Latn']) expect(platformLanguage(tag)).toBeNull();
  });

  it('gives null for something that is not a language tag', () => {
    for (const tag of ['english', 'e', '12', 'en!']) expect(platformLanguage(tag)).toBeNull();
  });
});

describe('detectLanguage', () => {
  it.each([
    'my flight is delayed and nobody answers',
    'still waiting for my bag',
    'thanks for fixing it so fast',
    'what time does the lounge open?',
    'day 3 and still no bag',
  ])('reads "%s" as English', (text) => {
    expect(languageOf(text)).toBe('en');
  });

  it.each([
    ['es', 'mi vuelo lleva tres horas de retraso y nadie nos da información'],
    ['fr', 'mon vol est annulé et personne ne répond depuis deux heures'],
    ['de', 'mein Flug ist seit drei Stunden verspätet und niemand hilft uns'],
    ['pt', 'o meu voo está atrasado e ninguém responde'],
    ['it', 'il mio volo è in ritardo e nessuno risponde'],
    ['nl', 'mijn vlucht is vertraagd en niemand neemt op'],
  ])('reads %s function words', (language, text) => {
    expect(languageOf(text)).toBe(language);
  });

  it.each([
    ['ja', '私の荷物が届きません。どうなっていますか？'],
    ['ko', '내 가방이 없어졌어요'],
    ['zh', '我的行李丢了'],
    ['ru', 'мой багаж потерян, никто не отвечает'],
    ['ar', 'حقيبتي ضاعت'],
    ['el', 'η πτήση μου καθυστερεί'],
  ])('reads %s script', (language, text) => {
    expect(languageOf(text)).toBe(language);
  });

  it('keeps English with foreign names, places and loanwords English', () => {
    expect(languageOf('Jean-Pierre Dubois at the Paris desk was so rude')).toBe('en');
    expect(languageOf('had the paella at El Corte Ingles before my flight, it was delayed')).toBe('en');
    expect(languageOf('Thanks to François at the gate, merci beaucoup!')).toBe('en');
    expect(languageOf('the word Москва in an English sentence about my delayed flight')).toBe('en');
  });

  it('assumes English when it cannot tell, so a complaint is still read', () => {
    for (const text of ['', '😡😡', 'lol', 'gracias', '#fail']) expect(languageOf(text)).toBe('en');
  });
});
