import { FakeBlueskyApi } from '../../../test/fakes/bluesky-api.fake';
import { connectorFailure, drain } from '../../../test/support/connector-testing';
import type { BrandConfig } from '../../domain/brands/brand';
import type { IncomingPost } from '../../domain/posts/incoming-post';
import type { PlatformSources, SourceConnector } from '../source-connector';
import { createBlueskySources } from './bluesky.connector';

const brand: BrandConfig = {
  id: 'halcyon-air',
  name: 'Halcyon Air',
  handles: { x: ['HalcyonAir'], mastodon: [], bluesky: ['@HalcyonAir.bsky.social'] },
  keywords: ['#halcyonair', 'halcyon air'],
};
const HASHTAG_SOURCE = 'bluesky:halcyon-air:search:#halcyonair';
const MENTION_SOURCE = 'bluesky:halcyon-air:search:@halcyonair.bsky.social';
const PHRASE_SOURCE = 'bluesky:halcyon-air:search:halcyon air';

describe('Bluesky connector (real @atproto/api against a fake Bluesky)', () => {
  let api: FakeBlueskyApi;

  beforeEach(async () => {
    api = await new FakeBlueskyApi().start();
  });

  afterEach(async () => {
    await api.stop();
  });

  function sources(timeoutMs = 3000): PlatformSources {
    return createBlueskySources(api.settings(), [brand], { timeoutMs });
  }

  function connector(id = HASHTAG_SOURCE, timeoutMs = 3000): SourceConnector {
    const found = sources(timeoutMs).connectors.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no connector ${id}`);
    return found;
  }

  function fetchOptions(limit = 100, now = new Date()) {
    return { now, limit };
  }

  function countRequests(path: string): number {
    return api.server.requestsTo(`/xrpc/${path}`).length;
  }

  describe('configuration', () => {
    it('configures nothing without an identifier or an app password', () => {
      expect(createBlueskySources({ ...api.settings(), identifier: null }, [brand], { timeoutMs: 1000 })).toEqual({ connectors: [], replier: null });
      expect(createBlueskySources({ ...api.settings(), appPassword: null }, [brand], { timeoutMs: 1000 })).toEqual({ connectors: [], replier: null });
    });

    it('makes one search per term (searchPosts has no OR), with stable ids, a shared rate-limit group and a replier', () => {
      const configured = sources();
      expect(configured.connectors.map((source) => source.id)).toEqual([MENTION_SOURCE, HASHTAG_SOURCE, PHRASE_SOURCE]);
      for (const source of configured.connectors) {
        expect(source.platform).toBe('bluesky');
        expect(source.rateLimitGroup).toBe('bluesky:search');
        expect(source.description).toContain('Halcyon Air');
      }
      expect(configured.replier?.platform).toBe('bluesky');
    });

    it('searches a handle as mentions:<handle> and a phrase in quotes', async () => {
      const mention = api.addPost({ text: 'Lost my bag, @halcyonair.bsky.social please help' });
      api.addPost({ text: 'halcyonair.bsky.social without an at sign' });
      const phrase = api.addPost({ text: 'Halcyon Air lost my bag' });
      api.addPost({ text: 'the air at halcyon beach' });

      const mentions = await connector(MENTION_SOURCE).fetch(null, fetchOptions());
      const phrases = await connector(PHRASE_SOURCE).fetch(null, fetchOptions());

      expect(mentions.posts.map((post) => post.externalId)).toEqual([mention.uri]);
      expect(phrases.posts.map((post) => post.externalId)).toEqual([phrase.uri]);
      expect(api.searchRequests().map((request) => request.query.get('q'))).toEqual(['mentions:halcyonair.bsky.social', '"halcyon air"']);
    });
  });

  describe('search', () => {
    it("leaves out the brand's own posts: the signed-in account's, and those of a handle configured as the brand's", async () => {
      const customer = api.addPost({ text: 'Day 3 and still no bag #halcyonair', author: 'dana.bsky.social' });
      api.addPost({ text: 'Sorry for the wait, Dana, we are on it #halcyonair', author: api.settings().identifier ?? undefined });
      api.addPost({ text: 'Boarding is open at gate 4 #halcyonair', author: 'HalcyonAir.bsky.social' });

      const result = await connector().fetch(null, fetchOptions());

      expect(result.posts.map((post) => post.externalId)).toEqual([customer.uri]);
    });

    it('logs in and translates a page of posts', async () => {
      const parent = api.addPost({ text: 'Boarding now #halcyonair' });
      const post = api.addPost({
        text: 'Flight delayed 4 hours #HalcyonAir\nNo food vouchers',
        author: 'dana.bsky.social',
        displayName: 'Dana',
        followers: 1234,
        langs: ['en', 'fr'],
        replyTo: parent.uri,
        likeCount: 3,
        repostCount: 2,
        quoteCount: 1,
        replyCount: 4,
      });
      api.addPost({ text: 'nothing to see here' });

      const result = await connector().fetch(null, fetchOptions(25));

      expect(result.caughtUp).toBe(true);
      expect(result.posts.map((each) => each.externalId)).toEqual([post.uri, parent.uri]);
      expect(result.posts[0]).toEqual({
        platform: 'bluesky',
        externalId: post.uri,
        author: { externalId: post.author.did, handle: 'dana.bsky.social', displayName: 'Dana', followers: 1234 },
        text: 'Flight delayed 4 hours #HalcyonAir\nNo food vouchers',
        lang: 'en',
        postedAt: post.sortAt,
        url: `https://bsky.app/profile/dana.bsky.social/post/${post.rkey}`,
        inReplyToExternalId: parent.uri,
        metrics: { likes: 3, reposts: 3, replies: 4 },
        brandId: 'halcyon-air',
      });
      expect(post.uri).toMatch(/^at:\/\/did:plc:[a-z2-7]{24}\/app\.bsky\.feed\.post\/[2-7a-z]{13}$/);

      expect(countRequests('com.atproto.server.createSession')).toBe(1);
      const [search] = api.searchRequests();
      expect(search.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(search.query.get('q')).toBe('#halcyonair');
      expect(search.query.get('sort')).toBe('latest');
      expect(search.query.get('limit')).toBe('25');
      expect(search.query.has('since')).toBe(false);
      expect(search.query.has('cursor')).toBe(false);
      expect(result.cursor).toEqual({ since: post.sortAt.toISOString(), paging: null });
    });

    it('takes only the newest page on the first poll ever, no history', async () => {
      const posts = api.addPosts(30);

      const result = await connector().fetch(null, fetchOptions(10));

      expect(result.caughtUp).toBe(true);
      expect(result.posts.map((post) => post.externalId)).toEqual(
        posts
          .slice(20)
          .reverse()
          .map((post) => post.uri),
      );
      expect(result.cursor).toEqual({ since: posts[29].sortAt.toISOString(), paging: null });
      expect(api.searchRequests()).toHaveLength(1);
    });

    it('after a first poll that found nothing, pages the whole first burst from a little before that poll', async () => {
      const source = connector();
      const firstPollAt = new Date();
      const empty = await source.fetch(null, fetchOptions(10, firstPollAt));
      expect(empty).toEqual({ posts: [], cursor: { since: new Date(firstPollAt.getTime() - 5 * 60_000).toISOString(), paging: null }, caughtUp: true });
      const posts = api.addPosts(30);

      const taken = await drain(source, empty.cursor, 10);

      expect(new Set(taken.posts.map((post) => post.externalId))).toEqual(new Set(posts.map((post) => post.uri)));
      expect(taken.cursor).toEqual({ since: posts[29].sortAt.toISOString(), paging: null });
    });

    it('pages a burst with the API cursor, one page per fetch, to caught-up', async () => {
      const source = connector();
      const [seed] = api.addPosts(1);
      const first = await source.fetch(null, fetchOptions(100));
      const burst = api.addPosts(250);

      const page1 = await source.fetch(first.cursor, fetchOptions(100));
      expect(page1.caughtUp).toBe(false);
      expect(page1.posts).toHaveLength(100);
      // The lower bound stays put until the burst is fully paged: a failure halfway loses nothing.
      expect(page1.cursor).toEqual({ since: seed.sortAt.toISOString(), paging: { cursor: expect.any(String), newestSeen: burst[249].sortAt.toISOString() } });

      const page2 = await source.fetch(page1.cursor, fetchOptions(100));
      expect(page2.caughtUp).toBe(false);
      expect(page2.posts).toHaveLength(100);
      expect(page2.cursor).toEqual({ since: seed.sortAt.toISOString(), paging: { cursor: expect.any(String), newestSeen: burst[249].sortAt.toISOString() } });

      const page3 = await source.fetch(page2.cursor, fetchOptions(100));
      expect(page3.caughtUp).toBe(true);
      // The rest of the burst, and the boundary post again (since is inclusive), dropped on store.
      expect(page3.posts).toHaveLength(51);
      expect(page3.posts[50].externalId).toBe(seed.uri);
      expect(page3.cursor).toEqual({ since: burst[249].sortAt.toISOString(), paging: null });

      const taken = [...page1.posts, ...page2.posts, ...page3.posts].map((post) => post.externalId);
      expect(new Set(taken).size).toBe(251);
      expect(burst.every((post) => taken.includes(post.uri))).toBe(true);

      const requests = api.searchRequests().slice(1);
      expect(requests.map((request) => request.query.get('since'))).toEqual(Array(3).fill(seed.sortAt.toISOString()));
      expect(requests[0].query.has('cursor')).toBe(false);
      expect(requests[1].query.get('cursor')).toBe((page1.cursor.paging as { cursor: string }).cursor);
      expect(requests[2].query.get('cursor')).toBe((page2.cursor.paging as { cursor: string }).cursor);
    });

    it('makes the newest post seen the next lower bound, so the next poll asks only for newer posts', async () => {
      const source = connector();
      api.addPosts(5);
      const burst = await drain(source, null, 100);
      const newest = api.livePosts()[4];
      expect(burst.cursor).toEqual({ since: newest.sortAt.toISOString(), paging: null });

      const quiet = await source.fetch(burst.cursor, fetchOptions(100));
      expect(api.searchRequests()[1].query.get('since')).toBe(newest.sortAt.toISOString());
      expect(quiet.posts.map((post) => post.externalId)).toEqual([newest.uri]);
      expect(quiet.caughtUp).toBe(true);

      const later = api.addPost({ text: 'and again #halcyonair' });
      const next = await source.fetch(quiet.cursor, fetchOptions(100));
      expect(next.posts.map((post) => post.externalId)).toEqual([later.uri, newest.uri]);
      expect(next.cursor).toEqual({ since: later.sortAt.toISOString(), paging: null });
    });

    it('backfills everything posted during downtime, back to the previous lower bound, with no gaps', async () => {
      const source = connector();
      api.addPosts(20);
      const start = await source.fetch(null, fetchOptions(10));
      expect(start.posts).toHaveLength(10);
      const missed = api.addPosts(35);

      const backfill = await drain(source, start.cursor, 10);

      expect(backfill.results).toHaveLength(4);
      const taken = new Set(backfill.posts.map((post) => post.externalId));
      expect(missed.every((post) => taken.has(post.uri))).toBe(true);
      // Nothing older than the previous lower bound: the first poll's history stays untouched.
      expect(taken.size).toBe(36);
      expect(backfill.cursor).toEqual({ since: missed[34].sortAt.toISOString(), paging: null });
    });

    it('stays gapless when posts arrive while a burst is paged; repeats are only boundary duplicates', async () => {
      const source = connector();
      api.addPosts(3);
      let cursor = (await source.fetch(null, fetchOptions(10))).cursor;
      const stored = new Map<string, number>();
      const store = (posts: IncomingPost[]) => posts.forEach((post) => stored.set(post.externalId, (stored.get(post.externalId) ?? 0) + 1));

      api.addPosts(25);
      const page1 = await source.fetch(cursor, fetchOptions(10));
      store(page1.posts);
      cursor = page1.cursor;
      api.addPosts(7);
      const rest = await drain(source, cursor, 10);
      store(rest.posts);
      const after = await drain(source, rest.cursor, 10);
      store(after.posts);

      const all = api.livePosts();
      expect(all).toHaveLength(35);
      expect(all.slice(3).every((post) => stored.has(post.uri))).toBe(true);
      const repeated = [...stored.entries()].filter(([, times]) => times > 1).map(([uri]) => uri);
      expect(repeated.length).toBeLessThanOrEqual(2);
    });

    it('asks for at most 100 posts per page, the API maximum', async () => {
      api.addPosts(150);
      const result = await connector().fetch(null, fetchOptions(500));
      expect(api.searchRequests()[0].query.get('limit')).toBe('100');
      expect(result.posts).toHaveLength(100);
    });

    it('keeps emoji, right-to-left text, very long text and markup-looking text exactly as written', async () => {
      const texts = [
        'Worst flight ever 😡✈️👨‍👩‍👧‍👦 #halcyonair',
        'رحلتي تأخرت خمس ساعات #halcyonair شكرا',
        `#halcyonair ${'long complaint '.repeat(666)}`.slice(0, 10_000),
        'Tell me why <b>bold</b> & <script>alert(1)</script> &amp; #halcyonair',
      ];
      expect(texts[2]).toHaveLength(10_000);
      for (const text of texts) api.addPost({ text });

      const result = await connector().fetch(null, fetchOptions());

      expect(result.posts.map((post) => post.text).reverse()).toEqual(texts);
    });

    it('no longer returns a deleted post', async () => {
      const [kept, deleted, alsoKept] = api.addPosts(3);
      api.deletePost(deleted.uri);

      const result = await connector().fetch(null, fetchOptions());

      expect(result.posts.map((post) => post.externalId)).toEqual([alsoKept.uri, kept.uri]);
    });

    it('sees an "edited" post (deleted and recreated under a new uri) as a new post', async () => {
      const source = connector();
      const [original] = api.addPosts(1);
      const first = await source.fetch(null, fetchOptions());
      expect(first.posts.map((post) => post.externalId)).toEqual([original.uri]);

      const recreated = api.editPost(original.uri, 'Post 1 about #halcyonair (typo fixed)');
      const next = await source.fetch(first.cursor, fetchOptions());

      expect(recreated.uri).not.toBe(original.uri);
      expect(next.posts.map((post) => [post.externalId, post.text])).toEqual([[recreated.uri, 'Post 1 about #halcyonair (typo fixed)']]);
    });

    it('reads follower counts with getProfiles, 25 authors per call, in the same fetch', async () => {
      api.addPosts(30, (index) => ({ text: `complaint ${index} #halcyonair`, author: `person${index}.bsky.social`, followers: index * 1000 }));

      const result = await connector().fetch(null, fetchOptions());

      expect(result.posts).toHaveLength(30);
      for (const post of result.posts) {
        const index = Number(/^person(\d+)\./.exec(post.author.handle)?.[1]);
        expect(post.author.followers).toBe(index * 1000);
      }
      const calls = api.server.requestsTo('/xrpc/app.bsky.actor.getProfiles');
      expect(calls.map((call) => call.query.getAll('actors').length).sort()).toEqual([25, 5]);
    });

    it('falls back to 0 followers, not a failed page, when getProfiles fails', async () => {
      api.addPost({ text: 'delayed #halcyonair', author: 'famous.bsky.social', followers: 2_000_000 });
      api.server.failNext(
        { kind: 'status', status: 502, body: { error: 'UpstreamFailure', message: 'upstream failed' } },
        1,
        '/xrpc/app.bsky.actor.getProfiles',
      );

      const result = await connector().fetch(null, fetchOptions());

      expect(result.posts).toHaveLength(1);
      expect(result.posts[0].author.followers).toBe(0);
    });

    it('skips placeholders and records of unexpected shape, and keeps the rest of the page', async () => {
      const good = api.addPost({ text: 'fine post #halcyonair' });
      const author = { did: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa', handle: 'odd.bsky.social' };
      const view = (record: unknown, rkey: string) => ({
        uri: `at://${author.did}/app.bsky.feed.post/${rkey}`,
        cid: good.cid,
        author,
        record,
        indexedAt: new Date().toISOString(),
      });
      api.addRawSearchItem({ $type: 'app.bsky.feed.defs#notFoundPost', uri: `at://${author.did}/app.bsky.feed.post/3kgone`, notFound: true });
      api.addRawSearchItem({
        $type: 'app.bsky.feed.defs#blockedPost',
        uri: `at://${author.did}/app.bsky.feed.post/3kblocked`,
        blocked: true,
        author: { did: author.did },
      });
      api.addRawSearchItem(view({ $type: 'app.bsky.feed.post', text: 42, createdAt: new Date().toISOString() }, '3knumber'));
      api.addRawSearchItem(view({ $type: 'app.bsky.feed.like', subject: {}, createdAt: new Date().toISOString() }, '3klike'));
      api.addRawSearchItem('not even an object');
      const undated = view({ $type: 'app.bsky.feed.post', text: 'no createdAt #halcyonair' }, '3kundated');
      api.addRawSearchItem(undated);

      const result = await connector().fetch(null, fetchOptions());

      expect(result.posts.map((post) => post.externalId)).toEqual([undated.uri, good.uri]);
      // Without a createdAt the post is dated when the app view indexed it.
      expect(result.posts[0].postedAt).toEqual(new Date(undated.indexedAt));
    });
  });

  describe('session', () => {
    it('refreshes an expired access token transparently', async () => {
      const source = connector();
      api.addPosts(2);
      const first = await source.fetch(null, fetchOptions());
      api.expireAccessTokens();
      const later = api.addPost({ text: 'after expiry #halcyonair' });

      const next = await source.fetch(first.cursor, fetchOptions());

      expect(next.posts[0].externalId).toBe(later.uri);
      expect(countRequests('com.atproto.server.refreshSession')).toBe(1);
      expect(countRequests('com.atproto.server.createSession')).toBe(1);
      const searches = api.searchRequests();
      expect(searches[searches.length - 1].headers.authorization).not.toBe(searches[0].headers.authorization);
    });

    it('logs in again, once, when the refresh token is refused too', async () => {
      const source = connector();
      await source.fetch(null, fetchOptions());
      api.expireAccessTokens();
      api.revokeRefreshTokens();
      const later = api.addPost({ text: 'after revocation #halcyonair' });

      const next = await source.fetch(null, fetchOptions());

      expect(next.posts.map((post) => post.externalId)).toEqual([later.uri]);
      expect(countRequests('com.atproto.server.createSession')).toBe(2);
    });

    it('shares one login between all connectors and the replier, even when they start together', async () => {
      const configured = sources();
      const target = api.addPost({ text: 'help #halcyonair' });

      await Promise.all(configured.connectors.map((source) => source.fetch(null, fetchOptions())));
      await configured.replier?.reply({ externalId: target.uri, authorHandle: target.author.handle }, 'Sorry to hear that, we are on it.');

      expect(countRequests('com.atproto.server.createSession')).toBe(1);
    });

    it('is rejected with Bluesky’s reason when the app password is wrong', async () => {
      const source = createBlueskySources({ ...api.settings(), appPassword: 'wrong-pass-word-here' }, [brand], { timeoutMs: 3000 }).connectors[0];

      const error = await connectorFailure(source.fetch(null, fetchOptions()));

      expect(error.kind).toBe('rejected');
      expect(error.message).toContain('Invalid identifier or password');
      expect(api.searchRequests()).toHaveLength(0);
    });

    it('is rejected when the account is refused even with a freshly refreshed token', async () => {
      api.server.failNext(
        { kind: 'status', status: 401, body: { error: 'AuthenticationRequired', message: 'Account has been suspended' } },
        2,
        '/xrpc/app.bsky.feed.searchPosts',
      );

      const error = await connectorFailure(connector().fetch(null, fetchOptions()));

      expect(error.kind).toBe('rejected');
      expect(error.message).toContain('Account has been suspended');
      expect(countRequests('com.atproto.server.refreshSession')).toBe(1);
    });
  });

  describe('errors', () => {
    it('is rate limited until the ratelimit-reset time on 429', async () => {
      const resetAt = new Date(Math.ceil((Date.now() + 120_000) / 1000) * 1000);
      api.rateLimitNext(resetAt);

      const error = await connectorFailure(connector().fetch(null, fetchOptions()));

      expect(error.kind).toBe('rate_limited');
      expect(error.retryAt).toEqual(resetAt);
    });

    it('waits 5 minutes on a 429 without a reset time', async () => {
      const now = new Date();
      api.server.failNext(
        { kind: 'status', status: 429, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' } },
        1,
        '/xrpc/app.bsky.feed.searchPosts',
      );

      const error = await connectorFailure(connector().fetch(null, fetchOptions(100, now)));

      expect(error.kind).toBe('rate_limited');
      expect(error.retryAt).toEqual(new Date(now.getTime() + 5 * 60 * 1000));
    });

    it('is unavailable on a 500', async () => {
      api.server.failNext(
        { kind: 'status', status: 500, body: { error: 'InternalServerError', message: 'Internal Server Error' } },
        1,
        '/xrpc/app.bsky.feed.searchPosts',
      );

      const error = await connectorFailure(connector().fetch(null, fetchOptions()));

      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('Internal Server Error');
    });

    it('is unavailable on malformed JSON', async () => {
      api.server.failNext({ kind: 'malformed' }, 1, '/xrpc/app.bsky.feed.searchPosts');

      const error = await connectorFailure(connector().fetch(null, fetchOptions()));

      expect(error.kind).toBe('unavailable');
      expect(error.message).toMatch(/malformed Bluesky response/);
    });

    it('is unavailable on a page of the wrong shape (which the library’s lexicon check also refuses)', async () => {
      api.server.failNext({ kind: 'status', status: 200, body: { posts: 'not a list' } }, 1, '/xrpc/app.bsky.feed.searchPosts');

      const error = await connectorFailure(connector().fetch(null, fetchOptions()));

      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('malformed Bluesky searchPosts response: "posts" is not an array');
    });

    it('is unavailable within the timeout when the server hangs', async () => {
      const source = connector(HASHTAG_SOURCE, 250);
      await source.fetch(null, fetchOptions());
      api.server.failNext({ kind: 'hang' }, 1, '/xrpc/app.bsky.feed.searchPosts');

      const started = Date.now();
      const error = await connectorFailure(source.fetch(null, fetchOptions()));

      expect(Date.now() - started).toBeLessThan(1000);
      expect(error.kind).toBe('unavailable');
      expect(error.message).toContain('did not answer within 250 ms');
    });

    it('is unavailable within the timeout when the login answers too slowly', async () => {
      api.server.failNext({ kind: 'slow', delayMs: 1500 }, 1, '/xrpc/com.atproto.server.createSession');
      const started = Date.now();
      const error = await connectorFailure(connector(HASHTAG_SOURCE, 250).fetch(null, fetchOptions()));

      expect(Date.now() - started).toBeLessThan(1000);
      expect(error.kind).toBe('unavailable');
    });

    it('is unavailable when Bluesky cannot be reached', async () => {
      const source = connector();
      await api.stop();

      const error = await connectorFailure(source.fetch(null, fetchOptions()));

      expect(error.kind).toBe('unavailable');
      expect(error.message).toMatch(/could not be reached/);
    });
  });

  describe('replier', () => {
    it('replies to a post that starts a thread: root and parent are that post', async () => {
      const target = api.addPost({ text: 'Where is my bag #halcyonair', author: 'dana.bsky.social' });
      const replier = sources().replier!;

      const posted = await replier.reply(
        { externalId: target.uri, authorHandle: 'dana.bsky.social' },
        'Sorry, Dana! Please DM us your file number: https://halcyon.example/bags',
      );

      expect(api.replies).toHaveLength(1);
      const [reply] = api.replies;
      expect(reply.reply).toEqual({ root: { uri: target.uri, cid: target.cid }, parent: { uri: target.uri, cid: target.cid } });
      expect(reply.text).toBe('Sorry, Dana! Please DM us your file number: https://halcyon.example/bags');
      expect(reply.repo).toBe(api.account.did);
      const linkStart = reply.text.indexOf('https://');
      expect(reply.record.facets).toEqual([
        {
          index: { byteStart: linkStart, byteEnd: reply.text.length },
          features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://halcyon.example/bags' }],
        },
      ]);
      expect(posted).toEqual({ externalId: reply.uri, url: `https://bsky.app/profile/brand.bsky.social/post/${api.getPost(reply.uri)?.rkey}` });
    });

    it('replies deep in a thread: the root stays the thread’s first post', async () => {
      const root = api.addPost({ text: 'Flight cancelled #halcyonair' });
      const middle = api.addPost({ text: 'Same here', replyTo: root.uri });
      const target = api.addPost({ text: 'Still waiting', replyTo: middle.uri });

      await sources().replier!.reply({ externalId: target.uri, authorHandle: target.author.handle }, 'We are rebooking everyone now.');

      expect(api.replies[0].reply).toEqual({ root: { uri: root.uri, cid: root.cid }, parent: { uri: target.uri, cid: target.cid } });
      expect(api.server.requestsTo('/xrpc/app.bsky.feed.getPosts')[0].query.getAll('uris')).toEqual([target.uri]);
    });

    it('accepts 300 graphemes and refuses 301 before sending anything', async () => {
      const target = api.addPost({ text: 'help #halcyonair' });
      const replier = sources().replier!;
      // Each is one grapheme but several code points: Bluesky counts what a reader sees.
      const thumbs = '👍🏽'.repeat(300);

      await replier.reply({ externalId: target.uri, authorHandle: target.author.handle }, thumbs);
      expect(api.replies.map((reply) => reply.text)).toEqual([thumbs]);
      const requestsBefore = api.server.requests.length;

      const error = await connectorFailure(replier.reply({ externalId: target.uri, authorHandle: target.author.handle }, `${thumbs}!`));

      expect(error.kind).toBe('rejected');
      expect(error.message).toContain('300');
      expect(api.server.requests).toHaveLength(requestsBefore);
      expect(api.replies).toHaveLength(1);
    });

    it('is rejected when the post to answer is gone', async () => {
      const target = api.addPost({ text: 'help #halcyonair' });
      api.deletePost(target.uri);

      const error = await connectorFailure(sources().replier!.reply({ externalId: target.uri, authorHandle: target.author.handle }, 'Hello'));

      expect(error.kind).toBe('rejected');
      expect(error.message).toContain('gone');
      expect(api.server.requestsTo('/xrpc/com.atproto.repo.createRecord')).toHaveLength(0);
    });

    it('is rate limited when posting is', async () => {
      const target = api.addPost({ text: 'help #halcyonair' });
      const resetAt = new Date(Math.ceil((Date.now() + 600_000) / 1000) * 1000);
      api.rateLimitNext(resetAt, 1, '/xrpc/com.atproto.repo.createRecord');

      const error = await connectorFailure(sources().replier!.reply({ externalId: target.uri, authorHandle: target.author.handle }, 'Hello'));

      expect(error.kind).toBe('rate_limited');
      expect(error.retryAt).toEqual(resetAt);
    });
  });
});
