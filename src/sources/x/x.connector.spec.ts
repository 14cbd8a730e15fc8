import { FakeXApi, snowflakeAt } from '../../../test/fakes/x-api.fake';
import { connectorFailure, drain } from '../../../test/support/connector-testing';
import type { XSourceConfig } from '../../config/app-config';
import type { BrandConfig } from '../../domain/brands/brand';
import type { IncomingPost } from '../../domain/posts/incoming-post';
import type { FetchResult, PlatformSources, SourceConnector, SourceCursor } from '../source-connector';
import { decodeHtmlEntities } from '../html-entities';
import { createXSources, FIRST_POLL_BACKFILL_MS, parseXCursor, type XCursor } from './x.connector';

const BEARER = 'test-bearer-token';
const USER_CREDENTIALS = { appKey: 'app-key', appSecret: 'app-secret', accessToken: 'access-token', accessSecret: 'access-secret' };
const BRAND: BrandConfig = {
  id: 'halcyon-air',
  name: 'Halcyon Air',
  handles: { x: ['HalcyonAir'], mastodon: [], bluesky: [] },
  keywords: ['halcyon air', 'halcyonair', '#halcyonair'],
};
const SEARCH_PATH = '/2/tweets/search/recent';

let fake: FakeXApi;

beforeEach(async () => {
  fake = await new FakeXApi({ bearerToken: BEARER }).start();
});

afterEach(async () => {
  await fake.stop();
});

function sources(overrides: Partial<XSourceConfig> = {}, timeoutMs = 5000): PlatformSources {
  const settings: XSourceConfig = {
    bearerToken: BEARER,
    apiBaseUrl: fake.url,
    appKey: null,
    appSecret: null,
    accessToken: null,
    accessSecret: null,
    ...overrides,
  };
  return createXSources(settings, [BRAND], { timeoutMs });
}

function connector(id: string, overrides: Partial<XSourceConfig> = {}, timeoutMs?: number): SourceConnector {
  const found = sources(overrides, timeoutMs).connectors.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no connector ${id}`);
  return found;
}

const search = (overrides: Partial<XSourceConfig> = {}, timeoutMs?: number): SourceConnector => connector('x:halcyon-air:search', overrides, timeoutMs);
const mentions = (): SourceConnector => connector('x:halcyon-air:mentions:halcyonair');

function fetchOnce(source: SourceConnector, cursor: SourceCursor | null, limit = 100): Promise<FetchResult> {
  return source.fetch(cursor, { now: new Date(), limit });
}

const ids = (posts: readonly { externalId: string }[]): string[] => posts.map((post) => post.externalId);
const newestFirst = (list: readonly { id: string }[]): string[] => list.map((item) => item.id).reverse();

describe('createXSources', () => {
  it('creates a search and a mentions feed per brand, and no replier without user credentials', () => {
    const created = sources();
    expect(created.connectors.map((source) => [source.id, source.platform, source.rateLimitGroup])).toEqual([
      ['x:halcyon-air:search', 'x', 'x:search'],
      ['x:halcyon-air:mentions:halcyonair', 'x', 'x:mentions'],
    ]);
    expect(created.connectors.every((source) => source.description.length > 0)).toBe(true);
    expect(created.replier).toBeNull();
    expect(sources({ ...USER_CREDENTIALS, accessSecret: null }).replier).toBeNull();
    expect(sources(USER_CREDENTIALS).replier?.platform).toBe('x');
  });

  it('creates nothing without a bearer token', () => {
    expect(sources({ bearerToken: null, ...USER_CREDENTIALS })).toEqual({ connectors: [], replier: null });
  });

  it('skips brands without X handles or keywords and refuses a query longer than X accepts, naming the brand', () => {
    const settings: XSourceConfig = { bearerToken: BEARER, apiBaseUrl: fake.url, appKey: null, appSecret: null, accessToken: null, accessSecret: null };
    const quiet: BrandConfig = { id: 'quiet', name: 'Quiet', handles: { x: [], mastodon: ['quiet@example.social'], bluesky: [] }, keywords: [] };
    expect(createXSources(settings, [quiet], { timeoutMs: 1000 }).connectors).toEqual([]);
    const verbose: BrandConfig = { ...BRAND, id: 'verbose', keywords: Array.from({ length: 50 }, (_unused, index) => `a long keyword phrase ${index}`) };
    expect(() => createXSources(settings, [verbose], { timeoutMs: 1000 })).toThrow(/"verbose"/);
  });
});

describe('X recent search connector', () => {
  it('sends the brand query with the fields, expansions and bearer token X needs, through the configured base URL', async () => {
    fake.addTweets(3);
    const result = await fetchOnce(search(), null, 500);
    expect(result.posts).toHaveLength(3);
    const [request] = fake.server.requestsTo(SEARCH_PATH);
    expect(request.headers.authorization).toBe(`Bearer ${BEARER}`);
    expect(Object.fromEntries(request.query)).toEqual({
      query: '(@HalcyonAir OR "halcyon air" OR halcyonair OR #halcyonair) -is:retweet -from:HalcyonAir',
      max_results: '100',
      'tweet.fields': 'created_at,author_id,public_metrics,lang,conversation_id,in_reply_to_user_id,referenced_tweets,note_tweet,edit_history_tweet_ids',
      expansions: 'author_id',
      'user.fields': 'username,name,public_metrics',
      start_time: expect.any(String),
    });
  });

  it('reads one day back on its first poll, not the whole week recent search covers', async () => {
    const now = Date.now();
    fake.addTweet({ text: '@HalcyonAir lost my bag two days ago', createdAt: new Date(now - 2 * 24 * 3600_000) });
    const recent = fake.addTweet({ text: '@HalcyonAir still waiting for my bag', createdAt: new Date(now - 3600_000) });
    const result = await fetchOnce(search(), null, 100);
    expect(result.posts.map((post) => post.externalId)).toEqual([recent.id]);
    const [request] = fake.server.requestsTo(SEARCH_PATH);
    expect(Date.parse(request.query.get('start_time') ?? '')).toBeGreaterThanOrEqual(now - FIRST_POLL_BACKFILL_MS - 1000);
    expect(Date.parse(request.query.get('start_time') ?? '')).toBeLessThanOrEqual(now - FIRST_POLL_BACKFILL_MS + 60_000);
    // Later polls are bounded by the newest post seen instead.
    expect(result.cursor).toEqual({ sinceId: recent.id, paging: null });
  });

  it('asks for at most 100 posts, at least the 10 X allows, else the poller’s limit', async () => {
    const source = search();
    await fetchOnce(source, null, 1000);
    await fetchOnce(source, null, 3);
    await fetchOnce(source, null, 42);
    expect(fake.server.requestsTo(SEARCH_PATH).map((request) => request.query.get('max_results'))).toEqual(['100', '10', '42']);
  });

  it('translates posts: author, counts, reply target, language and URL', async () => {
    const parent = fake.addTweet({ author: 'HalcyonAir', text: 'Our new route is live' });
    const tweet = fake.addTweet({
      author: { username: 'frequent_flyer', name: 'Frequent Flyer', followers: 12345 },
      text: '@HalcyonAir my bag is lost',
      inReplyTo: parent.id,
      lang: 'en',
      metrics: { like_count: 7, retweet_count: 2, quote_count: 3, reply_count: 4 },
    });
    fake.addTweet({ author: 'someone', text: 'halcyon air again', lang: 'und' });
    const { posts } = await fetchOnce(search(), null);
    expect(posts).toHaveLength(2);
    expect(posts[1]).toEqual({
      platform: 'x',
      externalId: tweet.id,
      author: { externalId: fake.user('frequent_flyer')!.id, handle: 'frequent_flyer', displayName: 'Frequent Flyer', followers: 12345 },
      text: '@HalcyonAir my bag is lost',
      lang: 'en',
      postedAt: tweet.createdAt,
      url: `https://x.com/frequent_flyer/status/${tweet.id}`,
      inReplyToExternalId: parent.id,
      metrics: { likes: 7, reposts: 5, replies: 4 },
      brandId: null,
    } satisfies IncomingPost);
    expect(posts[0]).toMatchObject({ text: 'halcyon air again', lang: null, inReplyToExternalId: null });
  });

  it('leaves out retweets and the brand’s own posts, as the query says', async () => {
    const original = fake.addTweet({ text: '@HalcyonAir best crew ever' });
    fake.addTweet({ retweetOf: original.id, author: 'fan' });
    fake.addTweet({ author: 'HalcyonAir', text: 'Thank you @HalcyonAir team' });
    const { posts } = await fetchOnce(search(), null);
    expect(ids(posts)).toEqual([original.id]);
  });

  it('pages a burst of 250 posts in pages of 100, newest first, then moves the lower bound to the newest post', async () => {
    const added = fake.addTweets(250);
    const source = search();

    const first = await fetchOnce(source, null, 100);
    expect(first.posts).toHaveLength(100);
    expect(first.caughtUp).toBe(false);
    const firstCursor = first.cursor as unknown as XCursor;
    expect(firstCursor).toEqual({ sinceId: null, paging: { nextToken: expect.any(String), newestId: added[249].id, startTime: expect.any(String) } });
    expect(JSON.parse(JSON.stringify(first.cursor))).toEqual(first.cursor);

    const second = await fetchOnce(source, first.cursor, 100);
    expect(second.posts).toHaveLength(100);
    expect(second.caughtUp).toBe(false);
    expect(fake.server.requestsTo(SEARCH_PATH)[1].query.get('next_token')).toBe(firstCursor.paging!.nextToken);

    const third = await fetchOnce(source, second.cursor, 100);
    expect(third.posts).toHaveLength(50);
    expect(third.caughtUp).toBe(true);
    expect(third.cursor).toEqual({ sinceId: added[249].id, paging: null });

    expect([...ids(first.posts), ...ids(second.posts), ...ids(third.posts)]).toEqual(newestFirst(added));

    const quiet = await fetchOnce(source, third.cursor, 100);
    expect(quiet).toEqual({ posts: [], cursor: { sinceId: added[249].id, paging: null }, caughtUp: true });
    const lastRequest = fake.server.requestsTo(SEARCH_PATH).at(-1)!;
    expect(lastRequest.query.get('since_id')).toBe(added[249].id);
    expect(lastRequest.query.has('next_token')).toBe(false);
  });

  it('backfills a burst without a gap or a repeat when new posts arrive in the middle of it', async () => {
    const before = fake.addTweets(250);
    const source = search();
    const start = await drain(source, null);
    const previousBound = (start.cursor as unknown as XCursor).sinceId;
    expect(previousBound).toBe(before[249].id);

    // Downtime: 230 posts arrive; the burst pages down to the previous bound.
    const downtime = fake.addTweets(230);
    const first = await fetchOnce(source, start.cursor, 100);
    // More posts arrive while the burst is being paged.
    const meanwhile = fake.addTweets(30);
    const rest = await drain(source, first.cursor, 100);
    expect([...ids(first.posts), ...ids(rest.posts)]).toEqual(newestFirst(downtime));
    expect(rest.fetches).toBe(2);
    expect(
      fake.server
        .requestsTo(SEARCH_PATH)
        .slice(-3)
        .map((request) => request.query.get('since_id')),
    ).toEqual([previousBound, previousBound, previousBound]);
    expect(rest.cursor).toEqual({ sinceId: downtime[229].id, paging: null });

    const next = await drain(source, rest.cursor, 100);
    expect(ids(next.posts)).toEqual(newestFirst(meanwhile));
    expect(next.cursor).toEqual({ sinceId: meanwhile[29].id, paging: null });
  });

  it('copes with the same post on two pages: every post arrives, repeats are only repeats', async () => {
    const added = fake.addTweets(250);
    fake.pageOverlap = 5;
    const { posts, cursor, fetches } = await drain(search(), null, 100);
    expect(fetches).toBe(3);
    expect(posts.length).toBe(260);
    expect(new Set(ids(posts))).toEqual(new Set(ids(added.map((tweet) => ({ externalId: tweet.id })))));
    expect(cursor).toEqual({ sinceId: added[249].id, paging: null });
  });

  it('pages 1,000 posts through rate limits and repeated posts without losing one', async () => {
    const added = fake.addTweets(1000);
    fake.pageOverlap = 3;
    const source = search();
    const seen = new Set<string>();
    let cursor: SourceCursor | null = null;
    let rateLimited = 0;
    const started = Date.now();
    for (let attempt = 0; attempt < 40; attempt += 1) {
      // Every third page request is refused first, as a busy burst would be.
      if (attempt % 3 === 1) fake.rateLimitNext(1, new Date(Date.now() + 60_000), SEARCH_PATH);
      let result: FetchResult;
      try {
        result = await fetchOnce(source, cursor, 100);
      } catch (error) {
        expect(error).toMatchObject({ kind: 'rate_limited' });
        rateLimited += 1;
        continue;
      }
      result.posts.forEach((post) => seen.add(post.externalId));
      cursor = result.cursor;
      if (result.caughtUp) break;
    }
    expect(rateLimited).toBeGreaterThan(3);
    expect(seen.size).toBe(1000);
    expect(cursor).toEqual({ sinceId: added[999].id, paging: null });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps text exactly: emoji, right-to-left scripts, entities X escapes, line breaks and a 10,000-character long post', async () => {
    const texts = [
      '@HalcyonAir ✈️😡 delayed again 👨‍👩‍👧‍👦 🇳🇱',
      '@HalcyonAir الرحلة تأخرت ثلاث ساعات',
      '@HalcyonAir הטיסה בוטלה בלי הודעה',
      '@HalcyonAir fees & charges <b>not</b> ok &amp; typed literally > 5',
      '@HalcyonAir first line\nsecond line\n\nfourth',
    ];
    const long = `@HalcyonAir ${'😡 long complaint, '.repeat(600)}`.slice(0, 10_000);
    const added = fake.addTweets([...texts, long].map((text) => ({ text })));
    const { posts } = await fetchOnce(search(), null);

    const raw = fake.server.requestsTo(SEARCH_PATH);
    expect(raw).toHaveLength(1);
    const byId = new Map(posts.map((post) => [post.externalId, post.text]));
    texts.forEach((text, index) => expect(byId.get(added[index].id)).toBe(text));
    expect(byId.get(added[5].id)).toBe(long);
    expect(byId.get(added[5].id)).toHaveLength(10_000);
  });

  it('decodes X’s entities in one pass', () => {
    expect(decodeHtmlEntities('a &amp; b &lt;tag&gt; &amp;lt; &#128512; &#x1F600; &unknown;')).toBe('a & b <tag> &lt; 😀 😀 &unknown;');
  });

  it('does not return a deleted post', async () => {
    const [first, deleted, last] = fake.addTweets(3);
    fake.deleteTweet(deleted.id);
    const { posts } = await fetchOnce(search(), null);
    expect(ids(posts)).toEqual([last.id, first.id]);
  });

  it('keeps the page when X reports per-item errors next to the data (a deleted referenced post)', async () => {
    const tweet = fake.addTweet({ author: 'reporter' });
    const author = fake.user('reporter')!;
    fake.server.failNext({
      kind: 'status',
      status: 200,
      body: {
        data: [
          {
            id: tweet.id,
            text: tweet.text,
            author_id: author.id,
            created_at: tweet.createdAt.toISOString(),
            edit_history_tweet_ids: [tweet.id],
            referenced_tweets: [{ type: 'replied_to', id: '1' }],
          },
        ],
        includes: { users: [{ id: author.id, username: author.username, name: author.name }] },
        errors: [
          {
            value: '1',
            detail: 'Could not find tweet with referenced_tweets.id: [1].',
            title: 'Not Found Error',
            resource_type: 'tweet',
            parameter: 'referenced_tweets.id',
            resource_id: '1',
            type: 'https://api.twitter.com/2/problems/resource-not-found',
          },
        ],
        meta: { newest_id: tweet.id, oldest_id: tweet.id, result_count: 1 },
      },
    });
    const result = await fetchOnce(search(), null);
    expect(result.posts).toHaveLength(1);
    expect(result.posts[0]).toMatchObject({ externalId: tweet.id, inReplyToExternalId: '1', author: { handle: author.username, followers: 0 } });
    expect(result.cursor).toEqual({ sinceId: tweet.id, paging: null });
  });

  it('takes an edited post (X gives the edit a new id) as the newest version, once', async () => {
    const [tweet] = fake.addTweets([{ text: '@HalcyonAir lost my bag' }]);
    const source = search();
    const first = await drain(source, null);
    expect(ids(first.posts)).toEqual([tweet.id]);

    const edited = fake.editTweet(tweet.id, '@HalcyonAir lost my bag, flight HA123');
    expect(edited.editHistory).toEqual([tweet.id, edited.id]);
    const second = await drain(source, first.cursor);
    expect(second.posts).toHaveLength(1);
    expect(second.posts[0]).toMatchObject({ externalId: edited.id, text: '@HalcyonAir lost my bag, flight HA123' });
    expect(second.cursor).toEqual({ sinceId: edited.id, paging: null });
  });

  it('falls back to the seven-day window when X no longer accepts the stored since_id', async () => {
    const now = new Date();
    const oldBound = snowflakeAt(new Date(now.getTime() - 8 * 24 * 60 * 60 * 1000));
    const sixDaysAgo = fake.addTweet({ text: '@HalcyonAir still waiting', createdAt: new Date(now.getTime() - 6 * 24 * 60 * 60 * 1000) });
    const recent = fake.addTweets(3);

    const result = await search().fetch({ sinceId: oldBound, paging: null }, { now, limit: 100 });
    expect(ids(result.posts)).toEqual([...newestFirst(recent), sixDaysAgo.id]);
    expect(result.caughtUp).toBe(true);
    expect(result.cursor).toEqual({ sinceId: recent[2].id, paging: null });

    const [rejected, retried] = fake.server.requestsTo(SEARCH_PATH);
    expect(rejected.query.get('since_id')).toBe(oldBound);
    expect(retried.query.has('since_id')).toBe(false);
    expect(Date.parse(retried.query.get('start_time')!)).toBe(now.getTime() - 7 * 24 * 60 * 60 * 1000 + 60 * 1000);
  });

  it('keeps the start_time bound across the pages of a burst that fell back to it', async () => {
    const now = new Date();
    fake.addTweets(150);
    const oldBound = snowflakeAt(new Date(now.getTime() - 8 * 24 * 60 * 60 * 1000));
    const source = search();
    const first = await source.fetch({ sinceId: oldBound, paging: null }, { now, limit: 100 });
    const paging = (first.cursor as unknown as XCursor).paging!;
    expect(first.caughtUp).toBe(false);
    expect(paging.startTime).toBe(new Date(now.getTime() - 7 * 24 * 60 * 60 * 1000 + 60 * 1000).toISOString());
    const second = await source.fetch(first.cursor, { now, limit: 100 });
    expect(second.posts).toHaveLength(50);
    expect(second.caughtUp).toBe(true);
    const last = fake.server.requestsTo(SEARCH_PATH).at(-1)!;
    expect(last.query.get('start_time')).toBe(paging.startTime);
    expect(last.query.has('since_id')).toBe(false);
  });

  it('pages the burst again from the newest post when X rejects a stored page token', async () => {
    const added = fake.addTweets(20);
    const cursor: XCursor = { sinceId: added[4].id, paging: { nextToken: 'no-longer-valid', newestId: added[10].id, startTime: null } };
    const result = await fetchOnce(search(), { ...cursor });
    expect(ids(result.posts)).toEqual(newestFirst(added.slice(5)));
    expect(result.cursor).toEqual({ sinceId: added[19].id, paging: null });
    const [rejected, retried] = fake.server.requestsTo(SEARCH_PATH);
    expect(rejected.query.get('next_token')).toBe('no-longer-valid');
    expect(retried.query.has('next_token')).toBe(false);
    expect(retried.query.get('since_id')).toBe(added[4].id);
  });

  it('starts a fresh burst from a cursor it cannot read', async () => {
    expect(parseXCursor({ sinceId: 42, paging: 'x' })).toEqual({ sinceId: null, paging: null });
    expect(parseXCursor({ sinceId: '17', paging: { nextToken: 't', newestId: '20', startTime: 'not a date' } })).toEqual({ sinceId: '17', paging: null });
    fake.addTweets(2);
    const result = await fetchOnce(search(), { something: 'else' });
    expect(result.posts).toHaveLength(2);
  });

  describe('errors', () => {
    it('429: rate_limited until X’s reset time, and nothing more is sent in that fetch', async () => {
      fake.addTweets(5);
      const resetAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 600_000);
      fake.rateLimitNext(1, resetAt);
      const error = await connectorFailure(fetchOnce(search(), null));
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAt).toEqual(resetAt);
      expect(error.message).toContain('Too Many Requests');
      expect(fake.server.requests).toHaveLength(1);
    });

    it('429 without a reset header: retry in 60 seconds', async () => {
      fake.server.failNext({
        kind: 'status',
        status: 429,
        body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
      });
      const before = Date.now();
      const error = await connectorFailure(fetchOnce(search(), null));
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAt!.getTime()).toBeGreaterThanOrEqual(before + 60_000);
      expect(error.retryAt!.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    });

    it('429 with a used-up 24-hour cap: waits for the later reset', async () => {
      const windowReset = Math.floor(Date.now() / 1000) + 600;
      const dayReset = windowReset + 40_000;
      fake.server.failNext({
        kind: 'status',
        status: 429,
        headers: {
          'x-rate-limit-limit': '450',
          'x-rate-limit-remaining': '12',
          'x-rate-limit-reset': String(windowReset),
          'x-app-limit-24hour-limit': '10000',
          'x-app-limit-24hour-remaining': '0',
          'x-app-limit-24hour-reset': String(dayReset),
        },
        body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
      });
      const error = await connectorFailure(fetchOnce(search(), null));
      expect(error.retryAt).toEqual(new Date(dayReset * 1000));
    });

    it('401: rejected, with X’s reason', async () => {
      const error = await connectorFailure(fetchOnce(search({ bearerToken: 'wrong-token' }), null));
      expect(error.kind).toBe('rejected');
      expect(error.message).toMatch(/HTTP 401.*Unauthorized/);
    });

    it('403: rejected, with X’s reason', async () => {
      fake.server.failNext({
        kind: 'status',
        status: 403,
        headers: { 'content-type': 'application/problem+json' },
        body: {
          title: 'Client Forbidden',
          detail:
            'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.',
          reason: 'client-not-enrolled',
          type: 'https://api.twitter.com/2/problems/client-forbidden',
        },
      });
      const error = await connectorFailure(fetchOnce(search(), null));
      expect(error.kind).toBe('rejected');
      expect(error.message).toContain('Client Forbidden: When authenticating requests');
      expect(error.message).toContain('client-not-enrolled');
    });

    it('500 and 503: unavailable', async () => {
      fake.server.failNext({ kind: 'status', status: 500 });
      expect((await connectorFailure(fetchOnce(search(), null))).kind).toBe('unavailable');
      fake.server.failNext({ kind: 'status', status: 503, headers: { 'content-type': 'text/html' }, body: '<html>Over capacity</html>' });
      const error = await connectorFailure(fetchOnce(search(), null));
      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('HTTP 503');
    });

    it('malformed JSON: unavailable', async () => {
      fake.server.failNext({ kind: 'malformed' });
      const error = await connectorFailure(fetchOnce(search(), null));
      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('malformed');
    });

    it.each([
      ['a body that is not an object', ['not', 'an', 'object']],
      ['no meta', { data: [] }],
      ['data that is not a list', { data: { id: '1' }, meta: { result_count: 1 } }],
      ['a post without text', { data: [{ id: '1', author_id: '2', created_at: '2024-01-01T00:00:00.000Z' }], meta: { result_count: 1 } }],
      ['a post with a bad date', { data: [{ id: '1', text: 'x', author_id: '2', created_at: 'yesterday' }], meta: { result_count: 1 } }],
      [
        'a count that is not a number',
        {
          data: [{ id: '1', text: 'x', author_id: '2', created_at: '2024-01-01T00:00:00.000Z', public_metrics: { like_count: 'many' } }],
          meta: { result_count: 1 },
        },
      ],
    ])('a well-formed JSON answer of the wrong shape (%s): unavailable, cursor not moved', async (_case, body) => {
      fake.server.failNext({ kind: 'status', status: 200, body });
      const error = await connectorFailure(fetchOnce(search(), null));
      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('malformed X response');
    });

    it('an answer slower than the time limit: unavailable within about the time limit', async () => {
      const delayMs = 1000;
      fake.server.failNext({ kind: 'slow', delayMs });
      const started = Date.now();
      const error = await connectorFailure(fetchOnce(search({}, 250), null));
      const elapsed = Date.now() - started;
      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('did not answer in time');
      expect(elapsed).toBeGreaterThanOrEqual(200);
      expect(elapsed).toBeLessThan(900);
      // The fake's delay is a plain timer; let it run out so it does not outlive the test file.
      await new Promise((resolve) => setTimeout(resolve, delayMs - elapsed + 50));
    });

    it('a server that never answers: unavailable within about the time limit', async () => {
      fake.server.failNext({ kind: 'hang' });
      const started = Date.now();
      const error = await connectorFailure(fetchOnce(search({}, 250), null));
      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('did not answer in time');
      expect(Date.now() - started).toBeLessThan(900);
    });

    it('nothing listening: unavailable', async () => {
      const address = fake.url;
      await fake.stop();
      const error = await connectorFailure(fetchOnce(search({ apiBaseUrl: address }), null));
      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('could not be reached');
    });
  });
});

describe('X mentions connector', () => {
  beforeEach(() => {
    fake.addUser({ username: 'HalcyonAir', name: 'Halcyon Air' });
  });

  it('looks the account up once, then reads its mentions with the brand set on every post', async () => {
    const added = fake.addTweets(12);
    fake.addTweet({ text: 'halcyon air without a mention' });
    const source = mentions();
    const first = await fetchOnce(source, null, 10);
    expect(first.posts).toHaveLength(10);
    expect(first.posts.every((post) => post.brandId === 'halcyon-air')).toBe(true);
    expect(first.caughtUp).toBe(false);
    const second = await fetchOnce(source, first.cursor, 10);
    expect(ids([...first.posts, ...second.posts])).toEqual(newestFirst(added));
    expect(second.cursor).toEqual({ sinceId: added[11].id, paging: null });

    expect(fake.server.requestsTo('/2/users/by/username/')).toHaveLength(1);
    expect(fake.server.requestsTo('/2/users/by/username/')[0].path).toBe('/2/users/by/username/HalcyonAir');
    const timeline = fake.server.requestsTo(`/2/users/${fake.user('HalcyonAir')!.id}/mentions`);
    expect(timeline).toHaveLength(2);
    expect(timeline[1].query.get('pagination_token')).toBe((first.cursor as unknown as XCursor).paging!.nextToken);
    expect(timeline[0].query.get('expansions')).toBe('author_id');
    expect(timeline[0].query.get('user.fields')).toBe('username,name,public_metrics');
  });

  it('asks for at least the 5 posts X allows on mentions', async () => {
    await fetchOnce(mentions(), null, 2);
    expect(fake.server.requestsTo('/2/users/').at(-1)!.query.get('max_results')).toBe('5');
  });

  it('an account that does not exist: rejected, naming it', async () => {
    const other = createXSources(
      { bearerToken: BEARER, apiBaseUrl: fake.url, appKey: null, appSecret: null, accessToken: null, accessSecret: null },
      [{ ...BRAND, handles: { x: ['NoSuchAccount'], mastodon: [], bluesky: [] } }],
      { timeoutMs: 5000 },
    ).connectors.find((source) => source.id === 'x:halcyon-air:mentions:nosuchaccount')!;
    const error = await connectorFailure(fetchOnce(other, null));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('@NoSuchAccount');
  });

  it('a rate limit on the lookup: rate_limited, and the lookup is tried again next time', async () => {
    const resetAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 120_000);
    fake.rateLimitNext(1, resetAt, '/2/users/by/');
    const source = mentions();
    expect(await connectorFailure(fetchOnce(source, null))).toMatchObject({ kind: 'rate_limited', retryAt: resetAt });
    fake.addTweets(2);
    expect((await fetchOnce(source, null)).posts).toHaveLength(2);
  });
});

describe('X replier', () => {
  it('posts the reply with OAuth 1.0a as the brand account and returns its id', async () => {
    const [complaint] = fake.addTweets([{ text: '@HalcyonAir where is my bag?', author: 'traveller' }]);
    const replier = sources(USER_CREDENTIALS).replier!;
    const posted = await replier.reply({ externalId: complaint.id, authorHandle: 'traveller' }, 'Sorry to hear that! Please DM us your file number. 🙏');
    expect(fake.replies).toHaveLength(1);
    const [received] = fake.replies;
    expect(received).toMatchObject({ inReplyToTweetId: complaint.id, text: 'Sorry to hear that! Please DM us your file number. 🙏' });
    expect(received.authorization).toMatch(/^OAuth /);
    expect(received.oauth).toMatchObject({ oauth_consumer_key: 'app-key', oauth_token: 'access-token', oauth_signature_method: 'HMAC-SHA1' });
    expect(posted).toEqual({ externalId: received.id, url: `https://x.com/i/web/status/${received.id}` });
    expect(fake.server.requestsTo('/2/tweets', 'POST')[0].json).toEqual({
      text: 'Sorry to hear that! Please DM us your file number. 🙏',
      reply: { in_reply_to_tweet_id: complaint.id },
    });
  });

  it('a reply X refuses (deleted target): rejected with X’s reason; a rate limit: rate_limited', async () => {
    const replier = sources(USER_CREDENTIALS).replier!;
    const refused = await connectorFailure(replier.reply({ externalId: '12345', authorHandle: 'gone' }, 'hello'));
    expect(refused.kind).toBe('rejected');
    expect(refused.message).toContain('deleted or not visible');

    const [complaint] = fake.addTweets(1);
    const resetAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 900_000);
    fake.rateLimitNext(1, resetAt, '/2/tweets');
    expect(await connectorFailure(replier.reply({ externalId: complaint.id, authorHandle: 'x' }, 'hello'))).toMatchObject({
      kind: 'rate_limited',
      retryAt: resetAt,
    });
    expect(fake.replies).toHaveLength(0);
  });

  it('a reply that times out: unavailable', async () => {
    const [complaint] = fake.addTweets(1);
    fake.server.failNext({ kind: 'hang' });
    const replier = sources(USER_CREDENTIALS, 250).replier!;
    expect((await connectorFailure(replier.reply({ externalId: complaint.id, authorHandle: 'x' }, 'hello'))).kind).toBe('unavailable');
  });
});
