import { SchedulerRegistry } from '@nestjs/schedule';
import type { DataSource } from 'typeorm';
import type { IncomingPost } from '../../src/domain/posts/incoming-post';
import type { FetchOptions, FetchResult, SourceConnector, SourceCursor } from '../../src/sources/source-connector';
import { SourcePollerService } from '../../src/sources/source-poller.service';
import { SourcesRepository } from '../../src/sources/sources.repository';
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
    private readonly posts: IncomingPost[],
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
    await sources.register([connector]);
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
    expect(await poller.pollOnce(connector)).toEqual({ status: 'failed', error: '503 Service Unavailable' });
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
});
