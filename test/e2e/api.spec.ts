import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { bearer, TEST_ADMIN_TOKEN, testConfig } from '../support/factories';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

interface CaseItem {
  id: string;
  priority: string;
  status: string;
  openedAt: string;
  acknowledgeBy: string;
  customer: { handle: string };
}

/** The whole application in process, on a real database, fed by the demo stream at high speed. */
describe('HTTP API with the demo stream', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const admin = bearer(TEST_ADMIN_TOKEN);

  beforeAll(async () => {
    database = await createTestDatabase();
    // 1000x: the first hour of the stream (about 60 posts) arrives in under four seconds.
    const config = testConfig({ DATABASE_URL: database.url, DEMO_SPEED: '1000', POLL_INTERVAL_SECONDS: '0.2' });
    app = await createApp({ config, dataSource: database.dataSource, logLevel: false });
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('reports the database in the health check', async () => {
    const response = await http.get('/api/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', database: { status: 'up' } });
  });

  it('turns demo complaints into cases listed most urgent first', async () => {
    const cases = await waitFor('ten demo cases', async () => {
      const response = await http.get('/api/cases?limit=200').set(admin).expect(200);
      return response.body.items.length >= 10 ? (response.body.items as CaseItem[]) : undefined;
    });
    const ranks = cases.map((item) => Number(item.priority.slice(1)));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (let index = 1; index < cases.length; index += 1) {
      const [previous, current] = [cases[index - 1], cases[index]];
      if (previous.priority === current.priority) expect(Date.parse(previous.openedAt)).toBeGreaterThanOrEqual(Date.parse(current.openedAt));
    }
    for (const item of cases) expect(Date.parse(item.acknowledgeBy)).toBeGreaterThan(Date.parse(item.openedAt));

    const detail = await http.get(`/api/cases/${cases[0]?.id}`).set(admin).expect(200);
    expect(detail.body.posts.length).toBeGreaterThanOrEqual(1);
    expect(detail.body.events[0]).toMatchObject({ type: 'opened', actorId: null });
    expect(detail.body.posts[0].score).toMatchObject({ complaint: true });
  });

  it('pages with a cursor without gaps or repeats', async () => {
    const all = (await http.get('/api/cases?limit=200').set(admin).expect(200)).body.items as CaseItem[];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response: request.Response = await http
        .get('/api/cases')
        .set(admin)
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .expect(200);
      expect(response.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...response.body.items.map((item: CaseItem) => item.id));
      cursor = response.body.nextCursor;
    } while (cursor && seen.length < all.length + 3);
    // New cases may arrive while paging; every case of the first snapshot must appear exactly once.
    expect(new Set(seen).size).toBe(seen.length);
    for (const item of all) expect(seen).toContain(item.id);
  });

  it('filters cases by status and priority', async () => {
    const response = await http.get('/api/cases?status=new&priority=P1,P2').set(admin).expect(200);
    // The stream's first minute holds P1 and P2 complaints, so an empty answer means the filter is broken.
    expect(response.body.items.length).toBeGreaterThan(0);
    for (const item of response.body.items as CaseItem[]) {
      expect(item.status).toBe('new');
      expect(['P1', 'P2']).toContain(item.priority);
    }
  });

  it('lists posts newest first with their scores, and filters complaints', async () => {
    const response = await http.get('/api/posts?limit=20&complaint=true').set(admin).expect(200);
    expect(response.body.items.length).toBeGreaterThan(0);
    const times = response.body.items.map((post: { postedAt: string }) => Date.parse(post.postedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const post of response.body.items) expect(post.score.complaint).toBe(true);
  });

  it('shows the demo source as healthy', async () => {
    const response = await http.get('/api/sources').set(admin).expect(200);
    expect(response.body.items).toEqual([expect.objectContaining({ id: 'demo', platform: 'demo', state: 'ok', enabled: true })]);
    expect(response.body.items[0].postsStored).toBeGreaterThan(0);
  });

  it('answers 401 without a token on posts, labels and sources, and lets an executive read but not label', async () => {
    const [post] = (await http.get('/api/posts?limit=1').set(admin).expect(200)).body.items as Array<{ id: string }>;
    expect(post).toBeDefined();
    const labels = `/api/posts/${post.id}/labels`;
    // Requests built one at a time: supertest may start (and after the answer stop) the server per request.
    const anonymous = [
      () => http.get('/api/posts'),
      () => http.get('/api/sources'),
      () => http.get('/api/sources/events'),
      () => http.get(labels),
      () => http.post(labels).send({ complaint: true }),
    ];
    for (const call of anonymous) {
      const response = await call().expect(401);
      expect(response.body.message).toMatch(/Authorization: Bearer <token>/);
    }

    const created = await http.post('/api/users').set(admin).send({ name: 'Erin Executive', role: 'executive' }).expect(201);
    const issued = await http.post(`/api/users/${created.body.id}/tokens`).set(admin).send({}).expect(201);
    const executive = bearer(issued.body.token as string);
    const refused = await http.post(labels).set(executive).send({ complaint: true }).expect(403);
    expect(refused.body.message).toMatch(/An executive may not work on cases/);
    const posts = await http.get('/api/posts?limit=5').set(executive).expect(200);
    expect(posts.body.items.length).toBeGreaterThan(0);
    await http.get('/api/sources').set(executive).expect(200);
    const stored = await http.get(labels).set(executive).expect(200);
    expect(stored.body.items).toEqual([]);
  });

  it.each([
    ['/api/cases?limit=500', /limit must be at most 200/],
    ['/api/cases?limit=0', /limit must be at least 1/],
    ['/api/cases?limit=abc', /limit must be a whole number/],
    ['/api/cases?status=lost', /status must be one or more of/],
    ['/api/cases?priority=P9', /priority must be one or more of/],
    ['/api/cases?cursor=not-a-cursor', /cursor is not valid/],
    ['/api/cases?colour=red', /property colour should not exist/],
    ['/api/cases/not-a-uuid', /case id must be a UUID/],
    ['/api/posts?complaint=maybe', /complaint must be true or false/],
    ['/api/posts?caseId=42', /caseId must be a UUID/],
  ])('answers 400 with a clear message for %s', async (url, message) => {
    const response = await http.get(url).set(admin).expect(400);
    expect(JSON.stringify(response.body.message)).toMatch(message);
    expect(response.body.statusCode).toBe(400);
  });

  it('answers 404 for an unknown case and an unknown route', async () => {
    const missing = await http.get('/api/cases/00000000-0000-4000-8000-000000000000').set(admin).expect(404);
    expect(missing.body.message).toMatch(/No case has id/);
    const unknownRoute = await http.get('/api/nothing-here').expect(404);
    expect(unknownRoute.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: 'Cannot GET /api/nothing-here' });
    await http.post('/api/cases').set(admin).send({}).expect(404);
    const outsideApi = await http.get('/metrics-or-anything').expect(404);
    expect(outsideApi.body.message).toMatch(/the API is under \/api/);
  });

  it('serves the OpenAPI document', async () => {
    const response = await http.get('/api/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/cases', '/api/cases/{id}', '/api/posts', '/api/health', '/api/sources']));
  });
});
