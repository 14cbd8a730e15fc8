import { PhraseMatcher, isNumberWord, type PhraseMatch } from './phrase-matcher';
import { readPost } from './tweet-reader';

/** Matches as "key: matched words", in the order found. */
function find(matcher: PhraseMatcher<string>, text: string): string[] {
  const { tokens } = readPost(text);
  return matcher.findAll(tokens).map((match: PhraseMatch<string>) => `${match.key}: ${phraseOf(tokens, match)}`);
}

function phraseOf(tokens: ReturnType<typeof readPost>['tokens'], match: PhraseMatch<string>): string {
  return tokens
    .slice(match.start, match.end)
    .map((token) => token.word)
    .join(' ');
}

describe('PhraseMatcher', () => {
  it('finds an exact phrase and where it stands', () => {
    const matcher = new PhraseMatcher<string>().add('still waiting', 'waiting');
    const { tokens } = readPost('I am still waiting for a reply');
    expect(matcher.findAll(tokens)).toEqual([{ key: 'waiting', start: 2, end: 4 }]);
  });

  it('needs every word in order and next to each other', () => {
    const matcher = new PhraseMatcher<string>().add('still waiting', 'waiting');
    expect(find(matcher, 'waiting still')).toEqual([]);
    expect(find(matcher, 'still not waiting')).toEqual([]);
    expect(find(matcher, 'still. waiting')).toEqual(['waiting: still waiting']);
  });

  it('matches whole words, ignoring case and apostrophes in the phrase', () => {
    const matcher = new PhraseMatcher<string>().add('Lost my BAG', 'lost').add("don't care", 'careless');
    expect(find(matcher, 'they LOST MY bag')).toEqual(['lost: lost my bag']);
    expect(find(matcher, 'they lost my bags')).toEqual([]);
    expect(find(matcher, "you don't care")).toEqual(['careless: dont care']);
  });

  it('matches a prefix ending in *', () => {
    const matcher = new PhraseMatcher<string>().add('cancel*', 'cancellation').add('flight cancel*', 'flight');
    expect(find(matcher, 'cancelled')).toEqual(['cancellation: cancelled']);
    expect(find(matcher, 'cancel')).toEqual(['cancellation: cancel']);
    expect(find(matcher, 'a cancellation fee')).toEqual(['cancellation: cancellation']);
    expect(find(matcher, 'flight cancelled')).toEqual(['flight: flight cancelled', 'cancellation: cancelled']);
    expect(find(matcher, 'uncancelled')).toEqual([]);
  });

  it('matches a number with #, in digits or words', () => {
    const matcher = new PhraseMatcher<string>().add('on hold for # minutes', 'hold');
    expect(find(matcher, 'on hold for 45 minutes')).toEqual(['hold: on hold for 45 minutes']);
    expect(find(matcher, 'on hold for forty minutes')).toEqual(['hold: on hold for forty minutes']);
    expect(find(matcher, 'on hold for several minutes')).toEqual(['hold: on hold for several minutes']);
    expect(find(matcher, 'on hold for the minutes')).toEqual([]);
  });

  it('finds overlapping matches, longest and shortest, at every start', () => {
    const matcher = new PhraseMatcher<string>()
      .add('still', 'still')
      .add('still waiting', 'waiting')
      .add('waiting for', 'for')
      .add('waiting for a reply', 'reply');
    expect(find(matcher, 'still waiting for a reply')).toEqual(['still: still', 'waiting: still waiting', 'for: waiting for', 'reply: waiting for a reply']);
  });

  it('gives every key of a phrase, and each key once', () => {
    const matcher = new PhraseMatcher<string>().add('refund', 'billing').add('refund', 'demand').add('refund', 'billing');
    expect(find(matcher, 'I want a refund')).toEqual(['billing: refund', 'demand: refund']);
  });

  it('matches squeezed elongations', () => {
    const matcher = new PhraseMatcher<string>().add('so bad', 'bad').add('please', 'please');
    expect(find(matcher, 'sooooo baaaaad')).toEqual(['bad: soo baad']);
    expect(find(matcher, 'pleeeeease')).toEqual(['please: pleease']);
    // An ordinary double letter is a spelling, not an elongation.
    expect(find(new PhraseMatcher<string>().add('god', 'god'), 'good')).toEqual([]);
  });

  it('looks only inside the range it is given', () => {
    const matcher = new PhraseMatcher<string>().add('no reply', 'reply');
    const { tokens } = readPost('no reply and no reply');
    expect(matcher.findAll(tokens).map((match) => match.start)).toEqual([0, 3]);
    expect(matcher.findAll(tokens, 1).map((match) => match.start)).toEqual([3]);
    expect(matcher.findAll(tokens, 0, 3).map((match) => match.start)).toEqual([0]);
    expect(matcher.findAll(tokens, 3, 4)).toEqual([]);
  });

  it('finds nothing in no words', () => {
    expect(new PhraseMatcher<string>().add('still waiting', 'waiting').findAll([])).toEqual([]);
  });
});

describe('isNumberWord', () => {
  it('knows digits and number words', () => {
    for (const word of ['3', '45', '2nd', 'two', 'several', 'couple']) expect(isNumberWord(word)).toBe(true);
    for (const word of ['the', 'hours', 'once', '']) expect(isNumberWord(word)).toBe(false);
  });
});
