import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { bearer, TEST_ADMIN_TOKEN, testConfig } from '../support/factories';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface UserItem {
  id: string;
  name: string;
  email: string | null;
  role: string;
  onShift: boolean;
  capacity: number;
  openCases: number;
}

/** Users, roles and tokens through the HTTP API, with no source polling. */
describe('users API', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const admin = bearer(TEST_ADMIN_TOKEN);
  /** Filled in by the first tests: the team the admin creates, and their tokens. */
  const team: Record<'agent' | 'colleague' | 'executive' | 'supervisor', { user: UserItem; token: string }> = {} as never;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: database.url, DEMO: '0' });
    app = await createApp({ config, dataSource: database.dataSource, logLevel: false });
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  function messageOf(response: request.Response): string {
    return [response.body.message].flat().join('; ');
  }

  it('answers 401 without a token, with a malformed header, and with an unknown token', async () => {
    for (const headers of [{}, { Authorization: TEST_ADMIN_TOKEN }, { Authorization: 'Basic dXNlcjpwYXNz' }, { Authorization: 'Bearer ' }]) {
      const response = await http.get('/api/users/me').set(headers).expect(401);
      expect(messageOf(response)).toBe(
        'Send "Authorization: Bearer <token>"; an admin issues tokens at POST /api/users/:id/tokens (a new install starts with ADMIN_TOKEN)',
      );
    }
    for (const token of ['cm_not-a-real-token', `${TEST_ADMIN_TOKEN}x`, TEST_ADMIN_TOKEN.slice(0, -1)]) {
      const response = await http.get('/api/users').set(bearer(token)).expect(401);
      expect(messageOf(response)).toBe('Unknown or revoked token');
    }
    await http.post('/api/users').send({ name: 'Mallory', role: 'admin' }).expect(401);
  });

  it('signs ADMIN_TOKEN in as the first admin, the same user every time', async () => {
    const first = await http.get('/api/users/me').set(admin).expect(200);
    expect(first.body).toMatchObject({ name: 'Administrator', role: 'admin', openCases: 0 });
    const second = await http
      .get('/api/users/me')
      .set({ Authorization: `bearer  ${TEST_ADMIN_TOKEN}` })
      .expect(200);
    expect(second.body.id).toBe(first.body.id);
  });

  it('lets the admin create an agent, an executive and a supervisor and issue each a token', async () => {
    const people = [
      ['agent', { name: 'Dana Agent', email: 'dana@example.com', role: 'agent' }],
      ['colleague', { name: 'Chris Agent', role: 'agent', onShift: true, capacity: 4 }],
      ['executive', { name: 'Erin Executive', email: 'erin@example.com', role: 'executive' }],
      ['supervisor', { name: 'Sam Supervisor', role: 'supervisor', onShift: true }],
    ] as const;
    for (const [key, body] of people) {
      const created = await http.post('/api/users').set(admin).send(body).expect(201);
      expect(created.body).toMatchObject({ ...body, openCases: 0 });
      const issued = await http
        .post(`/api/users/${created.body.id}/tokens`)
        .set(admin)
        .send({ label: `${key} laptop` })
        .expect(201);
      expect(issued.body).toEqual({ id: expect.any(String), token: expect.stringMatching(/^cm_/), note: 'Shown once; store it now' });
      team[key] = { user: created.body, token: issued.body.token };
    }
    expect(team.colleague.user).toMatchObject({ onShift: true, capacity: 4, email: null });
    expect(team.agent.user).toMatchObject({ onShift: false, capacity: 10 });

    const listed = await http.get('/api/users').set(bearer(team.executive.token)).expect(200);
    expect(listed.body.map((user: UserItem) => user.name)).toEqual(expect.arrayContaining(['Administrator', 'Dana Agent', 'Erin Executive', 'Sam Supervisor']));
  });

  it('lets an agent read themself and go on shift, but not create users or change anyone else', async () => {
    const agent = bearer(team.agent.token);
    const me = await http.get('/api/users/me').set(agent).expect(200);
    expect(me.body).toMatchObject({ id: team.agent.user.id, name: 'Dana Agent', role: 'agent', onShift: false });

    const onShift = await http.patch(`/api/users/${team.agent.user.id}`).set(agent).send({ onShift: true }).expect(200);
    expect(onShift.body).toMatchObject({ id: team.agent.user.id, onShift: true, capacity: 10 });
    expect((await http.get('/api/users/me').set(agent).expect(200)).body.onShift).toBe(true);

    const create = await http.post('/api/users').set(agent).send({ name: 'Sneaky', role: 'admin' }).expect(403);
    expect(messageOf(create)).toBe('An agent may not manage users, roles or their tokens; this needs one of: admin');
    const otherShift = await http.patch(`/api/users/${team.colleague.user.id}`).set(agent).send({ onShift: false }).expect(403);
    expect(messageOf(otherShift)).toBe('An agent may not set shifts or capacities; this needs one of: supervisor, admin');
    const ownCapacity = await http.patch(`/api/users/${team.agent.user.id}`).set(agent).send({ onShift: true, capacity: 100 }).expect(403);
    expect(messageOf(ownCapacity)).toMatch(/needs one of: supervisor, admin/);
    const ownRole = await http.patch(`/api/users/${team.agent.user.id}`).set(agent).send({ role: 'admin' }).expect(403);
    expect(messageOf(ownRole)).toMatch(/needs one of: admin$/);
    await http.post(`/api/users/${team.colleague.user.id}/tokens`).set(agent).send({}).expect(403);

    // Nothing the refused requests asked for happened.
    const colleague = (await http.get('/api/users').set(agent).expect(200)).body.find((user: UserItem) => user.id === team.colleague.user.id);
    expect(colleague).toMatchObject({ onShift: true, capacity: 4, role: 'agent' });
    expect((await http.get('/api/users/me').set(agent).expect(200)).body).toMatchObject({ role: 'agent', capacity: 10 });
  });

  it('lets a supervisor schedule agents but not change roles, and an executive change nothing', async () => {
    const supervisor = bearer(team.supervisor.token);
    const scheduled = await http.patch(`/api/users/${team.colleague.user.id}`).set(supervisor).send({ onShift: false, capacity: 6 }).expect(200);
    expect(scheduled.body).toMatchObject({ onShift: false, capacity: 6, role: 'agent' });
    const role = await http.patch(`/api/users/${team.colleague.user.id}`).set(supervisor).send({ role: 'supervisor' }).expect(403);
    expect(messageOf(role)).toBe('A supervisor may not manage users, roles or their tokens; this needs one of: admin');

    const executive = bearer(team.executive.token);
    for (const body of [{ onShift: true }, { capacity: 3 }, { name: 'Erin' }]) {
      const own = await http.patch(`/api/users/${team.executive.user.id}`).set(executive).send(body).expect(403);
      expect(messageOf(own)).toMatch(/^An executive may not .*; this needs one of: /);
    }
    await http.patch(`/api/users/${team.agent.user.id}`).set(executive).send({ onShift: false }).expect(403);
    await http.post('/api/users').set(executive).send({ name: 'Someone', role: 'agent' }).expect(403);
  });

  it('lets the admin rename and change roles', async () => {
    const changed = await http.patch(`/api/users/${team.colleague.user.id}`).set(admin).send({ name: 'Chris Lead', role: 'supervisor' }).expect(200);
    expect(changed.body).toMatchObject({ name: 'Chris Lead', role: 'supervisor', capacity: 6 });
    // The role is read at each request: the promoted user's token now schedules.
    await http.patch(`/api/users/${team.agent.user.id}`).set(bearer(team.colleague.token)).send({ capacity: 12 }).expect(200);
  });

  it('keeps the first admin an admin, so ADMIN_TOKEN always signs in with full rights', async () => {
    const me = await http.get('/api/users/me').set(admin).expect(200);
    const refused = await http.patch(`/api/users/${me.body.id}`).set(admin).send({ role: 'agent' }).expect(409);
    expect(refused.body.message).toMatch(/stays an admin/);
    expect((await http.get('/api/users/me').set(admin).expect(200)).body.role).toBe('admin');
  });

  it('lets users issue and revoke their own tokens; a revoked token is refused', async () => {
    const agent = bearer(team.agent.token);
    const issued = await http.post(`/api/users/${team.agent.user.id}/tokens`).set(agent).expect(201);
    const spare = bearer(issued.body.token as string);
    expect((await http.get('/api/users/me').set(spare).expect(200)).body.id).toBe(team.agent.user.id);

    await http.delete(`/api/users/${team.agent.user.id}/tokens/${issued.body.id}`).set(bearer(team.executive.token)).expect(403);
    await http.delete(`/api/users/${team.agent.user.id}/tokens/${issued.body.id}`).set(agent).expect(204);
    const refused = await http.get('/api/users/me').set(spare).expect(401);
    expect(messageOf(refused)).toBe('Unknown or revoked token');
    const again = await http.delete(`/api/users/${team.agent.user.id}/tokens/${issued.body.id}`).set(admin).expect(404);
    expect(messageOf(again)).toMatch(/has no active token/);
    // The other token of the agent still works.
    await http.get('/api/users/me').set(agent).expect(200);
  });

  it.each([
    ['POST', '/api/users', {}, /name must be 1 to 100 characters/],
    ['POST', '/api/users', { name: '   ', role: 'agent' }, /name must be 1 to 100 characters/],
    ['POST', '/api/users', { name: 'x'.repeat(101), role: 'agent' }, /name must be 1 to 100 characters/],
    ['POST', '/api/users', { name: 'Bo' }, /role must be one of agent, supervisor, executive, admin/],
    ['POST', '/api/users', { name: 'Bo', role: 'boss' }, /role must be one of agent, supervisor, executive, admin/],
    ['POST', '/api/users', { name: 'Bo', role: 'agent', email: 'not-an-email' }, /email must be an email address/],
    ['POST', '/api/users', { name: 'Bo', role: 'agent', onShift: 'yes' }, /onShift must be true or false/],
    ['POST', '/api/users', { name: 'Bo', role: 'agent', capacity: 501 }, /capacity must be at most 500/],
    ['POST', '/api/users', { name: 'Bo', role: 'agent', capacity: -1 }, /capacity must be at least 0/],
    ['POST', '/api/users', { name: 'Bo', role: 'agent', capacity: 2.5 }, /capacity must be a whole number/],
    ['POST', '/api/users', { name: 'Bo', role: 'agent', password: 'x' }, /property password should not exist/],
    ['PATCH', '/api/users/{agent}', {}, /Send at least one of name, role, onShift, capacity/],
    ['PATCH', '/api/users/{agent}', { role: 'root' }, /role must be one of/],
    ['PATCH', '/api/users/{agent}', { email: 'new@example.com' }, /property email should not exist/],
    ['PATCH', '/api/users/not-a-uuid', { onShift: true }, /user id must be a UUID/],
    ['POST', '/api/users/{agent}/tokens', { label: 42 }, /label must be text/],
    ['DELETE', '/api/users/{agent}/tokens/nope', undefined, /token id must be a UUID/],
  ])('answers 400 with a message for %s %s %j', async (method, path, body, message) => {
    const url = path.replace('{agent}', team.agent.user.id);
    const call = method === 'POST' ? http.post(url) : method === 'PATCH' ? http.patch(url) : http.delete(url);
    const response = await call.set(admin).send(body).expect(400);
    expect(response.body.statusCode).toBe(400);
    expect(messageOf(response)).toMatch(message);
  });

  it('answers 404 for an unknown user and 409 for a taken email', async () => {
    const patch = await http.patch(`/api/users/${UNKNOWN_ID}`).set(admin).send({ capacity: 3 }).expect(404);
    expect(messageOf(patch)).toBe(`No user has id ${UNKNOWN_ID}`);
    await http.post(`/api/users/${UNKNOWN_ID}/tokens`).set(admin).send({}).expect(404);
    await http.delete(`/api/users/${UNKNOWN_ID}/tokens/${UNKNOWN_ID}`).set(admin).expect(404);

    const duplicate = await http.post('/api/users').set(admin).send({ name: 'Dana Again', email: 'DANA@example.com', role: 'agent' }).expect(409);
    expect(messageOf(duplicate)).toMatch(/dana@example\.com already exists/);
    const [{ count }] = await database.dataSource.query(`SELECT count(*)::int AS count FROM users WHERE name = 'Dana Again'`);
    expect(count).toBe(0);
  });

  it('lists the users routes in the OpenAPI document', async () => {
    const response = await http.get('/api/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/api/users', '/api/users/me', '/api/users/{id}', '/api/users/{id}/tokens', '/api/users/{id}/tokens/{tokenId}']),
    );
  });
});
