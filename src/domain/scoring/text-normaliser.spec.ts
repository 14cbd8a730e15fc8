import { plainText } from './text-normaliser';

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
