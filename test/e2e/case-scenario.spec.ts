import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { FakeXApi, type FakeXTweet } from '../fakes/x-api.fake';
import { bearer, TEST_ADMIN_TOKEN, testConfig } from '../support/factories';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const CUSTOMER = 'stranded_sam';
const FIRST_COMPLAINT = '@HalcyonAir day 3 and still no bag. Nobody answers the phone.';
const SECOND_COMPLAINT = '@HalcyonAir still no bag. Day 4 and nobody has called me back.';
const ACKNOWLEDGEMENT = "Hi, we're looking into where your bag is now.";
const APOLOGY = "We're sorry we lost your bag, that's on us. It is on its way to you today.";
const UNKNOWN_CASE = '00000000-0000-4000-8000-000000000000';

/** The user credentials the brand's X account posts replies with (OAuth 1.0a user context). */
const X_USER = { appKey: 'scenario-app-key', appSecret: 'scenario-app-secret', accessToken: 'scenario-access-token', accessSecret: 'scenario-access-secret' };

/** The case's history as issue 5 tells it; other events may sit between these, in this order. */
const STORY = ['opened', 'assigned', 'reply_posted', 'acknowledged', 'fault_set', 'reply_posted', 'apologised', 'resolved', 'reopened'];
/** Nothing was late, so nothing may escalate; and no reply failed. */
const NOT_IN_THIS_STORY = ['acknowledgement_breached', 'commitment_overdue', 'escalated', 'reply_failed'];

interface UserItem {
  id: string;
  name: string;
  role: string;
  onShift: boolean;
}

interface CaseItem {
  id: string;
  number: number;
  platform: string;
  status: string;
  fault: string;
  ownerId: string | null;
  customer: { handle: string };
  acknowledgedAt: string | null;
  apologisedAt: string | null;
  resolvedAt: string | null;
  postCount: number;
  faultSuggestion: string | null;
  contactCount: number;
}

interface CaseEventItem {
  id: number;
  type: string;
  actorId: string | null;
  data: Record<string, unknown>;
}

interface CaseDetailItem extends CaseItem {
  posts: Array<{ externalId: string; text: string }>;
  replies: Array<{ kind: string; text: string; state: string; externalId: string | null; isApology: boolean }>;
  commitments: unknown[];
  events: CaseEventItem[];
}

/** The longest prefix of `story` that occurs in `types` in order (not necessarily next to each other). */
function storyFound(types: readonly string[], story: readonly string[]): string[] {
  const found: string[] = [];
  let from = 0;
  for (const type of story) {
    const at = types.indexOf(type, from);
    if (at < 0) break;
    found.push(type);
    from = at + 1;
  }
  return found;
}

/**
 * Issue 5's scenario, through the HTTP API only: a complaint on a fake X becomes a case, is
 * auto-assigned, acknowledged in public (the fake X receives the reply), marked company at fault,
 * refused resolution without an apology, apologised to and resolved; the customer complains again
 * and the case reopens. The case's events tell that story in order. Bad requests answer 4xx.
 */
describe('a complaint worked through the case workflow, end to end with a fake X', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let fakeX: FakeXApi;
  let http: ReturnType<typeof request>;
  const admin = TEST_ADMIN_TOKEN;
  const team = {} as Record<'agent' | 'supervisor' | 'executive', { user: UserItem; token: string }>;
  /** Every answer the API gave in this file, to show that none was a 500. */
  let firstComplaint: FakeXTweet;
  let caseId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    fakeX = await new FakeXApi().start();
    fakeX.addUser({ username: 'HalcyonAir', name: 'Halcyon Air', followers: 250_000 });
    fakeX.addUser({ username: CUSTOMER, name: 'Sam', followers: 180 });
    const config = testConfig({
      DATABASE_URL: database.url,
      DEMO: '0',
      POLL_INTERVAL_SECONDS: '0.2',
      X_BEARER_TOKEN: fakeX.bearerToken,
      X_API_BASE_URL: fakeX.url,
      X_APP_KEY: X_USER.appKey,
      X_APP_SECRET: X_USER.appSecret,
      X_ACCESS_TOKEN: X_USER.accessToken,
      X_ACCESS_SECRET: X_USER.accessSecret,
      CASE_SWEEP_INTERVAL_SECONDS: '0.2',
      AUTO_ASSIGN_AFTER_MINUTES: '0',
    });
    app = await createApp({ config, dataSource: database.dataSource, logLevel: 'error' });
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    await app?.close();
    await fakeX?.stop();
    await database?.drop();
  });

  /** One API call; records its status, and fails with the answer's body when the status is not `status`. */
  async function call(
    method: 'get' | 'post' | 'patch',
    url: string,
    token: string | null,
    body: object | undefined,
    status: number,
  ): Promise<request.Response> {
    let pending = http[method](url);
    if (token !== null) pending = pending.set(bearer(token));
    const response = body === undefined ? await pending : await pending.send(body);
    if (response.status !== status) {
      throw new Error(`${method.toUpperCase()} ${url} answered ${response.status}, expected ${status}: ${JSON.stringify(response.body)}`);
    }
    return response;
  }

  function messageOf(response: request.Response): string {
    return [response.body.message].flat().join('; ');
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    for (;;) {
      last = await probe();
      if (last !== undefined) return last;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function detail(token = team.supervisor.token): Promise<CaseDetailItem> {
    return (await call('get', `/api/cases/${caseId}`, token, undefined, 200)).body as CaseDetailItem;
  }

  async function customerCases(): Promise<CaseItem[]> {
    const response = await call('get', '/api/cases?limit=200', team.supervisor.token, undefined, 200);
    return (response.body.items as CaseItem[]).filter((item) => item.customer.handle.toLowerCase() === CUSTOMER.toLowerCase());
  }

  it('lets the admin set up an on-shift agent, a supervisor and an executive, each with a token', async () => {
    const people = [
      ['agent', { name: 'Dana Agent', role: 'agent', onShift: true }],
      ['supervisor', { name: 'Sam Supervisor', role: 'supervisor', onShift: true }],
      ['executive', { name: 'Erin Executive', role: 'executive' }],
    ] as const;
    for (const [key, body] of people) {
      const created = await call('post', '/api/users', admin, body, 201);
      expect(created.body).toMatchObject(body);
      const issued = await call('post', `/api/users/${created.body.id}/tokens`, admin, { label: `${key} scenario` }, 201);
      team[key] = { user: created.body as UserItem, token: issued.body.token as string };
    }
    expect(team.agent.user.onShift).toBe(true);
  });

  it('turns a complaint on X into a case that is auto-assigned to the agent on shift', async () => {
    expect(await customerCases()).toEqual([]);
    firstComplaint = fakeX.addTweet({ text: FIRST_COMPLAINT, author: CUSTOMER });

    const assigned = await waitFor(`a case for @${CUSTOMER} owned by the agent`, async () => {
      const cases = await customerCases();
      return cases.length > 0 && cases[0].ownerId !== null ? cases : undefined;
    });
    expect(assigned).toHaveLength(1);
    expect(assigned[0]).toMatchObject({
      platform: 'x',
      status: 'assigned',
      ownerId: team.agent.user.id,
      contactCount: 1,
      acknowledgedAt: null,
      fault: 'unknown',
      faultSuggestion: 'company',
    });
    caseId = assigned[0].id;

    // The agent's queue: their own cases; nobody else's and no unowned ones.
    const mine = (await call('get', '/api/cases?owner=me', team.agent.token, undefined, 200)).body.items as CaseItem[];
    expect(mine.map((item) => item.id)).toEqual([caseId]);
    const unowned = (await call('get', '/api/cases?owner=none', team.agent.token, undefined, 200)).body.items as CaseItem[];
    expect(unowned.map((item) => item.id)).not.toContain(caseId);
    const supervisors = (await call('get', `/api/cases?owner=${team.supervisor.user.id}`, team.agent.token, undefined, 200)).body.items as CaseItem[];
    expect(supervisors).toEqual([]);
    expect(messageOf(await call('get', '/api/cases?owner=someone', team.agent.token, undefined, 400))).toMatch(/owner must be me, none or a user id/);

    const opened = await detail(team.agent.token);
    expect(opened.posts.map((post) => post.externalId)).toEqual([firstComplaint.id]);
    expect(opened.replies).toEqual([]);
    expect(fakeX.replies).toEqual([]);
  });

  it('posts the agent’s acknowledgement in public on X, answering the complaint, and marks the case acknowledged', async () => {
    const response = await call('post', `/api/cases/${caseId}/replies`, team.agent.token, { text: ACKNOWLEDGEMENT }, 201);

    expect(fakeX.replies).toHaveLength(1);
    const [posted] = fakeX.replies;
    expect(posted).toMatchObject({ text: ACKNOWLEDGEMENT, inReplyToTweetId: firstComplaint.id });
    // Posted as the brand's account, with the configured user credentials.
    expect(posted.oauth).toMatchObject({ oauth_consumer_key: X_USER.appKey, oauth_token: X_USER.accessToken, oauth_signature_method: 'HMAC-SHA1' });

    expect(response.body).toMatchObject({
      reply: { kind: 'acknowledgement', text: ACKNOWLEDGEMENT, state: 'posted', externalId: posted.id, isApology: false },
      commitment: null,
      acknowledged: true,
      apology: { apology: false },
    });
    const acknowledged = await detail();
    expect(acknowledged).toMatchObject({ status: 'acknowledged', ownerId: team.agent.user.id, apologisedAt: null });
    expect(acknowledged.acknowledgedAt).not.toBeNull();
  });

  it('refuses to close a case that is still open (409), and changes nothing', async () => {
    const refused = await call('post', `/api/cases/${caseId}/close`, team.agent.token, {}, 409);
    expect(messageOf(refused)).toMatch(/cannot close a case that is acknowledged/i);
    expect((await detail()).status).toBe('acknowledged');
  });

  it('refuses to resolve with the fault undecided, then, company at fault, without an apology', async () => {
    const undecided = await call('post', `/api/cases/${caseId}/resolve`, team.agent.token, {}, 409);
    expect(messageOf(undecided)).toMatch(/fault is undecided/);

    const fault = await call('post', `/api/cases/${caseId}/fault`, team.agent.token, { fault: 'company', note: 'We lost the bag in transfer' }, 200);
    expect(fault.body).toMatchObject({ fault: 'company', status: 'acknowledged' });

    const refused = await call('post', `/api/cases/${caseId}/resolve`, team.agent.token, { note: 'Bag located' }, 409);
    const message = messageOf(refused);
    expect(message).toMatch(/company was at fault and no apology has been posted/);
    // The apology is the only thing missing: the acknowledgement is posted and the fault decided.
    expect(message).not.toMatch(/acknowledgement|undecided|promised/);
    expect(await detail()).toMatchObject({ status: 'acknowledged', fault: 'company', resolvedAt: null });
  });

  it('posts a real apology on X, after which the case resolves', async () => {
    const response = await call('post', `/api/cases/${caseId}/replies`, team.agent.token, { text: APOLOGY }, 201);
    expect(fakeX.replies).toHaveLength(2);
    const posted = fakeX.replies[1];
    expect(posted).toMatchObject({ text: APOLOGY, inReplyToTweetId: firstComplaint.id });
    expect(response.body).toMatchObject({
      reply: { kind: 'apology', state: 'posted', externalId: posted.id, isApology: true },
      commitment: null,
      acknowledged: false,
      apology: { apology: true },
    });

    const resolved = await call('post', `/api/cases/${caseId}/resolve`, team.agent.token, { note: 'Bag delivered today' }, 200);
    expect(resolved.body).toMatchObject({ id: caseId, status: 'resolved' });
    const after = await detail();
    expect(after).toMatchObject({ status: 'resolved', fault: 'company' });
    expect(after.apologisedAt).not.toBeNull();
    expect(after.resolvedAt).not.toBeNull();
    expect(after.replies.map((reply) => [reply.state, reply.externalId])).toEqual(fakeX.replies.map((reply) => ['posted', reply.id]));
  });

  it('reopens the same case when the customer complains again, counting a second contact', async () => {
    const secondComplaint = fakeX.addTweet({ text: SECOND_COMPLAINT, author: CUSTOMER });
    const reopened = await waitFor('the case to reopen', async () => {
      const current = await detail();
      return current.status === 'reopened' ? current : undefined;
    });
    expect(reopened).toMatchObject({ id: caseId, status: 'reopened', contactCount: 2, postCount: 2, ownerId: team.agent.user.id, acknowledgedAt: null });
    expect(reopened.posts.map((post) => post.externalId).sort()).toEqual([firstComplaint.id, secondComplaint.id].sort());
    // No second case: the repeat contact joined the customer's history.
    expect((await customerCases()).map((item) => item.id)).toEqual([caseId]);
  });

  it('tells the whole story in the case’s events, in order', async () => {
    const { events } = await detail(team.executive.token);
    const types = events.map((event) => event.type);
    expect({ story: storyFound(types, STORY), types }).toEqual({ story: STORY, types });
    for (const absent of NOT_IN_THIS_STORY) expect(types).not.toContain(absent);
    expect(events.map((event) => event.id)).toEqual([...events.map((event) => event.id)].sort((a, b) => a - b));

    const first = (type: string): CaseEventItem => events.find((event) => event.type === type)!;
    // The system opens, assigns and reopens; the agent does the rest.
    expect(first('opened').actorId).toBeNull();
    expect(first('assigned')).toMatchObject({ actorId: null, data: { ownerId: team.agent.user.id } });
    expect(first('reopened').actorId).toBeNull();
    for (const type of ['reply_posted', 'acknowledged', 'fault_set', 'apologised', 'resolved']) expect(first(type).actorId).toBe(team.agent.user.id);
    expect(first('fault_set').data).toMatchObject({ fault: 'company', previous: 'unknown', note: 'We lost the bag in transfer' });
    // The replies on the record are the ones X received.
    const replies = events.filter((event) => event.type === 'reply_posted');
    expect(replies.map((event) => [event.data.text, event.data.externalId])).toEqual(fakeX.replies.map((reply) => [reply.text, reply.id]));
  });

  it('answers bad requests with a 4xx and a message, and posts nothing for them', async () => {
    const agent = team.agent.token;
    const replies = `/api/cases/${caseId}/replies`;

    // No token.
    for (const [method, url, body] of [
      ['get', '/api/cases', undefined],
      ['get', `/api/cases/${caseId}`, undefined],
      ['post', replies, { text: 'Hello again' }],
      ['post', `/api/cases/${caseId}/resolve`, {}],
    ] as const) {
      const response = await call(method, url, null, body, 401);
      expect(messageOf(response)).toMatch(/Authorization: Bearer/);
    }

    // Unknown case.
    expect(messageOf(await call('get', `/api/cases/${UNKNOWN_CASE}`, agent, undefined, 404))).toBe(`No case has id ${UNKNOWN_CASE}`);
    expect(messageOf(await call('post', `/api/cases/${UNKNOWN_CASE}/replies`, agent, { text: 'Hello there' }, 404))).toMatch(UNKNOWN_CASE);
    expect(messageOf(await call('post', `/api/cases/${UNKNOWN_CASE}/resolve`, agent, {}, 404))).toMatch(UNKNOWN_CASE);
    expect(messageOf(await call('get', '/api/cases/not-a-case', agent, undefined, 400))).toMatch(/case id must be a UUID/);

    // Bad bodies.
    const badBodies: Array<[string, object, RegExp]> = [
      [replies, {}, /text must/],
      [replies, { text: '' }, /text must not be empty/],
      [replies, { text: '   ' }, /text must not be blank/],
      [replies, { text: 'x'.repeat(281) }, /at most 280/],
      [replies, { text: 'We are on it', kind: 'grovel' }, /kind must be one of/],
      [replies, { text: 'We are on it', sendAs: 'ceo' }, /sendAs/],
      [`/api/cases/${caseId}/fault`, { fault: 'the weather' }, /fault must be one of/],
      [`/api/cases/${caseId}/commitments`, { description: 'Call back', dueAt: 'soonish' }, /dueAt must be an ISO 8601/],
      [`/api/cases/${caseId}/hand-over`, { to: 'someone', reason: 'shift ends' }, /to must be a user id/],
    ];
    for (const [url, body, message] of badBodies) expect(messageOf(await call('post', url, agent, body, 400))).toMatch(message);

    // Wrong role: an executive reads cases but may not reply, set fault or resolve.
    for (const [url, body] of [
      [replies, { text: 'We are on it' }],
      [`/api/cases/${caseId}/fault`, { fault: 'customer' }],
      [`/api/cases/${caseId}/resolve`, {}],
    ] as const) {
      expect(messageOf(await call('post', url, team.executive.token, body, 403))).toMatch(/executive may not work on cases/);
    }

    // Illegal transition: the reopened case is open again, and only a resolved case closes.
    expect(messageOf(await call('post', `/api/cases/${caseId}/close`, agent, {}, 409))).toMatch(/cannot close a case that is reopened/i);

    // Nothing the refused requests asked for happened.
    expect(fakeX.replies).toHaveLength(2);
    expect(await detail()).toMatchObject({ status: 'reopened', fault: 'company', ownerId: team.agent.user.id });
  });
});
