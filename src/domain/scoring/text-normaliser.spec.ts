import { plainText, wordsOf } from './text-normaliser';

describe('plainText', () => {
  it('decodes the HTML entities platforms put in post text', () => {
    expect(plainText('delayed &amp; no info')).toBe('delayed & no info');
    expect(plainText('&lt;3 &gt;:( &quot;help&quot; it&#39;s it&apos;s a&nbsp;b')).toBe('<3 >:( "help" it\'s it\'s a b');
  });

  it('decodes an entity once, so escaped text stays as the customer typed it', () => {
    expect(plainText('&amp;lt;b&amp;gt;')).toBe('&lt;b&gt;');
  });

  it('leaves text without entities or markup unchanged', () => {
    expect(plainText("Flight 123 delayed again, don't care & won't fly <3")).toBe("Flight 123 delayed again, don't care & won't fly <3");
  });

  it('strips markup and keeps the words apart', () => {
    const text = plainText('delayed <b>again</b><br/>no <a href="https://example.com">info</a>');
    expect(text).not.toMatch(/[<>]/);
    expect(text.split(/\s+/).filter((word) => word.length > 0)).toEqual(['delayed', 'again', 'no', 'info']);
    expect(plainText('<p>still waiting</p><p>for my bag</p>').trim().split(/\s+/)).toEqual(['still', 'waiting', 'for', 'my', 'bag']);
  });

  it('does not treat an encoded < as markup', () => {
    expect(plainText('I &lt;3 this crew &gt; the other lot')).toBe('I <3 this crew > the other lot');
  });
});

describe('wordsOf', () => {
  it('gives the lower-case words of a post', () => {
    expect(wordsOf('Still NO Bag, day 3!')).toEqual(['still', 'no', 'bag', 'day', '3']);
  });

  it('gives no words for empty, blank or emoji-only text', () => {
    expect(wordsOf('')).toEqual([]);
    expect(wordsOf('   \n\t')).toEqual([]);
    expect(wordsOf('😡😡😡 🙂')).toEqual([]);
  });

  it('decodes entities and strips markup before splitting', () => {
    expect(wordsOf('delayed &amp; no info <b>again</b>')).toEqual(['delayed', 'no', 'info', 'again']);
    expect(wordsOf('it&#39;s <i>late</i>')).toEqual(["it's", 'late']);
  });

  it('removes handles and URLs', () => {
    expect(wordsOf('@HalcyonAir lost my bag https://t.co/abc123 http://example.com/x?y=1')).toEqual(['lost', 'my', 'bag']);
    expect(wordsOf('thanks @Halcyon_Air_Help!')).toEqual(['thanks']);
  });

  it('removes Mastodon and Bluesky handles whole', () => {
    expect(wordsOf('@halcyonair@mastodon.social lost my bag')).toEqual(['lost', 'my', 'bag']);
    expect(wordsOf('@halcyonair.bsky.social lost my bag')).toEqual(['lost', 'my', 'bag']);
  });

  it('keeps the word of a hashtag without its mark', () => {
    expect(wordsOf('#NeverAgain #fail')).toEqual(['neveragain', 'fail']);
  });

  it('squeezes elongations to two letters', () => {
    expect(wordsOf('sooooo')).toEqual(['soo']);
    expect(wordsOf('goooood flight, nooooo bag')).toEqual(['good', 'flight', 'noo', 'bag']);
  });

  it('leaves ordinary double letters and digits alone', () => {
    expect(wordsOf('good luggage 1000')).toEqual(['good', 'luggage', '1000']);
  });

  it('keeps apostrophes inside words ("don\'t") and drops quotes around them', () => {
    expect(wordsOf("I don't know why it won't load")).toEqual(['i', "don't", 'know', 'why', 'it', "won't", 'load']);
    expect(wordsOf("they said 'soon' again")).toEqual(['they', 'said', 'soon', 'again']);
  });

  it('keeps a typographic apostrophe inside a word, like a plain one', () => {
    expect(wordsOf('I don’t know')).toEqual(wordsOf("I don't know"));
  });

  it('keeps letters outside ASCII', () => {
    expect(wordsOf('Café très délicieux')).toEqual(['café', 'très', 'délicieux']);
  });
});
