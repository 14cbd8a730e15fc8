import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { FakeXApi } from '../fakes/x-api.fake';
import { bearer, TEST_ADMIN_TOKEN, testConfig } from '../support/factories';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const COMPLAINTS = [
  '@HalcyonAir day 3 and still no bag. Nobody answers the phone.',
  '@HalcyonAir flight HA{n} cancelled again, want a refund now',
  '@HalcyonAir on hold for 2 hours 😡 this is ridiculous',
  '@HalcyonAir لقد فقدتم حقيبتي للمرة الثانية',
  '@HalcyonAir thanks, the crew on HA{n} were lovely',
  '@HalcyonAir what time does the lounge open at gate {n}?',
];

interface SourceItem {
  id: string;
  state: string;
  postsStored: number;
  rateLimitedUntil: string | null;
  lastError: string | null;
}

/**
 * Issue 3's "done means": the whole service, configured with X_API_BASE_URL pointing at a fake X
 * server that serves 1,000 posts across pages (with repeats at page boundaries and a rate-limit
 * window that refuses requests until its reset), stores every post exactly once, shows the source
 * rate limited and then ok, and sends nothing to X before the reset time.
 */
describe('X source end to end, through twitter-api-v2 against a fake X API', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let fakeX: FakeXApi;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    database = await createTestDatabase();
    fakeX = await new FakeXApi().start();
    fakeX.addUser({ username: 'HalcyonAir', name: 'Halcyon Air', followers: 250_000 });
    const start = Date.now() - 1000 * 1000;
    fakeX.addTweets(1000, (index) => ({
      text: COMPLAINTS[index % COMPLAINTS.length].replace('{n}', String(index)),
      author: `customer${index % 180}`,
      createdAt: new Date(start + index * 1000),
    }));
    // Repeats at page boundaries, as X's paging can produce.
    fakeX.pageOverlap = 5;
  });

  afterAll(async () => {
    await app?.close();
    await fakeX?.stop();
    await database?.drop();
  });

  it('stores all 1,000 posts once, waits out the rate limit without sending anything early, and ends ok', async () => {
    // After three pages of search, X refuses search until the reset (given in whole seconds, as X does).
    const resetAt = new Date((Math.floor(Date.now() / 1000) + 5) * 1000);
    fakeX.server.refuseUntil({
      pathPrefix: '/2/tweets/search/recent',
      until: resetAt,
      afterRequests: 3,
      answer: {
        status: 429,
        headers: {
          'content-type': 'application/problem+json',
          'x-rate-limit-limit': '450',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(resetAt.getTime() / 1000),
        },
        body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
      },
    });

    const config = testConfig({
      DATABASE_URL: database.url,
      DEMO: '0',
      POLL_INTERVAL_SECONDS: '0.2',
      X_BEARER_TOKEN: fakeX.bearerToken,
      X_API_BASE_URL: fakeX.url,
    });
    app = await createApp({ config, dataSource: database.dataSource, logLevel: false });
    http = request(app.getHttpServer());

    const searchId = 'x:halcyon-air:search';
    const statesSeen: string[] = [];
    const deadline = Date.now() + 45_000;
    let sources: SourceItem[];
    for (;;) {
      const response = await http.get('/api/sources').set(bearer(TEST_ADMIN_TOKEN)).expect(200);
      sources = response.body.items as SourceItem[];
      const search = sources.find((source) => source.id === searchId);
      if (search && statesSeen[statesSeen.length - 1] !== search.state) statesSeen.push(search.state);
      const [{ count }] = await database.dataSource.query(`SELECT count(*)::int AS count FROM posts WHERE platform = 'x'`);
      if (count === 1000 && search?.state === 'ok' && Date.now() > resetAt.getTime()) break;
      if (Date.now() > deadline)
        throw new Error(`timed out: ${count} posts stored, states seen ${statesSeen.join(' -> ')}, sources ${JSON.stringify(sources)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Every post exactly once: the stored ids are the fake's ids, one row each.
    const stored: Array<{ external_id: string }> = await database.dataSource.query(`SELECT external_id FROM posts WHERE platform = 'x'`);
    expect(stored).toHaveLength(1000);
    expect(new Set(stored.map((row) => row.external_id))).toEqual(new Set(fakeX.tweets.map((tweet) => tweet.id)));
    const xSources = sources.filter((source) => source.id.startsWith('x:'));
    expect(xSources.reduce((sum, source) => sum + source.postsStored, 0)).toBe(1000);

    // Rate limited, then ok.
    expect(statesSeen).toContain('rate_limited');
    expect(statesSeen.indexOf('rate_limited')).toBeLessThan(statesSeen.lastIndexOf('ok'));
    expect(statesSeen[statesSeen.length - 1]).toBe('ok');
    const events = await http
      .get(`/api/sources/events?source=${encodeURIComponent(searchId)}`)
      .set(bearer(TEST_ADMIN_TOKEN))
      .expect(200);
    expect(events.body.items.map((event: { type: string }) => event.type)).toContain('rate_limited');

    // Nothing before the reset: one refused request, and the next search request came after the reset.
    const searches = fakeX.server.requestsTo('/2/tweets/search/recent', 'GET');
    const refused = searches.filter((search) => search.receivedAt >= searches[3].receivedAt && search.receivedAt < resetAt);
    expect(refused).toHaveLength(1);
    expect(searches.length).toBeGreaterThan(4);
    for (const later of searches.slice(4)) expect(later.receivedAt.getTime()).toBeGreaterThanOrEqual(resetAt.getTime());
    // Every request carried the app-only bearer token.
    for (const search of searches) expect(search.headers.authorization).toBe(`Bearer ${fakeX.bearerToken}`);
  });
});
