import { FakeMastodonApi } from '../../../test/fakes/mastodon-api.fake';
import { connectorFailure, drain } from '../../../test/support/connector-testing';
import type { BrandConfig } from '../../domain/brands/brand';
import type { FetchResult, PlatformSources, PublicReplier, SourceConnector, SourceCursor } from '../source-connector';
import { createMastodonSources } from './mastodon.connector';

const TIMEOUT_MS = 250;

const brands: BrandConfig[] = [
  {
    id: 'halcyon-air',
    name: 'Halcyon Air',
    handles: { x: ['HalcyonAir'], mastodon: ['HalcyonAir'], bluesky: [] },
    keywords: ['Halcyon Air', '#HalcyonAir', 'lost luggage', 'halcyon  air'],
  },
  { id: 'other-brand', name: 'Other Brand', handles: { x: [], mastodon: ['otherbrand'], bluesky: [] }, keywords: ['#OtherBrand'] },
];

let fake: FakeMastodonApi;
let sources: PlatformSources;

beforeEach(async () => {
  fake = await new FakeMastodonApi().start();
  sources = createMastodonSources({ url: fake.url, token: fake.token }, brands, { timeoutMs: TIMEOUT_MS });
});

afterEach(async () => {
  await fake.stop();
});

function connector(id: string, from: PlatformSources = sources): SourceConnector {
  const found = from.connectors.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no connector ${id} in ${from.connectors.map((candidate) => candidate.id).join(', ')}`);
  return found;
}

function replier(from: PlatformSources = sources): PublicReplier {
  if (!from.replier) throw new Error('no replier');
  return from.replier;
}

const mentions = (): SourceConnector => connector('mastodon:mentions');
const hashtag = (): SourceConnector => connector('mastodon:halcyon-air:tag:halcyonair');
const search = (): SourceConnector => connector('mastodon:halcyon-air:search:lost-luggage');

function fetchOnce(source: SourceConnector, cursor: SourceCursor | null, limit = 20): Promise<FetchResult> {
  return source.fetch(cursor, { now: new Date(), limit });
}

/** A cursor past everything there is now, so the next fetch sees only what is added after. */
async function startedCursor(source: SourceConnector): Promise<SourceCursor> {
  return (await fetchOnce(source, null)).cursor;
}

describe('createMastodonSources', () => {
  it('offers nothing without a server URL or a token', () => {
    expect(createMastodonSources({ url: null, token: 'token' }, brands, { timeoutMs: 1000 })).toEqual({ connectors: [], replier: null });
    expect(createMastodonSources({ url: 'https://mastodon.example', token: null }, brands, { timeoutMs: 1000 })).toEqual({ connectors: [], replier: null });
  });

  it('makes one mentions feed, a feed per hashtag and a search per keyword, all in one rate-limit group', () => {
    expect(sources.connectors.map((source) => source.id)).toEqual([
      'mastodon:mentions',
      'mastodon:halcyon-air:search:halcyon-air',
      'mastodon:halcyon-air:tag:halcyonair',
      'mastodon:halcyon-air:search:lost-luggage',
      'mastodon:other-brand:tag:otherbrand',
    ]);
    const host = new URL(fake.url).host;
    for (const source of sources.connectors) {
      expect(source.platform).toBe('mastodon');
      expect(source.rateLimitGroup).toBe(`mastodon:${host}`);
      expect(source.description).toContain(host);
    }
    expect(replier().platform).toBe('mastodon');
  });
});

describe('mentions', () => {
  it('takes only the newest page on the first poll and attributes mentions to the brand of the account', async () => {
    const added = fake.addStatuses(5, {}, { mention: true });
    const result = await fetchOnce(mentions(), null, 3);

    expect(result.posts.map((post) => post.externalId)).toEqual(
      added
        .slice(2)
        .reverse()
        .map((status) => status.uri),
    );
    expect(result.caughtUp).toBe(true);
    expect(result.cursor).toEqual({ minId: '994' });
    expect(result.posts[0]).toMatchObject({ platform: 'mastodon', brandId: 'halcyon-air', author: { handle: 'traveller' } });
    const [request] = fake.server.requestsTo('/api/v1/notifications');
    expect(request.query.getAll('types[]')).toEqual(['mention']);
    expect(request.query.get('limit')).toBe('3');
    expect(request.query.has('min_id')).toBe(false);
    expect(request.headers.authorization).toBe(`Bearer ${fake.token}`);
  });

  it('pages forward with min_id to caught-up, across ids that grow a digit, then reads what arrives between polls', async () => {
    const empty = await fetchOnce(mentions(), null);
    expect(empty).toEqual({ posts: [], cursor: { minId: '0' }, caughtUp: true });

    // Notification ids 990..1001: "1000" sorts before "999" as plain strings.
    const burst = fake.addStatuses(12, (index) => ({ text: `complaint ${index + 1}` }), { mention: true });
    const first = await drain(mentions(), empty.cursor, 5);
    expect(first.fetches).toBe(3);
    expect(first.posts.map((post) => post.externalId).sort()).toEqual(burst.map((status) => status.uri).sort());
    expect(new Set(first.posts.map((post) => post.externalId)).size).toBe(12);
    expect(first.cursor).toEqual({ minId: '1001' });
    expect(fake.server.requestsTo('/api/v1/notifications').map((request) => request.query.get('min_id'))).toEqual([null, '0', '994', '999']);

    const later = fake.addStatuses(3, (index) => ({ text: `later ${index}` }), { mention: true });
    const second = await drain(mentions(), first.cursor, 5);
    expect(second.fetches).toBe(1);
    expect(second.posts.map((post) => post.externalId)).toEqual(later.map((status) => status.uri).reverse());
    expect((await fetchOnce(mentions(), second.cursor)).posts).toEqual([]);
  });

  it('asks for at most 80 notifications a page', async () => {
    fake.addStatuses(90, {}, { mention: true });
    const result = await fetchOnce(mentions(), { minId: '0' }, 500);
    expect(result.posts).toHaveLength(80);
    expect(result.caughtUp).toBe(false);
    expect(fake.server.requestsTo('/api/v1/notifications')[0].query.get('limit')).toBe('80');
  });

  it('looks the account up once, lazily', async () => {
    expect(fake.server.requestsTo('/api/v1/accounts/verify_credentials')).toHaveLength(0);
    await fetchOnce(mentions(), null);
    await fetchOnce(mentions(), null);
    expect(fake.server.requestsTo('/api/v1/accounts/verify_credentials')).toHaveLength(1);
  });

  it('leaves the brand to ingest when no brand lists the account', async () => {
    const unlisted = createMastodonSources({ url: fake.url, token: fake.token }, [{ ...brands[1] }], { timeoutMs: TIMEOUT_MS });
    fake.addMention({ text: 'where is my bag' });
    const result = await fetchOnce(connector('mastodon:mentions', unlisted), null);
    expect(result.posts[0].brandId).toBeNull();
  });

  it('skips notifications of deleted statuses and of other types, and still moves past them', async () => {
    const cursor = await startedCursor(mentions());
    const deleted = fake.addMention({ text: 'deleted soon' });
    const kept = fake.addMention({ text: 'kept' });
    fake.deleteStatus(deleted.id);
    fake.addNotification('favourite', kept.id);
    fake.addNotification('follow', null);
    // A server that ignores types[] sends the others too.
    fake.answerNext(
      {
        body: [
          { id: '5000', type: 'follow', created_at: new Date().toISOString(), account: fake.account },
          { id: '4999', type: 'mention', created_at: new Date().toISOString(), account: fake.account, status: null },
        ],
      },
      '/api/v1/notifications',
    );
    const ignoringTypes = await fetchOnce(mentions(), cursor);
    expect(ignoringTypes).toEqual({ posts: [], cursor: { minId: '5000' }, caughtUp: true });

    const result = await fetchOnce(mentions(), cursor);
    expect(result.posts.map((post) => post.text)).toEqual(['@halcyonair kept']);
    // Notification ids start at 990: the deleted mention, the kept one, then the favourite and the follow.
    expect(result.cursor).toEqual({ minId: '991' });
  });

  it('turns HTML into plain text and keeps emoji, right-to-left text, long text and content warnings', async () => {
    const long = `${'a'.repeat(4999)}😀${'b'.repeat(10_000 - 5_000 - '@halcyonair '.length)}`;
    fake.addMention({ text: 'Bag lost & found? <no>\n\nSecond "paragraph"\nnext line ✈️😡 #HalcyonAir' });
    fake.addMention({ text: 'رحلتي تأخرت שלום', language: 'ar' });
    fake.addMention({ text: long });
    fake.addMention({ text: 'The details', spoilerText: 'Rant: delays' });
    fake.addMention({ html: '<p>Raw &amp; ready&#39;s<br>line</p><p><span class="invisible">https://</span>x.example</p>' });

    const posts = (await fetchOnce(mentions(), { minId: '0' })).posts;
    expect(posts.map((post) => post.text)).toEqual([
      "Raw & ready's\nline\n\nhttps://x.example",
      'Rant: delays\n\n@halcyonair The details',
      `@halcyonair ${long}`,
      '@halcyonair رحلتي تأخرت שלום',
      '@halcyonair Bag lost & found? <no>\n\nSecond "paragraph"\nnext line ✈️😡 #HalcyonAir',
    ]);
    expect([...posts[2].text].length).toBe(10_000);
    expect(posts[3].lang).toBe('ar');
  });

  it('translates a status into an IncomingPost with the uri as id', async () => {
    const status = fake.addMention({ text: 'lost luggage', author: { username: 'ana', domain: 'other.example', displayName: 'Ana', followersCount: 4321 } });
    fake.status(status.id)!.favourites_count = 4;
    const [post] = (await fetchOnce(mentions(), { minId: '0' })).posts;
    expect(post).toEqual({
      platform: 'mastodon',
      externalId: status.uri,
      author: { externalId: 'https://other.example/@ana', handle: 'ana@other.example', displayName: 'Ana', followers: 4321 },
      text: '@halcyonair lost luggage',
      lang: 'en',
      postedAt: new Date(status.created_at),
      url: status.url,
      inReplyToExternalId: null,
      metrics: { likes: 4, reposts: 0, replies: 0 },
      brandId: 'halcyon-air',
    });
  });
});

describe('hashtags', () => {
  it('reads the tag timeline of each #keyword, lowercased, 40 statuses a page at most', async () => {
    const tagged = fake.addStatuses(3, {}, { tag: 'HalcyonAir' });
    fake.addTagStatus('otherbrand');
    const result = await fetchOnce(hashtag(), null, 500);
    expect(result.posts.map((post) => post.externalId)).toEqual(tagged.map((status) => status.uri).reverse());
    expect(result.posts.every((post) => post.brandId === 'halcyon-air')).toBe(true);
    const [request] = fake.server.requestsTo('/api/v1/timelines/tag/');
    expect(request.path).toBe('/api/v1/timelines/tag/halcyonair');
    expect(request.query.get('limit')).toBe('40');
  });

  it('pages a backlog forward without gaps or repeats, across ids that grow a digit', async () => {
    const cursor = await startedCursor(hashtag());
    // Status ids 99999990..100000014.
    const burst = fake.addStatuses(25, (index) => ({ text: `#halcyonair post ${index}` }), { tag: 'halcyonair' });
    const read = await drain(hashtag(), cursor, 10);
    expect(read.fetches).toBe(3);
    expect(read.posts.map((post) => post.externalId).sort()).toEqual(burst.map((status) => status.uri).sort());
    expect(read.posts).toHaveLength(25);
    expect(read.cursor).toEqual({ minId: burst[24].id });
  });

  it('skips boosts and the brand account’s own posts, but moves past them', async () => {
    const cursor = await startedCursor(hashtag());
    const original = fake.addTagStatus('halcyonair', { text: 'original #halcyonair' });
    const boost = fake.addBoost(original.id, { tags: ['halcyonair'] });
    const own = fake.addTagStatus('halcyonair', { text: 'We are on it #halcyonair', author: { username: 'halcyonair' } });
    const result = await fetchOnce(hashtag(), cursor);
    expect(result.posts.map((post) => post.externalId)).toEqual([original.uri]);
    expect(result.cursor).toEqual({ minId: own.id });
    expect(boost.reblog?.id).toBe(original.id);
  });

  it('translates an edited status normally, under the same id', async () => {
    const status = fake.addTagStatus('halcyonair', { text: 'first words #halcyonair' });
    const first = await fetchOnce(hashtag(), null);
    fake.editStatus(status.id, 'second words #halcyonair');
    const again = await fetchOnce(hashtag(), { minId: '0' });
    expect(again.posts.map((post) => [post.externalId, post.text])).toEqual([[first.posts[0].externalId, 'second words #halcyonair']]);
    expect(fake.status(status.id)?.edited_at).not.toBeNull();
  });

  it('takes repeated entries in stride and never loops on a page that does not move forward', async () => {
    const status = fake.addTagStatus('halcyonair');
    const cursor = await startedCursor(hashtag());
    const entity = fake.status(status.id);
    // A server that answers the bound itself again, twice on one page.
    fake.answerNext({ body: [entity, entity] }, '/api/v1/timelines/tag/');
    const result = await fetchOnce(hashtag(), cursor, 2);
    expect(result.posts.map((post) => post.externalId)).toEqual([status.uri, status.uri]);
    expect(result).toMatchObject({ cursor, caughtUp: true });
  });
});

describe('keyword search', () => {
  it('reads a burst larger than a page from the top down, then continues above it', async () => {
    const first = await fetchOnce(search(), null, 5);
    expect(first).toEqual({ posts: [], cursor: { minId: '0' }, caughtUp: true });

    const burst = fake.addStatuses(12, (index) => ({ text: `My lost luggage, day ${index}` }));
    fake.addStatus({ text: 'nothing to see' });
    const read = await drain(search(), first.cursor, 5);
    expect(read.fetches).toBe(3);
    expect(read.posts.map((post) => post.externalId)).toEqual(burst.map((status) => status.uri).reverse());
    expect(read.cursor).toEqual({ minId: burst[11].id });
    const requests = fake.server.requestsTo('/api/v2/search');
    expect(requests[1].query.get('q')).toBe('lost luggage');
    expect(requests[1].query.get('type')).toBe('statuses');
    expect(requests.slice(1).map((request) => [request.query.get('min_id'), request.query.get('max_id')])).toEqual([
      ['0', null],
      ['0', burst[7].id],
      ['0', burst[2].id],
    ]);

    const later = fake.addStatus({ text: 'lost luggage again' });
    const next = await drain(search(), read.cursor, 5);
    expect(next.posts.map((post) => post.externalId)).toEqual([later.uri]);
    expect(next.cursor).toEqual({ minId: later.id });
  });

  it('is rejected, naming the server, where full-text search is not available', async () => {
    fake.refuseSearch();
    const error = await connectorFailure(fetchOnce(search(), null));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain(new URL(fake.url).host);
    expect(error.message).toContain('search is not available');
    expect(error.message).toContain('Full-text search is not enabled on this server');
  });
});

describe('failures', () => {
  it('a 429 waits until X-RateLimit-Reset', async () => {
    const resetAt = new Date(Date.now() + 120_000);
    fake.rateLimitNext(resetAt, 1, '/api/v1/notifications');
    const error = await connectorFailure(fetchOnce(mentions(), null));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt).toEqual(resetAt);
  });

  it('a 429 without a reset time waits one rate-limit window', async () => {
    fake.server.failNext({ kind: 'status', status: 429, body: { error: 'Too many requests' } });
    const now = new Date();
    const error = await connectorFailure(hashtag().fetch(null, { now, limit: 20 }));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt).toEqual(new Date(now.getTime() + 5 * 60 * 1000));
  });

  it('a 401 is rejected with the server’s reason', async () => {
    const wrongToken = createMastodonSources({ url: fake.url, token: 'revoked' }, brands, { timeoutMs: TIMEOUT_MS });
    const error = await connectorFailure(fetchOnce(connector('mastodon:mentions', wrongToken), null));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('The access token is invalid');
    expect(error.message).toContain('401');
  });

  it('a 403 is rejected with the server’s reason', async () => {
    fake.server.failNext({ kind: 'status', status: 403, body: { error: 'This action is outside the authorized scopes' } }, 1, '/api/v1/timelines');
    const error = await connectorFailure(fetchOnce(hashtag(), null));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('This action is outside the authorized scopes');
  });

  it('a 500 is unavailable', async () => {
    fake.server.failNext({ kind: 'status', status: 500, body: { error: 'Internal server error' } }, 1, '/api/v1/notifications');
    const error = await connectorFailure(fetchOnce(mentions(), null));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('HTTP 500');
  });

  it('a 502 HTML page, or any answer that is not JSON, is unavailable', async () => {
    fake.failNextWithHtml(502, '/api/v1/timelines');
    expect((await connectorFailure(fetchOnce(hashtag(), null))).kind).toBe('unavailable');
    fake.answerNext({ status: 503, headers: { 'content-type': 'text/plain' }, raw: 'Service Unavailable' }, '/api/v1/timelines');
    expect((await connectorFailure(fetchOnce(hashtag(), null))).kind).toBe('unavailable');
    fake.answerNext({ status: 200, headers: { 'content-type': 'text/html' }, raw: '<html>maintenance</html>' }, '/api/v1/timelines');
    expect((await connectorFailure(fetchOnce(hashtag(), null))).message).toContain('malformed tag timeline response');
  });

  it('malformed JSON is unavailable', async () => {
    fake.server.failNext({ kind: 'malformed' }, 1, '/api/v1/notifications');
    const error = await connectorFailure(fetchOnce(mentions(), null));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('malformed');
  });

  it('valid JSON of the wrong shape is unavailable, and nothing is half-read', async () => {
    fake.addTagStatus('halcyonair');
    fake.answerNext({ body: [{ ...fake.status('99999990'), uri: 42 }] }, '/api/v1/timelines');
    const error = await connectorFailure(fetchOnce(hashtag(), null));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('malformed tag timeline response');
    fake.answerNext({ body: { statuses: 'none' } }, '/api/v2/search');
    expect((await connectorFailure(fetchOnce(search(), null))).message).toContain('malformed search response');
  });

  it('a slow answer fails within the timeout', async () => {
    fake.server.failNext({ kind: 'slow', delayMs: TIMEOUT_MS * 3 }, 1, '/api/v1/timelines');
    const started = Date.now();
    const error = await connectorFailure(fetchOnce(hashtag(), null));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain(`${TIMEOUT_MS} ms`);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it('a hanging server fails within the timeout', async () => {
    fake.server.failNext({ kind: 'hang' }, 1, '/api/v1/accounts');
    const started = Date.now();
    const error = await connectorFailure(fetchOnce(mentions(), null));
    expect(error.kind).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it('a server that cannot be reached is unavailable', async () => {
    const gone = await new FakeMastodonApi().start();
    const url = gone.url;
    await gone.stop();
    const unreachable = createMastodonSources({ url, token: 'token' }, brands, { timeoutMs: TIMEOUT_MS });
    const error = await connectorFailure(fetchOnce(connector('mastodon:mentions', unreachable), null));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('replies', () => {
  it('answers the right status, mentioning its author, and returns the new status', async () => {
    const complaint = fake.addMention({ text: 'my bag is gone', author: { username: 'ana', domain: 'other.example' } });
    const [post] = (await fetchOnce(mentions(), null)).posts;

    const posted = await replier().reply({ externalId: post.externalId, authorHandle: post.author.handle }, 'Sorry! Please DM us your booking number.');
    expect(fake.replies).toHaveLength(1);
    const [reply] = fake.replies;
    expect(reply).toMatchObject({ inReplyToId: complaint.id, text: '@ana@other.example Sorry! Please DM us your booking number.', visibility: 'public' });
    expect(reply.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
    expect(posted).toEqual({ externalId: reply.status.uri, url: reply.status.url });
    expect(reply.status.in_reply_to_id).toBe(complaint.id);
    const resolve = fake.server.requestsTo('/api/v2/search')[0];
    expect([resolve.query.get('q'), resolve.query.get('resolve')]).toEqual([complaint.uri, 'true']);
  });

  it('does not mention twice, and a retried reply is not posted twice', async () => {
    const complaint = fake.addMention({ text: 'delayed again', author: { username: 'bo' } });
    const target = { externalId: complaint.uri, authorHandle: 'bo' };
    const first = await replier().reply(target, '@Bo we are looking into it');
    const retried = await replier().reply(target, '@Bo we are looking into it');
    expect(fake.replies.map((reply) => reply.text)).toEqual(['@Bo we are looking into it']);
    expect(retried).toEqual(first);
    expect(fake.server.requestsTo('/api/v1/statuses', 'POST')).toHaveLength(2);
  });

  it('is rejected when the post is gone', async () => {
    const complaint = fake.addMention({ text: 'never mind' });
    fake.deleteStatus(complaint.id);
    const error = await connectorFailure(replier().reply({ externalId: complaint.uri, authorHandle: 'traveller' }, 'Hello'));
    expect(error.kind).toBe('rejected');
    expect(fake.replies).toHaveLength(0);
  });

  it('maps the failures of posting like those of reading', async () => {
    const complaint = fake.addMention({ text: 'hello?' });
    const resetAt = new Date(Date.now() + 60_000);
    fake.rateLimitNext(resetAt, 1, '/api/v1/statuses');
    const limited = await connectorFailure(replier().reply({ externalId: complaint.uri, authorHandle: 'traveller' }, 'Hi'));
    expect([limited.kind, limited.retryAt]).toEqual(['rate_limited', resetAt]);
    fake.server.failNext({ kind: 'status', status: 422, body: { error: 'Validation failed: Text character limit of 500 exceeded' } }, 1, '/api/v1/statuses');
    const invalid = await connectorFailure(replier().reply({ externalId: complaint.uri, authorHandle: 'traveller' }, 'x'.repeat(600)));
    expect(invalid.kind).toBe('rejected');
    expect(invalid.message).toContain('character limit');
    expect(fake.replies).toHaveLength(0);
  });
});
