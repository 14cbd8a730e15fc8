import { readPost, type PostReading } from './tweet-reader';

const words = (reading: PostReading): string[] => reading.tokens.map((token) => token.word);
const negatedWords = (reading: PostReading): string[] => reading.tokens.filter((token) => token.negated).map((token) => token.word);

describe('readPost', () => {
  describe('negation scope', () => {
    it('covers the words after a negator, not the negator itself', () => {
      const reading = readPost('not happy with the service');
      expect(negatedWords(reading)).toEqual(['happy', 'with', 'the', 'service']);
      expect(reading.tokens[0]).toMatchObject({ word: 'not', negator: true, negated: false });
    });

    it('stops at the end of the clause', () => {
      expect(negatedWords(readPost('I did not like the food, the crew was lovely'))).toEqual(['like', 'the', 'food']);
      expect(negatedWords(readPost('never got a reply and this is a disgrace'))).toEqual(['got', 'a', 'reply']);
      expect(negatedWords(readPost('no reply. happy to wait though'))).toEqual(['reply']);
      expect(negatedWords(readPost('not great; lovely crew'))).toEqual(['great']);
    });

    it('does not read an answering "no" as negating what follows', () => {
      expect(negatedWords(readPost('No I missed the funeral'))).toEqual([]);
      expect(negatedWords(readPost('no we were told to wait'))).toEqual([]);
      expect(negatedWords(readPost("no, I didn't get a refund"))).toEqual(['get', 'a', 'refund']);
      expect(negatedWords(readPost('no reply from anyone'))).toEqual(['reply', 'from', 'anyone']);
      expect(negatedWords(readPost('no one answers the phone'))).toEqual(['one', 'answers', 'the', 'phone']);
    });

    it('stops after four words', () => {
      const reading = readPost('not one single person on this flight was happy');
      expect(negatedWords(reading)).toEqual(['one', 'single', 'person', 'on']);
      expect(reading.tokens.find((token) => token.word === 'happy')?.negated).toBe(false);
    });

    it('restarts at a second negator', () => {
      expect(negatedWords(readPost('no food no water no help at all'))).toEqual(['food', 'water', 'help', 'at', 'all']);
    });

    it('reads contractions, straight or curly, as negators', () => {
      for (const text of ["I don't care", 'I don’t care', 'I dont care']) {
        const reading = readPost(text);
        expect(words(reading)).toEqual(['i', 'dont', 'care']);
        expect(negatedWords(reading)).toEqual(['care']);
      }
    });

    it('numbers clauses and sentences', () => {
      const reading = readPost('still waiting, no reply. What now? really');
      expect(reading.tokens.map((token) => [token.word, token.clause, token.sentence])).toEqual([
        ['still', 0, 0],
        ['waiting', 0, 0],
        ['no', 1, 0],
        ['reply', 1, 0],
        ['what', 2, 1],
        ['now', 2, 1],
        ['really', 3, 2],
      ]);
      expect(reading.sentences).toEqual([
        { start: 0, end: 4, question: false },
        { start: 4, end: 6, question: true },
        { start: 6, end: 7, question: false },
      ]);
    });
  });

  describe('hashtags', () => {
    it('splits run-together hashtags into marked words', () => {
      const reading = readPost('#NeverAgain with this airline');
      expect(reading.tokens.slice(0, 2)).toEqual([
        expect.objectContaining({ word: 'never', hashtag: true, negator: true }),
        expect.objectContaining({ word: 'again', hashtag: true }),
      ]);
      expect(reading.tokens.slice(2).every((token) => !token.hashtag)).toBe(true);
    });

    it('splits on underscores and case changes and keeps single words whole', () => {
      expect(words(readPost('#worst_airline #fail #WiFiDown #customerservice'))).toEqual(['worst', 'airline', 'fail', 'wi', 'fi', 'down', 'customerservice']);
      expect(words(readPost('#BadUXDesign'))).toEqual(['bad', 'ux', 'design']);
    });
  });

  describe('handles and links', () => {
    it('counts handles of every platform and URLs and removes them from the words', () => {
      const reading = readPost('@united @name@mastodon.social @bob.bsky.social hi https://t.co/abc www.example.com done');
      expect(reading.handles).toBe(3);
      expect(reading.urls).toBe(2);
      expect(words(reading)).toEqual(['hi', 'done']);
    });

    it('counts nothing when there is nothing', () => {
      expect(readPost('still waiting')).toMatchObject({ handles: 0, urls: 0, capsWords: 0, exclamationRuns: 0, questionRuns: 0, elongations: 0 });
    });
  });

  describe('how it is written', () => {
    it('counts words in capitals of four letters or more, and short ones that are words, not numbers', () => {
      expect(readPost('WORST FLIGHT EVER').capsWords).toBe(3);
      expect(readPost('WHY is it NOT here').capsWords).toBe(2);
      expect(readPost('ABC 123 NASA UK ok').capsWords).toBe(1);
      expect(readPost('I am OK').capsWords).toBe(0);
    });

    it('does not take codes written in capitals for shouting', () => {
      expect(readPost('flight LAX to PHL, then DUB').capsWords).toBe(0);
      expect(readPost('SKU ABX on order TH5 is for the USB hub').capsWords).toBe(0);
    });

    it('counts runs of "!!" and of "??" or "?!", not single marks', () => {
      const reading = readPost('terrible!!! really!! why?? ok?! fine! sure?');
      expect(reading.exclamationRuns).toBe(2);
      expect(reading.questionRuns).toBe(2);
      expect(readPost('fine! sure?')).toMatchObject({ exclamationRuns: 0, questionRuns: 0 });
    });

    it('counts elongations and squeezes them for look-ups', () => {
      const reading = readPost('sooooo baaaaad, so bad');
      expect(reading.elongations).toBe(2);
      expect(reading.tokens.map((token) => [token.word, token.squeezed])).toEqual([
        ['soo', 'so'],
        ['baad', 'bad'],
        ['so', 'so'],
        ['bad', 'bad'],
      ]);
      expect(readPost('good coffee, too sweet').elongations).toBe(0);
    });
  });

  describe('emoji and emoticons', () => {
    it('sorts emoji into positive and negative and drops them from the words', () => {
      const reading = readPost('flight done 😡👎 but crew 😍👍🙂');
      expect(reading.negativeEmoji).toEqual(['😡', '👎']);
      expect(reading.positiveEmoji).toEqual(['😍', '👍', '🙂']);
      expect(words(reading)).toEqual(['flight', 'done', 'but', 'crew']);
    });

    it('ignores emoji whose feeling is not clear', () => {
      const reading = readPost('✈️ 🧳 🤷');
      expect(reading.negativeEmoji).toEqual([]);
      expect(reading.positiveEmoji).toEqual([]);
    });

    it.each([':)', ':-)', ';)', ':D', '<3', '=)', ':P'])('reads %s as positive', (emoticon) => {
      const reading = readPost(`the crew ${emoticon} thanks`);
      expect(reading.positiveEmoji).toEqual([emoticon]);
      expect(reading.negativeEmoji).toEqual([]);
      expect(words(reading)).toEqual(['the', 'crew', 'thanks']);
    });

    it.each([':(', ':-(', ':/', ":'(", 'D:', '>:('])('reads %s as negative', (emoticon) => {
      const reading = readPost(`my bag ${emoticon} again`);
      expect(reading.negativeEmoji).toEqual([emoticon]);
      expect(reading.positiveEmoji).toEqual([]);
      expect(words(reading)).toEqual(['my', 'bag', 'again']);
    });

    it('does not read a URL or a time as an emoticon', () => {
      const reading = readPost('see https://example.com/a:)b at 10:30');
      expect(reading.positiveEmoji).toEqual([]);
      expect(reading.negativeEmoji).toEqual([]);
    });

    it('keeps the words between a "<3" and a later ">:(" (they are not markup)', () => {
      const reading = readPost('love you guys <3 but the wifi is down >:(');
      expect(words(reading)).toEqual(['love', 'you', 'guys', 'but', 'the', 'wifi', 'is', 'down']);
      expect(reading.positiveEmoji).toEqual(['<3']);
      expect(reading.negativeEmoji).toEqual(['>:(']);
    });
  });

  describe('text it is given', () => {
    it('reads empty and blank text as no words', () => {
      for (const text of ['', '   ', '\n\t']) expect(readPost(text)).toMatchObject({ tokens: [], sentences: [] });
    });

    it('decodes entities and strips markup into plain text', () => {
      const reading = readPost('<p>still waiting</p> &amp; no reply');
      expect(reading.plain).not.toMatch(/<p>|&amp;/);
      expect(words(reading)).toEqual(['still', 'waiting', 'no', 'reply']);
    });

    it('reads a very long post only up to its bound', () => {
      const reading = readPost('word '.repeat(5_000));
      expect(reading.plain.length).toBeLessThanOrEqual(5_000);
      expect(reading.tokens.length).toBeGreaterThan(900);
      expect(reading.tokens.length).toBeLessThanOrEqual(1_000);
    });

    it("drops a possessive 's", () => {
      expect(words(readPost("the airline's app"))).toEqual(['the', 'airline', 'app']);
    });
  });
});
