import { SchedulerRegistry } from '@nestjs/schedule';
import type { DataSource } from 'typeorm';
import type { IncomingPost } from '../../src/domain/posts/incoming-post';
import { ConnectorError, type FetchOptions, type FetchResult, type SourceConnector, type SourceCursor } from '../../src/sources/source-connector';
import { SourceHealthService } from '../../src/sources/source-health.service';
import { SourcePollerService } from '../../src/sources/source-poller.service';
import { registrationOf, SourcesRepository } from '../../src/sources/sources.repository';
import { FixedClock, incomingPost, ingestPipeline, testConfig } from '../support/factories';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Serves a fixed list of posts in pages, the cursor being the index of the next one. */
class ListConnector implements SourceConnector {
  readonly platform = 'demo';
  readonly description = 'test list';
  failNext: Error | null = null;
  fetches = 0;
  gate: Promise<void> | null = null;

  constructor(
    readonly id: string,
    readonly posts: IncomingPost[],
    readonly rateLimitGroup?: string,
  ) {}

  async fetch(cursor: SourceCursor | null, options: FetchOptions): Promise<FetchResult> {
    this.fetches += 1;
    if (this.gate) await this.gate;
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
    const from = typeof cursor?.next === 'number' ? cursor.next : 0;
    const page = this.posts.slice(from, from + options.limit);
    return { posts: page, cursor: { next: from + page.length }, caughtUp: from + page.length >= this.posts.length };
  }
}

describe('source poller on PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  // A long interval: "not due yet" must not turn into "due" on a slow machine; tests make a source due explicitly.
  const config = testConfig({ POLL_INTERVAL_SECONDS: '60' });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = database.dataSource;
  });
  afterAll(() => database.drop());

  async function pollerFor(connector: SourceConnector): Promise<{ poller: SourcePollerService; sources: SourcesRepository }> {
    const sources = new SourcesRepository(dataSource);
    await sources.register([registrationOf(connector, 30)]);
    const { ingest } = ingestPipeline(dataSource, config);
    const poller = new SourcePollerService(config, [connector], dataSource, sources, ingest, new SchedulerRegistry(), new FixedClock(new Date()));
    return { poller, sources };
  }

  const sourceRow = async (id: string) => (await dataSource.query(`SELECT cursor, state, last_error, posts_stored FROM sources WHERE id = $1`, [id]))[0];
  const makeDue = (id: string) => dataSource.query(`UPDATE sources SET next_poll_at = now() WHERE id = $1`, [id]);

  it('stores posts and moves the cursor together, page by page', async () => {
    const connector = new ListConnector(
      'list-a',
      Array.from({ length: 250 }, () => incomingPost()),
    );
    const { poller } = await pollerFor(connector);
    const first = await poller.pollOnce(connector);
    expect(first).toMatchObject({ status: 'stored', caughtUp: false, result: { stored: 100 } });
    expect(await sourceRow('list-a')).toMatchObject({ cursor: { next: 100 }, state: 'ok', posts_stored: '100' });

    // Not caught up: due again at once.
    expect(await poller.pollOnce(connector)).toMatchObject({ status: 'stored', result: { stored: 100 } });
    expect(await poller.pollOnce(connector)).toMatchObject({ status: 'stored', caughtUp: true, result: { stored: 50 } });
    // Caught up: not due until the poll interval has passed.
    expect(await poller.pollOnce(connector)).toEqual({ status: 'skipped' });
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM posts WHERE source_id = 'list-a'`);
    expect(count).toBe(250);
  });

  it('records a failed fetch, keeps the cursor and backs off', async () => {
    const connector = new ListConnector('list-b', [incomingPost(), incomingPost()]);
    const { poller } = await pollerFor(connector);
    connector.failNext = new Error('503 Service Unavailable');
    expect(await poller.pollOnce(connector)).toEqual({ status: 'failed', failure: { kind: 'unavailable', retryAt: null }, error: '503 Service Unavailable' });
    expect(await sourceRow('list-b')).toMatchObject({ cursor: null, state: 'failing', last_error: '503 Service Unavailable' });
    expect(await poller.pollOnce(connector)).toEqual({ status: 'skipped' });

    await makeDue('list-b');
    expect(await poller.pollOnce(connector)).toMatchObject({ status: 'stored', result: { stored: 2 } });
    expect(await sourceRow('list-b')).toMatchObject({ cursor: { next: 2 }, state: 'ok' });
  });

  it('rolls back the posts and keeps the cursor when storing fails part way', async () => {
    // A trigger makes the database refuse one post, so the batch fails after authors were written.
    await dataSource.query(`CREATE FUNCTION refuse_post() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.text = 'refuse me' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$`);
    await dataSource.query(`CREATE TRIGGER refuse_post BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION refuse_post()`);
    const connector = new ListConnector('list-c', [incomingPost({ handle: 'first-author' }), incomingPost({ text: 'refuse me' })]);
    const { poller } = await pollerFor(connector);
    const outcome = await poller.pollOnce(connector);
    expect(outcome.status).toBe('failed');
    expect(await sourceRow('list-c')).toMatchObject({ cursor: null, state: 'failing', posts_stored: '0' });
    expect(outcome).toMatchObject({ error: expect.stringContaining('refused by test trigger') });
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM posts WHERE source_id = 'list-c'`);
    expect(count).toBe(0);
    expect(await dataSource.query(`SELECT id FROM authors WHERE handle = 'first-author'`)).toEqual([]);
    await dataSource.query(`DROP TRIGGER refuse_post ON posts`);
  });

  it('stores a post whose text or author carries NUL characters instead of stalling the source', async () => {
    const connector = new ListConnector('list-e', [incomingPost({ handle: 'nul\u0000handle', text: '@HalcyonAir lost my bag\u0000 nobody answers' })]);
    const { poller } = await pollerFor(connector);
    expect(await poller.pollOnce(connector)).toMatchObject({ status: 'stored', result: { stored: 1 } });
    const [row] = await dataSource.query(`SELECT p.text, a.handle FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.source_id = 'list-e'`);
    expect(row).toEqual({ text: '@HalcyonAir lost my bag nobody answers', handle: 'nulhandle' });
  });

  it('lets only one poll of a source run at a time, across instances', async () => {
    const connector = new ListConnector('list-d', [incomingPost(), incomingPost(), incomingPost()]);
    const { poller: instanceA } = await pollerFor(connector);
    const { poller: instanceB } = await pollerFor(connector);
    let open!: () => void;
    connector.gate = new Promise((resolve) => (open = resolve));
    const first = instanceA.pollOnce(connector);
    // Wait until A holds the source row and is inside fetch.
    while (connector.fetches === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await instanceB.pollOnce(connector);
    open();
    expect(second).toEqual({ status: 'skipped' });
    expect(await first).toMatchObject({ status: 'stored', result: { stored: 3 } });
    expect(connector.fetches).toBe(1);
  });

  describe('rate limits, refusals and health', () => {
    const row = async (id: string) =>
      (
        await dataSource.query(
          `SELECT state, last_error, next_poll_at, rate_limited_until, failing_since, consecutive_failures, cursor FROM sources WHERE id = $1`,
          [id],
        )
      )[0];
    const eventsOf = async (id: string): Promise<Array<{ type: string; detail: string }>> =>
      dataSource.query(`SELECT type, detail FROM source_events WHERE source_id = $1 ORDER BY id`, [id]);

    it('waits for the platform reset on a 429, holds back the sources sharing its limit, and records one rate_limited event', async () => {
      const first = new ListConnector('x:brand-a:search', [incomingPost(), incomingPost()], 'x:search');
      const second = new ListConnector('x:brand-b:search', [incomingPost()], 'x:search');
      const other = new ListConnector('mastodon:mentions', [incomingPost()], 'mastodon');
      const sources = new SourcesRepository(dataSource);
      await sources.register([first, second, other].map((connector) => registrationOf(connector, 30)));
      const { ingest } = ingestPipeline(dataSource, config);
      const clock = new FixedClock(new Date());
      const poller = new SourcePollerService(config, [first, second, other], dataSource, sources, ingest, new SchedulerRegistry(), clock);

      const reset = new Date(Math.ceil(Date.now() / 1000) * 1000 + 120_000);
      first.failNext = new ConnectorError('rate_limited', 'Too Many Requests', reset);
      expect(await poller.pollOnce(first)).toMatchObject({ status: 'failed', failure: { kind: 'rate_limited', retryAt: reset } });
      const limited = await row(first.id);
      expect(limited).toMatchObject({ state: 'rate_limited', last_error: 'Too Many Requests', cursor: null });
      // Nothing is sent before the reset: the next poll is due one second after it.
      expect(limited.next_poll_at.getTime()).toBe(reset.getTime() + 1000);
      expect(limited.rate_limited_until.getTime()).toBe(reset.getTime() + 1000);
      expect(await poller.pollOnce(first)).toEqual({ status: 'skipped' });
      expect(await poller.pollOnce(second)).toEqual({ status: 'skipped' });
      expect(first.fetches).toBe(1);
      expect(second.fetches).toBe(0);
      expect(await row(second.id)).toMatchObject({ state: 'rate_limited' });
      // Another platform's limit is not this one's: it goes on.
      expect(await poller.pollOnce(other)).toMatchObject({ status: 'stored', result: { stored: 1 } });

      // A second 429 while already limited adds no second event.
      await makeDue(first.id);
      first.failNext = new ConnectorError('rate_limited', 'Too Many Requests', reset);
      await poller.pollOnce(first);
      expect(await eventsOf(first.id)).toEqual([{ type: 'rate_limited', detail: 'Too Many Requests' }]);

      await makeDue(first.id);
      expect(await poller.pollOnce(first)).toMatchObject({ status: 'stored', result: { stored: 2 } });
      expect(await row(first.id)).toMatchObject({ state: 'ok', rate_limited_until: null, consecutive_failures: 0 });
    });

    it('marks a source failing with the platform reason on refused credentials, and backs it off (poll-policy.spec holds the minimum)', async () => {
      const connector = new ListConnector('x:refused:search', [incomingPost()]);
      const { poller } = await pollerFor(connector);
      connector.failNext = new ConnectorError('rejected', 'X refused the credentials (401 Unauthorized): check X_BEARER_TOKEN');
      const before = Date.now();
      expect(await poller.pollOnce(connector)).toMatchObject({ status: 'failed', failure: { kind: 'rejected' } });
      const refused = await row(connector.id);
      expect(refused).toMatchObject({ state: 'failing', last_error: 'X refused the credentials (401 Unauthorized): check X_BEARER_TOKEN' });
      expect(refused.failing_since).not.toBeNull();
      expect(refused.next_poll_at.getTime() - before).toBeGreaterThanOrEqual(29_000);
    });

    it('reports a source failing longer than the threshold once, even with two instances checking at once, and its recovery', async () => {
      const connector = new ListConnector('failing-source', [incomingPost()]);
      const { poller, sources } = await pollerFor(connector);
      connector.failNext = new Error('connect ECONNREFUSED 127.0.0.1:9');
      await poller.pollOnce(connector);
      const alertConfig = testConfig({ POLL_INTERVAL_SECONDS: '60' });
      alertConfig.sources.failingAlertAfterMinutes = 10;
      const instanceA = new SourceHealthService(alertConfig, sources, new SchedulerRegistry());
      const instanceB = new SourceHealthService(alertConfig, new SourcesRepository(dataSource), new SchedulerRegistry());

      // Failing for less than the threshold: not news yet.
      expect(await instanceA.check()).toEqual([]);
      await dataSource.query(`UPDATE sources SET failing_since = now() - interval '11 minutes' WHERE id = $1`, [connector.id]);
      const [fromA, fromB] = await Promise.all([instanceA.check(), instanceB.check()]);
      const reported = [...fromA, ...fromB].filter((event) => event.sourceId === connector.id);
      expect(reported).toHaveLength(1);
      expect(reported[0]).toMatchObject({ type: 'failing', detail: expect.stringContaining('connect ECONNREFUSED 127.0.0.1:9') });
      expect(await instanceA.check()).toEqual([]);

      await makeDue(connector.id);
      await poller.pollOnce(connector);
      expect((await eventsOf(connector.id)).map((event) => event.type)).toEqual(['failing', 'recovered']);
      expect(await row(connector.id)).toMatchObject({ state: 'ok', failing_since: null });
    });

    it('reports a source that succeeds but brings nothing new for longer than its quiet period, once, and when posts resume', async () => {
      const connector = new ListConnector('quiet-source', []);
      const { poller, sources } = await pollerFor(connector);
      await poller.pollOnce(connector);
      const health = new SourceHealthService(config, sources, new SchedulerRegistry());
      expect(await health.check()).toEqual([]);

      // Enabled 31 minutes ago with a 30-minute quiet period and no posts since.
      await dataSource.query(`UPDATE sources SET enabled_at = now() - interval '31 minutes' WHERE id = $1`, [connector.id]);
      const [quiet] = await health.check();
      expect(quiet).toMatchObject({ sourceId: connector.id, type: 'quiet', detail: 'No posts at all in the 30 minutes since it was enabled' });
      expect(await health.check()).toEqual([]);
      expect(await row(connector.id)).toMatchObject({ state: 'quiet' });

      // An empty poll keeps it quiet; a poll with a new post ends the silence.
      await makeDue(connector.id);
      await poller.pollOnce(connector);
      expect(await row(connector.id)).toMatchObject({ state: 'quiet' });
      connector.posts.push(incomingPost());
      await makeDue(connector.id);
      expect(await poller.pollOnce(connector)).toMatchObject({ status: 'stored', result: { stored: 1 } });
      expect(await row(connector.id)).toMatchObject({ state: 'ok' });
      expect((await eventsOf(connector.id)).map((event) => event.type)).toEqual(['quiet', 'resumed']);

      const listed = (await sources.list()).find((source) => source.id === connector.id);
      expect(listed).toMatchObject({ state: 'ok', postsStored: 1, postsLastHour: 1, quietAfterMinutes: 30 });
      expect(listed?.lastNewPostsAt).toBeInstanceOf(Date);
    });
  });
});
