import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { incomingPost, ingestPipeline, PRAISE } from '../support/factories';

describe('ingest and triage on PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = database.dataSource;
    await dataSource.query(`INSERT INTO sources (id, platform) VALUES ('demo', 'demo')`);
  });
  afterAll(() => database.drop());

  const store = (posts: ReturnType<typeof incomingPost>[]) => {
    const { ingest } = ingestPipeline(dataSource);
    return dataSource.transaction((manager) => ingest.storeBatch(manager, 'demo', posts));
  };

  it('stores each post once, however often it arrives', async () => {
    const post = incomingPost({ text: PRAISE });
    const first = await store([post, post]);
    expect(first).toMatchObject({ received: 2, stored: 1, duplicates: 1 });
    const again = await store([post]);
    expect(again).toMatchObject({ received: 1, stored: 0, duplicates: 1 });
    const rows = await dataSource.query(`SELECT count(*)::int AS count FROM posts WHERE external_id = $1`, [post.externalId]);
    expect(rows[0].count).toBe(1);
  });

  it('opens a case for a complaint, with a deadline and an "opened" event', async () => {
    const post = incomingPost({ handle: 'dana' });
    const result = await store([post]);
    expect(result).toMatchObject({ stored: 1, complaints: 1, casesOpened: 1 });

    const [row] = await dataSource.query(
      `SELECT c.id, c.status, c.priority, c.brand_id, c.opened_at, c.acknowledge_by, c.post_count, p.case_id
       FROM cases c JOIN posts p ON p.case_id = c.id WHERE p.external_id = $1`,
      [post.externalId],
    );
    expect(row).toMatchObject({ status: 'new', brand_id: 'halcyon-air', post_count: 1 });
    const ackMinutes = (row.acknowledge_by.getTime() - row.opened_at.getTime()) / 60_000;
    expect([15, 60, 240, 1440]).toContain(ackMinutes);
    const events = await dataSource.query(`SELECT type, data FROM case_events WHERE case_id = $1 ORDER BY id`, [row.id]);
    expect(events.map((event: { type: string }) => event.type)).toEqual(['opened']);
    expect(events[0].data.postId).toBeDefined();
  });

  it('does not open a case for praise or for a post about no watched brand', async () => {
    const result = await store([incomingPost({ text: PRAISE }), incomingPost({ text: 'my other airline lost my bag, nobody answers' })]);
    expect(result).toMatchObject({ stored: 2, complaints: 0, casesOpened: 0 });
  });

  it("joins a customer's second complaint to the open case", async () => {
    await store([incomingPost({ handle: 'marek', text: '@HalcyonAir still waiting for my refund, 6 weeks now' })]);
    const result = await store([incomingPost({ handle: 'marek', text: '@HalcyonAir still nothing on my refund. Third time asking. Unacceptable.' })]);
    expect(result).toMatchObject({ casesOpened: 0, casesJoined: 1 });
    const cases = await dataSource.query(`SELECT c.id, c.post_count FROM cases c JOIN authors a ON a.id = c.author_id WHERE a.handle = 'marek'`);
    expect(cases).toHaveLength(1);
    expect(cases[0].post_count).toBe(2);
    const events = await dataSource.query(`SELECT type FROM case_events WHERE case_id = $1 ORDER BY id`, [cases[0].id]);
    expect(events.map((event: { type: string }) => event.type)).toEqual(['opened', 'post_joined']);
  });

  it('reopens a resolved case when the customer complains again within the repeat window', async () => {
    await store([incomingPost({ handle: 'jess', text: '@HalcyonAir charged twice for my seat upgrade, please sort this out' })]);
    const [opened] = await dataSource.query(`SELECT c.id FROM cases c JOIN authors a ON a.id = c.author_id WHERE a.handle = 'jess'`);
    await dataSource.query(`UPDATE cases SET status = 'resolved', resolved_at = now(), acknowledged_at = now() WHERE id = $1`, [opened.id]);

    const result = await store([incomingPost({ handle: 'jess', text: '@HalcyonAir the double charge is back on my statement. Still not refunded.' })]);
    expect(result).toMatchObject({ casesReopened: 1, casesOpened: 0 });
    const [reopened] = await dataSource.query(`SELECT status, contact_count, acknowledged_at, resolved_at FROM cases WHERE id = $1`, [opened.id]);
    expect(reopened).toEqual({ status: 'reopened', contact_count: 2, acknowledged_at: null, resolved_at: null });
    const events = await dataSource.query(`SELECT type FROM case_events WHERE case_id = $1 ORDER BY id`, [opened.id]);
    expect(events.map((event: { type: string }) => event.type)).toEqual(['opened', 'reopened']);
  });

  it('opens exactly one case when two batches bring the same new customer at once', async () => {
    const handle = 'racer';
    const outcomes = await Promise.all([
      store([incomingPost({ handle, text: '@HalcyonAir lost my bag, nobody answers. Unacceptable.' })]),
      store([incomingPost({ handle, text: '@HalcyonAir still no bag after 3 days. Worst service.' })]),
    ]);
    const cases = await dataSource.query(`SELECT c.id, c.post_count FROM cases c JOIN authors a ON a.id = c.author_id WHERE a.handle = $1`, [handle]);
    expect(cases).toHaveLength(1);
    expect(cases[0].post_count).toBe(2);
    expect(outcomes.map((outcome) => outcome.casesOpened).sort()).toEqual([0, 1]);
    expect(outcomes.map((outcome) => outcome.casesJoined).sort()).toEqual([0, 1]);
  });

  it('keeps the case history append-only', async () => {
    const [event] = await dataSource.query(`SELECT id FROM case_events LIMIT 1`);
    await expect(dataSource.query(`UPDATE case_events SET type = 'edited' WHERE id = $1`, [event.id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM case_events WHERE id = $1`, [event.id])).rejects.toThrow(/append-only/);
  });
});
