import {
  compareMastodonIds,
  htmlToPlainText,
  MalformedMastodonEntityError,
  newestMastodonId,
  readNotificationList,
  readStatus,
  statusPlainText,
  statusToIncomingPost,
} from './mastodon-status';

/** A status as masto hands it over (camel-cased keys). */
function statusEntity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '110000000000000001',
    uri: 'https://other.example/users/ana/statuses/42',
    url: 'https://other.example/@ana/42',
    createdAt: '2026-11-24T10:00:00.000Z',
    editedAt: null,
    content: '<p>Hello</p>',
    spoilerText: '',
    language: 'en',
    visibility: 'public',
    inReplyToId: null,
    reblog: null,
    favouritesCount: 3,
    reblogsCount: 2,
    repliesCount: 1,
    account: { id: '7', username: 'ana', acct: 'ana@other.example', displayName: 'Ana', url: 'https://other.example/@ana', followersCount: 1234 },
    ...overrides,
  };
}

describe('htmlToPlainText', () => {
  it('turns paragraphs into blank lines and <br> into line breaks', () => {
    expect(htmlToPlainText('<p>First line<br>second line<br />third</p><p>Next paragraph</p>')).toBe('First line\nsecond line\nthird\n\nNext paragraph');
  });

  it('keeps the text of links, mentions and hashtags, with the hidden parts of URLs', () => {
    const html =
      '<p><span class="h-card" translate="no"><a href="https://mastodon.example/@halcyonair" class="u-url mention">@<span>halcyonair</span></a></span> lost my bag ' +
      '<a href="https://mastodon.example/tags/HalcyonAir" class="mention hashtag" rel="tag">#<span>HalcyonAir</span></a> see ' +
      '<a href="https://example.com/a/very/long/path/to/the/claim?id=1&amp;x=2" rel="nofollow noopener" translate="no"><span class="invisible">https://</span><span class="ellipsis">example.com/a/very/long/path/t</span><span class="invisible">o/the/claim?id=1&amp;x=2</span></a></p>';
    expect(htmlToPlainText(html)).toBe('@halcyonair lost my bag #HalcyonAir see https://example.com/a/very/long/path/to/the/claim?id=1&x=2');
  });

  it('decodes entities once, named and numeric', () => {
    expect(htmlToPlainText('<p>Tom &amp; Jerry&#39;s &lt;b&gt; &quot;q&quot; &#x1F600; &amp;lt; &nbsp;&hellip; &unknown;</p>')).toBe(
      'Tom & Jerry\'s <b> "q" \u{1F600} &lt; \u00a0\u2026 &unknown;',
    );
  });

  it('leaves emoji and right-to-left text unchanged', () => {
    const text = 'رحلتي تأخرت ✈️😡 שלום עולם 👩‍👩‍👧';
    expect(htmlToPlainText(`<p>${text}</p>`)).toBe(text);
  });

  it('drops the hidden quote fallback paragraph', () => {
    expect(htmlToPlainText('<p class="quote-inline">RE: <a href="https://x.example/1">x.example/1</a></p><p>So true</p>')).toBe('So true');
  });

  it('keeps a 10,000-character status whole', () => {
    const long = `${'ab😀 '.repeat(2499)}ab😀!`;
    const text = htmlToPlainText(`<p>${long}</p>`);
    expect([...text].length).toBe(10_000);
    expect(text).toBe(long);
  });
});

describe('statusPlainText', () => {
  it('puts the content warning before the text', () => {
    expect(statusPlainText({ spoilerText: 'Rant about delays', content: '<p>Four hours!</p>' })).toBe('Rant about delays\n\nFour hours!');
    expect(statusPlainText({ spoilerText: 'Only a warning', content: '' })).toBe('Only a warning');
    expect(statusPlainText({ spoilerText: '', content: '<p>Plain</p>' })).toBe('Plain');
  });
});

describe('compareMastodonIds', () => {
  it('orders by length first, then lexically', () => {
    expect(compareMastodonIds('99', '100')).toBeLessThan(0);
    expect(compareMastodonIds('100', '99')).toBeGreaterThan(0);
    expect(compareMastodonIds('110', '109')).toBeGreaterThan(0);
    expect(compareMastodonIds('42', '42')).toBe(0);
    expect(newestMastodonId(['99999999', '100000001', '100000000'])).toBe('100000001');
    expect(newestMastodonId([])).toBeNull();
  });
});

describe('readStatus and statusToIncomingPost', () => {
  it('translates a status: uri as id, acct as handle, counts as metrics', () => {
    const post = statusToIncomingPost(readStatus(statusEntity({ inReplyToId: '109' }), 'status'), 'halcyon-air');
    expect(post).toEqual({
      platform: 'mastodon',
      externalId: 'https://other.example/users/ana/statuses/42',
      author: { externalId: 'https://other.example/@ana', handle: 'ana@other.example', displayName: 'Ana', followers: 1234 },
      text: 'Hello',
      lang: 'en',
      postedAt: new Date('2026-11-24T10:00:00.000Z'),
      url: 'https://other.example/@ana/42',
      inReplyToExternalId: '109',
      metrics: { likes: 3, reposts: 2, replies: 1 },
      brandId: 'halcyon-air',
    });
  });

  it('marks boosts', () => {
    expect(readStatus(statusEntity({ reblog: statusEntity() }), 'status').isBoost).toBe(true);
    expect(readStatus(statusEntity(), 'status').isBoost).toBe(false);
  });

  it('rejects missing fields and wrong types', () => {
    expect(() => readStatus(statusEntity({ uri: undefined }), 'status')).toThrow(MalformedMastodonEntityError);
    expect(() => readStatus(statusEntity({ createdAt: 'yesterday' }), 'status')).toThrow('status.createdAt is not a date');
    expect(() => readStatus(statusEntity({ favouritesCount: '3' }), 'status')).toThrow('status.favouritesCount is not a number');
    expect(() => readStatus(statusEntity({ account: { id: '7' } }), 'status')).toThrow('status.account.username');
    expect(() => readStatus('nope', 'status')).toThrow('status is not an object');
  });

  it('reads notifications whose status was deleted as having none', () => {
    const notifications = readNotificationList(
      [
        { id: '2', type: 'mention', status: null },
        { id: '1', type: 'mention', status: statusEntity() },
      ],
      'notifications',
    );
    expect(notifications.map((notification) => notification.status?.id ?? null)).toEqual([null, '110000000000000001']);
    expect(() => readNotificationList({ data: [] }, 'notifications')).toThrow('notifications is not an array');
  });
});
