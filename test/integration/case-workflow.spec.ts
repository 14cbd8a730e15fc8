import { UsersRepository } from '../../src/users/users.repository';
import { BadGatewayException, ConflictException, ForbiddenException, HttpStatus, Logger, UnprocessableEntityException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { CaseDeadlinesService, SweepResult } from '../../src/cases/case-deadlines.service';
import { CaseWorkflowRepository, type CaseState } from '../../src/cases/case-workflow.repository';
import { CaseWorkflowService } from '../../src/cases/case-workflow.service';
import type { AppConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/database/data-source';
import { ConnectorError } from '../../src/sources/source-connector';
import type { AuthUser } from '../../src/users/auth-user';
import {
  caseRow,
  caseWorkflow,
  createUser,
  deadlineSweeper,
  eventsOf,
  eventTypes,
  FakeReplier,
  httpError,
  messageOfResponse,
  postComplaint,
  type OpenedComplaint,
} from '../support/case-fixtures';
import { FixedClock, testConfig } from '../support/factories';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Whole seconds, so times compare exactly after a round trip through timestamptz. */
function startOfTest(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

function later(time: Date, milliseconds: number): Date {
  return new Date(time.getTime() + milliseconds);
}

function fulfilled<T>(outcomes: PromiseSettledResult<T>[]): Array<PromiseFulfilledResult<T>> {
  return outcomes.filter((outcome): outcome is PromiseFulfilledResult<T> => outcome.status === 'fulfilled');
}

function rejected<T>(outcomes: PromiseSettledResult<T>[]): PromiseRejectedResult[] {
  return outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

async function lastEventId(dataSource: DataSource): Promise<number> {
  const rows: Array<{ last: string | null }> = await dataSource.query(`SELECT max(id) AS last FROM case_events`);
  return Number(rows[0].last ?? 0);
}

async function eventsAfter(dataSource: DataSource, id: number): Promise<Array<{ case_id: string; type: string; data: Record<string, unknown> }>> {
  return dataSource.query(`SELECT case_id, type, data FROM case_events WHERE id > $1 ORDER BY id`, [id]);
}

/** Serves a recorded (stale) state once, as if the case changed between the service's read and its write. */
class StaleReadRepository extends CaseWorkflowRepository {
  private readonly stale = new Map<string, CaseState>();

  serveOnce(state: CaseState): void {
    this.stale.set(state.id, state);
  }

  override async findState(id: string, manager?: EntityManager): Promise<CaseState | null> {
    const stale = manager ? undefined : this.stale.get(id);
    if (stale) {
      this.stale.delete(id);
      return stale;
    }
    return super.findState(id, manager);
  }
}

describe('case workflow on PostgreSQL', () => {
  // The sweep warns about every escalation; the assertions read them from the database instead.
  beforeAll(() => Logger.overrideLogger(['error']));

  describe('claims, guarded updates and replies', () => {
    let database: TestDatabase;
    let dataSource: DataSource;
    /** A second connection pool, as a second service instance would have. */
    let otherDataSource: DataSource;
    const config = testConfig();
    const clock = new FixedClock(startOfTest());
    const replier = new FakeReplier();
    let service: CaseWorkflowService;
    let otherService: CaseWorkflowService;
    let agent: AuthUser;
    let otherAgent: AuthUser;
    let thirdAgent: AuthUser;
    let supervisor: AuthUser;
    let executive: AuthUser;

    beforeAll(async () => {
      database = await createTestDatabase();
      dataSource = database.dataSource;
      otherDataSource = await openDatabase({ url: database.url, runMigrations: false, poolSize: 5 });
      await dataSource.query(`INSERT INTO sources (id, platform) VALUES ('demo', 'demo')`);
      service = caseWorkflow(dataSource, config, clock, [replier]).service;
      otherService = caseWorkflow(otherDataSource, config, clock, [replier]).service;
      agent = await createUser(dataSource, { role: 'agent', name: 'Ada Agent' });
      otherAgent = await createUser(dataSource, { role: 'agent', name: 'Ben Agent' });
      thirdAgent = await createUser(dataSource, { role: 'agent', name: 'Cai Agent' });
      supervisor = await createUser(dataSource, { role: 'supervisor', name: 'Sam Supervisor' });
      executive = await createUser(dataSource, { role: 'executive', name: 'Eve Executive' });
    });
    afterAll(async () => {
      await otherDataSource.destroy();
      await database.drop();
    });

    const complaint = (overrides: { handle?: string; text?: string } = {}): Promise<OpenedComplaint> => postComplaint(dataSource, config, clock, overrides);

    /** A case the agent owns, acknowledged and with the fault decided: nothing stands in the way of resolving it. */
    async function resolvableCase(owner: AuthUser, text: string): Promise<OpenedComplaint> {
      const opened = await complaint();
      await service.claim(owner, opened.caseId);
      await service.reply(owner, opened.caseId, { text });
      await service.setFault(owner, opened.caseId, { fault: 'customer', note: 'booked the wrong date' });
      return opened;
    }

    describe('repeat contact while a case is open (rule 8)', () => {
      it('counts a complaint after our reply as a repeat contact, but not one before it, nor the answer we waited for', async () => {
        const opened = await complaint();
        await complaint({ handle: opened.handle });
        expect(await caseRow(dataSource, opened.caseId)).toMatchObject({ status: 'new', contact_count: 1, post_count: 2 });

        await service.claim(agent, opened.caseId);
        await service.reply(agent, opened.caseId, { text: 'Hi, we are looking into this for you now.' });
        await complaint({ handle: opened.handle });
        expect(await caseRow(dataSource, opened.caseId)).toMatchObject({ status: 'acknowledged', contact_count: 2, post_count: 3 });

        await service.waitOnCustomer(agent, opened.caseId, 'asked for the booking reference');
        await complaint({ handle: opened.handle });
        expect(await caseRow(dataSource, opened.caseId)).toMatchObject({ status: 'acknowledged', contact_count: 2, post_count: 4 });
      });
    });

    describe('concurrent claims', () => {
      it('lets exactly one of two agents claim a new case at once; the other gets 409', async () => {
        for (let round = 0; round < 10; round += 1) {
          const opened = await complaint();
          // Each claim through its own instance's pool; who goes first alternates.
          const contenders: Array<[CaseWorkflowService, AuthUser]> = [
            [service, agent],
            [otherService, otherAgent],
          ];
          if (round % 2 === 1) contenders.reverse();
          const outcomes = await Promise.allSettled(contenders.map(([instance, user]) => instance.claim(user, opened.caseId)));

          expect(fulfilled(outcomes)).toHaveLength(1);
          expect(rejected(outcomes)).toHaveLength(1);
          const refusal: unknown = rejected(outcomes)[0].reason;
          expect(refusal).toBeInstanceOf(ConflictException);
          expect((refusal as ConflictException).getStatus()).toBe(HttpStatus.CONFLICT);

          const winner = contenders[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')][1];
          expect(fulfilled(outcomes)[0].value.ownerId).toBe(winner.id);
          const row = await caseRow(dataSource, opened.caseId);
          expect(row).toMatchObject({ owner_id: winner.id, status: 'assigned', assigned_at: clock.now() });

          const claims = (await eventsOf(dataSource, opened.caseId)).filter((event) => event.type === 'claimed');
          expect(claims).toHaveLength(1);
          expect(claims[0].actor_id).toBe(winner.id);
          expect(claims[0].data).toMatchObject({ ownerId: winner.id, ownerName: winner.name });
        }
      });

      it('treats a claim of a case one already owns as done, without a second event', async () => {
        const opened = await complaint();
        await service.claim(agent, opened.caseId);
        const again = await service.claim(agent, opened.caseId);
        expect(again.ownerId).toBe(agent.id);
        expect(await eventTypes(dataSource, opened.caseId)).toEqual(['opened', 'claimed']);
      });
    });

    describe('guarded updates', () => {
      it('refuses to resolve with 409 naming every unmet obligation, and changes nothing', async () => {
        const opened = await complaint();
        await service.claim(agent, opened.caseId);
        await service.addCommitment(agent, opened.caseId, { description: 'Call the customer once the bag is traced' });

        const before = await caseRow(dataSource, opened.caseId);
        const eventsBefore = await eventTypes(dataSource, opened.caseId);
        const refusal = await httpError(service.resolve(agent, opened.caseId));
        expect(refusal).toBeInstanceOf(ConflictException);
        const message = messageOfResponse(refusal);
        expect(message).toContain('no public acknowledgement has been posted');
        expect(message).toContain('fault is undecided');
        expect(message).toContain('1 promised follow-up is still open');
        expect(message).not.toContain('no apology');
        expect(await caseRow(dataSource, opened.caseId)).toEqual(before);
        expect(await eventTypes(dataSource, opened.caseId)).toEqual(eventsBefore);

        await service.setFault(agent, opened.caseId, { fault: 'company', note: 'we lost the bag' });
        const afterFault = await caseRow(dataSource, opened.caseId);
        const companyRefusal = await httpError(service.resolve(agent, opened.caseId));
        expect(companyRefusal).toBeInstanceOf(ConflictException);
        const companyMessage = messageOfResponse(companyRefusal);
        expect(companyMessage).toContain('no public acknowledgement has been posted');
        expect(companyMessage).toContain('the company was at fault and no apology has been posted');
        expect(companyMessage).toContain('1 promised follow-up is still open');
        expect(companyMessage).not.toContain('fault is undecided');
        expect(await caseRow(dataSource, opened.caseId)).toEqual(afterFault);
        expect(afterFault).toMatchObject({ status: 'assigned', resolved_at: null, fault: 'company', fault_note: 'we lost the bag' });
        expect(await eventTypes(dataSource, opened.caseId)).toEqual([...eventsBefore, 'fault_set']);
      });

      it('writes nothing when the state a resolve read no longer holds at its guarded update', async () => {
        const stale = new StaleReadRepository(dataSource);
        const staleService = new CaseWorkflowService(config, [replier], dataSource, stale, new UsersRepository(dataSource), clock);
        const opened = await resolvableCase(agent, 'Thanks for reaching out about your booking, we are checking the dates now.');
        const resolvable = await stale.findState(opened.caseId);
        expect(resolvable).toMatchObject({ status: 'acknowledged', fault: 'customer', openCommitments: 0 });

        // A promise made meanwhile: the stale read saw none, the guarded update must.
        const commitment = await service.addCommitment(agent, opened.caseId, { description: 'Send the corrected itinerary' });
        stale.serveOnce(resolvable as CaseState);
        const blockedByPromise = await httpError(staleService.resolve(agent, opened.caseId));
        expect(blockedByPromise).toBeInstanceOf(ConflictException);
        expect(messageOfResponse(blockedByPromise)).toContain('changed while this request was being handled');
        expect(await caseRow(dataSource, opened.caseId)).toMatchObject({ status: 'acknowledged', resolved_at: null });
        expect(await eventTypes(dataSource, opened.caseId)).not.toContain('resolved');

        // The status moved on meanwhile: the update expected "acknowledged" and must not match.
        await service.settleCommitment(agent, opened.caseId, commitment.id, 'cancelled', 'sent by email instead');
        await service.waitOnCustomer(agent, opened.caseId, 'asked for the booking reference');
        const versionBefore = (await caseRow(dataSource, opened.caseId)).version;
        stale.serveOnce(resolvable as CaseState);
        const blockedByStatus = await httpError(staleService.resolve(agent, opened.caseId));
        expect(blockedByStatus).toBeInstanceOf(ConflictException);
        expect(await caseRow(dataSource, opened.caseId)).toMatchObject({ status: 'waiting_on_customer', resolved_at: null, version: versionBefore });
        expect(await eventTypes(dataSource, opened.caseId)).not.toContain('resolved');

        // With a fresh read the same resolve goes through, once.
        clock.set(later(clock.now(), MINUTE));
        const resolved = await staleService.resolve(agent, opened.caseId, 'customer confirmed');
        expect(resolved.status).toBe('resolved');
        expect(await caseRow(dataSource, opened.caseId)).toMatchObject({ status: 'resolved', resolved_at: clock.now() });
        const resolvedEvents = (await eventsOf(dataSource, opened.caseId)).filter((event) => event.type === 'resolved');
        expect(resolvedEvents).toHaveLength(1);
        expect(resolvedEvents[0]).toMatchObject({ actor_id: agent.id, data: { fault: 'customer', note: 'customer confirmed' } });
      });

      it('resolves once when the owner and a supervisor resolve at the same moment', async () => {
        const opened = await resolvableCase(agent, 'Thank you for the details about your seat, the team has them now.');
        const outcomes = await Promise.allSettled([service.resolve(agent, opened.caseId), otherService.resolve(supervisor, opened.caseId)]);
        expect(fulfilled(outcomes)).toHaveLength(1);
        expect(rejected(outcomes)).toHaveLength(1);
        expect(rejected(outcomes)[0].reason).toBeInstanceOf(ConflictException);
        expect((await eventTypes(dataSource, opened.caseId)).filter((type) => type === 'resolved')).toHaveLength(1);
      });

      it('answers an illegal transition with 409 and writes no event', async () => {
        const opened = await complaint();
        await service.claim(agent, opened.caseId);
        const before = await caseRow(dataSource, opened.caseId);
        const eventsBefore = await eventTypes(dataSource, opened.caseId);

        const close = await httpError(service.close(agent, opened.caseId));
        expect(close).toBeInstanceOf(ConflictException);
        expect(messageOfResponse(close)).toMatch(/cannot close a case that is assigned/i);
        const wait = await httpError(service.waitOnCustomer(agent, opened.caseId));
        expect(wait).toBeInstanceOf(ConflictException);

        expect(await caseRow(dataSource, opened.caseId)).toEqual(before);
        expect(await eventTypes(dataSource, opened.caseId)).toEqual(eventsBefore);
      });

      it('hands over in one event naming the new owner and the reason; refuses executives and outsiders', async () => {
        const opened = await complaint();
        await service.claim(agent, opened.caseId);
        clock.set(later(clock.now(), MINUTE));

        const reason = 'Going off shift; Ben knows the baggage desk at LHR';
        const handed = await service.handOver(agent, opened.caseId, { to: otherAgent.id, reason });
        expect(handed.ownerId).toBe(otherAgent.id);
        expect(await caseRow(dataSource, opened.caseId)).toMatchObject({ owner_id: otherAgent.id, status: 'assigned', assigned_at: clock.now() });
        const handOvers = (await eventsOf(dataSource, opened.caseId)).filter((event) => event.type === 'handed_over');
        expect(handOvers).toHaveLength(1);
        expect(handOvers[0].actor_id).toBe(agent.id);
        expect(handOvers[0].data).toMatchObject({ from: agent.id, to: otherAgent.id, toName: otherAgent.name, reason });

        const before = await caseRow(dataSource, opened.caseId);
        const eventsBefore = await eventTypes(dataSource, opened.caseId);

        const toExecutive = await httpError(service.handOver(otherAgent, opened.caseId, { to: executive.id, reason: 'for the board' }));
        expect(toExecutive).toBeInstanceOf(UnprocessableEntityException);
        expect(toExecutive.getStatus()).toBe(HttpStatus.UNPROCESSABLE_ENTITY);
        expect(messageOfResponse(toExecutive)).toContain('executive');

        // The previous owner no longer owns it and is no supervisor.
        const byOutsider = await httpError(service.handOver(agent, opened.caseId, { to: thirdAgent.id, reason: 'taking it back' }));
        expect(byOutsider).toBeInstanceOf(ForbiddenException);
        expect(byOutsider.getStatus()).toBe(HttpStatus.FORBIDDEN);
        const byExecutive = await httpError(service.handOver(executive, opened.caseId, { to: thirdAgent.id, reason: 'reshuffle' }));
        expect(byExecutive).toBeInstanceOf(ForbiddenException);

        expect(await caseRow(dataSource, opened.caseId)).toEqual(before);
        expect(await eventTypes(dataSource, opened.caseId)).toEqual(eventsBefore);

        // A supervisor may hand over anyone's case.
        await service.handOver(supervisor, opened.caseId, { to: thirdAgent.id, reason: 'Ben is overloaded' });
        const last = (await eventsOf(dataSource, opened.caseId)).at(-1);
        expect(last).toMatchObject({
          type: 'handed_over',
          actor_id: supervisor.id,
          data: { from: otherAgent.id, to: thirdAgent.id, reason: 'Ben is overloaded' },
        });
        expect((await caseRow(dataSource, opened.caseId)).owner_id).toBe(thirdAgent.id);
      });
    });

    describe('replies', () => {
      const acknowledgement = 'Thanks for telling us about your bag, Dana. Our baggage team has your flight details now.';

      interface StoredReply {
        id: string;
        case_id: string;
        author_user_id: string;
        in_reply_to_post_id: string;
        kind: string;
        text: string;
        state: string;
        external_id: string | null;
        error: string | null;
        is_apology: boolean;
        repeat_of: string | null;
        repeat_similarity: number | null;
        posted_at: Date | null;
      }

      const repliesOf = (caseId: string): Promise<StoredReply[]> =>
        dataSource.query(`SELECT * FROM case_replies WHERE case_id = $1 ORDER BY created_at, id`, [caseId]);

      /** A customer who wrote twice (one case), claimed by the agent. */
      async function caseWithTwoPosts(): Promise<{ caseId: string; handle: string; newest: OpenedComplaint }> {
        const first = await complaint({ text: '@HalcyonAir my bag did not arrive on HA310 and nobody answers the phone. Unacceptable.' });
        clock.set(later(clock.now(), 2 * MINUTE));
        const newest = await complaint({ handle: first.handle, text: '@HalcyonAir still no bag, still no answer. This is terrible.' });
        expect(newest.caseId).toBe(first.caseId);
        await service.claim(agent, first.caseId);
        clock.set(later(clock.now(), MINUTE));
        return { caseId: first.caseId, handle: first.handle, newest };
      }

      it("posts in public to the customer's newest post, records the external id, and the first reply acknowledges", async () => {
        const { caseId, handle, newest } = await caseWithTwoPosts();
        const callsBefore = replier.calls.length;
        const mark = await lastEventId(dataSource);
        const outcome = await service.reply(agent, caseId, { text: `  ${acknowledgement}  ` });

        expect(replier.calls.slice(callsBefore)).toEqual([
          { target: { externalId: newest.externalId, authorHandle: handle }, text: acknowledgement, externalId: expect.any(String) },
        ]);
        const postedId = replier.calls[callsBefore].externalId;
        expect(outcome).toMatchObject({ acknowledged: true, commitment: null, apology: { apology: false } });
        const replies = await repliesOf(caseId);
        expect(replies).toHaveLength(1);
        expect(replies[0]).toMatchObject({
          author_user_id: agent.id,
          in_reply_to_post_id: newest.postId,
          kind: 'acknowledgement',
          text: acknowledgement,
          state: 'posted',
          external_id: postedId,
          error: null,
          is_apology: false,
          posted_at: clock.now(),
        });
        expect(await caseRow(dataSource, caseId)).toMatchObject({ status: 'acknowledged', acknowledged_at: clock.now(), apologised_at: null });
        const added = await eventsAfter(dataSource, mark);
        expect(added.map((event) => event.type)).toEqual(['reply_posted', 'acknowledged']);
        expect(added[0].data).toMatchObject({ externalId: postedId, kind: 'acknowledgement', text: acknowledgement });
      });

      it('sets apologised_at for a real apology, and turns a promise into a commitment due when it says', async () => {
        const { caseId } = await caseWithTwoPosts();
        await service.reply(agent, caseId, { text: acknowledgement });
        const acknowledgedAt = clock.now();

        // A non-apology meets nothing.
        clock.set(later(clock.now(), MINUTE));
        let mark = await lastEventId(dataSource);
        const hedge = await service.reply(agent, caseId, { text: 'We regret any inconvenience you may have experienced.' });
        expect(hedge.apology.apology).toBe(false);
        expect(await caseRow(dataSource, caseId)).toMatchObject({ apologised_at: null });
        expect((await eventsAfter(dataSource, mark)).map((event) => event.type)).toEqual(['reply_posted']);

        clock.set(later(clock.now(), MINUTE));
        mark = await lastEventId(dataSource);
        const apology = await service.reply(agent, caseId, { text: "We're so sorry we lost your bag, that's on us." });
        expect(apology).toMatchObject({ acknowledged: false, apology: { apology: true } });
        expect(await caseRow(dataSource, caseId)).toMatchObject({ status: 'acknowledged', acknowledged_at: acknowledgedAt, apologised_at: clock.now() });
        expect((await repliesOf(caseId)).at(-1)).toMatchObject({ kind: 'apology', is_apology: true, state: 'posted' });
        expect((await eventsAfter(dataSource, mark)).map((event) => event.type)).toEqual(['reply_posted', 'apologised']);

        clock.set(later(clock.now(), MINUTE));
        mark = await lastEventId(dataSource);
        const promise = await service.reply(agent, caseId, { text: "I'll check with the airport and get back to you within 2 hours." });
        expect(promise.commitment).not.toBeNull();
        const commitments = await dataSource.query(`SELECT * FROM case_commitments WHERE case_id = $1`, [caseId]);
        expect(commitments).toHaveLength(1);
        expect(commitments[0]).toMatchObject({ state: 'open', due_at: later(clock.now(), 2 * HOUR), due_parsed: true, created_by: agent.id });
        const added = await eventsAfter(dataSource, mark);
        expect(added.map((event) => event.type)).toEqual(['reply_posted', 'commitment_created']);
        expect(added[1].data).toMatchObject({ commitmentId: commitments[0].id });
        // An open promise blocks resolution.
        await service.setFault(agent, caseId, { fault: 'company' });
        expect(messageOfResponse(await httpError(service.resolve(agent, caseId)))).toContain('1 promised follow-up is still open');
      });

      it('links the returned reply, its events and its commitment to the stored reply', async () => {
        const { caseId } = await caseWithTwoPosts();
        const outcome = await service.reply(agent, caseId, {
          text: "Thanks for your patience. I'll check with the airport and get back to you within 2 hours.",
        });
        const [stored] = await repliesOf(caseId);
        expect(stored).toMatchObject({ state: 'posted', external_id: expect.any(String) });
        const events = await eventsOf(dataSource, caseId);
        expect(['reply_posted', 'acknowledged', 'commitment_created'].map((type) => [type, events.find((event) => event.type === type)?.data.replyId])).toEqual(
          [
            ['reply_posted', stored.id],
            ['acknowledged', stored.id],
            ['commitment_created', stored.id],
          ],
        );
        const [commitment] = await dataSource.query(`SELECT reply_id FROM case_commitments WHERE case_id = $1`, [caseId]);
        expect(commitment.reply_id).toBe(stored.id);
        expect(outcome.reply).toMatchObject({ id: stored.id, state: 'posted', externalId: stored.external_id, kind: stored.kind, text: stored.text });
        expect(outcome.commitment).toMatchObject({ replyId: stored.id });
      });

      it('refuses a near-repeat with 409 until the caller confirms it', async () => {
        const opened = await complaint();
        await service.claim(agent, opened.caseId);
        await service.reply(agent, opened.caseId, { text: acknowledgement });
        const [first] = await repliesOf(opened.caseId);

        const callsBefore = replier.calls.length;
        const mark = await lastEventId(dataSource);
        const repeatText = 'Thanks for telling us about your bag, Dana! Our baggage team has your flight details now';
        const refusal = await httpError(service.reply(agent, opened.caseId, { text: repeatText }));
        expect(refusal).toBeInstanceOf(ConflictException);
        const body = refusal.getResponse() as { message: string; repeatOf: string; similarity: number };
        expect(body.repeatOf).toBe(first.id);
        expect(body.similarity).toBeGreaterThanOrEqual(config.cases.repeatReplySimilarity);
        expect(body.similarity).toBeLessThanOrEqual(1);
        expect(body.message).toContain('confirmRepeat');
        expect(replier.calls).toHaveLength(callsBefore);
        expect(await eventsAfter(dataSource, mark)).toEqual([]);
        expect(await repliesOf(opened.caseId)).toHaveLength(1);

        await service.reply(agent, opened.caseId, { text: repeatText, confirmRepeat: true });
        expect(replier.calls).toHaveLength(callsBefore + 1);
        const replies = await repliesOf(opened.caseId);
        expect(replies).toHaveLength(2);
        expect(replies[1]).toMatchObject({ state: 'posted', text: repeatText, repeat_of: first.id });
        expect(replies[1].repeat_similarity).toBeCloseTo(body.similarity, 3);
        expect((await eventsAfter(dataSource, mark)).map((event) => event.type)).toEqual(['reply_posted']);
      });

      it('records a reply the platform refused as failed, with 502 or 429, and does not acknowledge', async () => {
        const opened = await complaint();
        await service.claim(agent, opened.caseId);
        const text = 'Hello, we have your message about the lost bag and are tracing it.';

        let mark = await lastEventId(dataSource);
        replier.failWith = new ConnectorError('unavailable', 'demo answered 503 Service Unavailable');
        const unavailable = await httpError(service.reply(agent, opened.caseId, { text }));
        expect(unavailable).toBeInstanceOf(BadGatewayException);
        expect(unavailable.getStatus()).toBe(HttpStatus.BAD_GATEWAY);
        let replies = await repliesOf(opened.caseId);
        expect(replies).toHaveLength(1);
        expect(replies[0]).toMatchObject({ state: 'failed', error: 'demo answered 503 Service Unavailable', external_id: null, posted_at: null });
        let added = await eventsAfter(dataSource, mark);
        expect(added.map((event) => event.type)).toEqual(['reply_failed']);
        expect(added[0].data).toMatchObject({ replyId: replies[0].id, error: 'demo answered 503 Service Unavailable' });
        expect(await caseRow(dataSource, opened.caseId)).toMatchObject({ status: 'assigned', acknowledged_at: null });

        mark = await lastEventId(dataSource);
        const retryAt = later(clock.now(), 15 * MINUTE);
        replier.failWith = new ConnectorError('rate_limited', 'demo answered 429', retryAt);
        const limited = await httpError(service.reply(agent, opened.caseId, { text }));
        expect(limited.getStatus()).toBe(HttpStatus.TOO_MANY_REQUESTS);
        expect(messageOfResponse(limited)).toContain(retryAt.toISOString());
        replies = await repliesOf(opened.caseId);
        expect(replies.map((reply) => reply.state)).toEqual(['failed', 'failed']);
        added = await eventsAfter(dataSource, mark);
        expect(added.map((event) => event.type)).toEqual(['reply_failed']);
        expect(await caseRow(dataSource, opened.caseId)).toMatchObject({ status: 'assigned', acknowledged_at: null });

        // Failed replies were never public: the same text goes out without a repeat warning, and acknowledges.
        replier.failWith = null;
        const posted = await service.reply(agent, opened.caseId, { text });
        expect(posted.acknowledged).toBe(true);
        replies = await repliesOf(opened.caseId);
        expect(replies.map((reply) => [reply.state, reply.repeat_of])).toEqual([
          ['failed', null],
          ['failed', null],
          ['posted', null],
        ]);
        expect(await caseRow(dataSource, opened.caseId)).toMatchObject({ status: 'acknowledged', acknowledged_at: clock.now() });
      });
    });

    describe('commitments', () => {
      it('settles a promise once: a second settle answers 409 and writes no second event', async () => {
        const opened = await complaint();
        await service.claim(agent, opened.caseId);
        const commitment = await service.addCommitment(agent, opened.caseId, { description: 'Send the voucher code' });
        expect(commitment).toMatchObject({ state: 'open', dueParsed: false, dueAt: later(clock.now(), config.cases.commitmentDefaultHours * HOUR) });

        clock.set(later(clock.now(), MINUTE));
        const kept = await service.settleCommitment(agent, opened.caseId, commitment.id, 'kept', 'sent');
        const again = await Promise.allSettled([service.settleCommitment(agent, opened.caseId, commitment.id, 'cancelled', 'changed my mind')]);

        const [row] = await dataSource.query(`SELECT state, kept_at FROM case_commitments WHERE id = $1`, [commitment.id]);
        expect(row).toEqual({ state: 'kept', kept_at: clock.now() });
        const settled = (await eventTypes(dataSource, opened.caseId)).filter((type) => type === 'commitment_kept' || type === 'commitment_cancelled');
        expect(settled).toEqual(['commitment_kept']);
        expect(again[0].status).toBe('rejected');
        expect((again[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictException);
        expect(kept).toMatchObject({ id: commitment.id, state: 'kept', keptAt: clock.now() });
      });
    });
  });

  describe('the deadline sweep with two sweepers', () => {
    let database: TestDatabase;
    let dataSource: DataSource;
    let otherDataSource: DataSource;
    const config = testConfig();
    const start = startOfTest();
    const clock = new FixedClock(start);
    const replier = new FakeReplier();
    let sweepers: CaseDeadlinesService[];
    let service: CaseWorkflowService;
    let agent: AuthUser;
    let supervisor: AuthUser;

    beforeAll(async () => {
      database = await createTestDatabase();
      dataSource = database.dataSource;
      otherDataSource = await openDatabase({ url: database.url, runMigrations: false, poolSize: 5 });
      await dataSource.query(`INSERT INTO sources (id, platform) VALUES ('demo', 'demo')`);
      service = caseWorkflow(dataSource, config, clock, [replier]).service;
      sweepers = [deadlineSweeper(dataSource, config, clock), deadlineSweeper(otherDataSource, config, clock)];
      // Off shift: nobody is auto-assigned here; this part is about escalations.
      agent = await createUser(dataSource, { role: 'agent', onShift: false });
      supervisor = await createUser(dataSource, { role: 'supervisor', onShift: true, capacity: 0 });
    });
    afterAll(async () => {
      await otherDataSource.destroy();
      await database.drop();
    });

    async function sweepTogether(rounds: number): Promise<SweepResult[]> {
      const results: SweepResult[] = [];
      for (let round = 0; round < rounds; round += 1) results.push(...(await Promise.all(sweepers.map((sweeper) => sweeper.sweep()))));
      return results;
    }

    it('escalates each missed acknowledgement and each overdue promise exactly once', async () => {
      const cases: OpenedComplaint[] = [];
      for (let index = 0; index < 30; index += 1) cases.push(await postComplaint(dataSource, config, clock));
      const acknowledged = cases.slice(0, 4);
      const promised = cases.slice(4, 10);
      const promisedLater = cases.slice(10, 12);

      clock.set(later(start, MINUTE));
      for (const opened of [...acknowledged, ...promised, ...promisedLater]) await service.claim(agent, opened.caseId);
      for (const opened of acknowledged) await service.reply(agent, opened.caseId, { text: 'Thanks for letting us know, we are looking at your booking.' });
      const due: Array<{ caseId: string; commitmentId: string }> = [];
      for (const opened of promised) {
        const commitment = await service.addCommitment(agent, opened.caseId, { description: 'Call back', dueAt: later(start, HOUR) });
        due.push({ caseId: opened.caseId, commitmentId: commitment.id });
      }
      // Two promises on one case: each escalates on its own.
      const second = await service.addCommitment(agent, promised[0].caseId, { description: 'Send the voucher', dueAt: later(start, 2 * HOUR) });
      due.push({ caseId: promised[0].caseId, commitmentId: second.id });
      const notYetDue: string[] = [];
      for (const opened of promisedLater)
        notYetDue.push((await service.addCommitment(agent, opened.caseId, { description: 'Follow up', dueAt: later(start, 30 * DAY) })).id);

      // Past every acknowledgement deadline (P4 is a day) and the promises' due times.
      const sweepTime = later(start, 3 * DAY);
      clock.set(sweepTime);
      const mark = await lastEventId(dataSource);
      const results = await sweepTogether(3);

      const breached = cases.filter((opened) => !acknowledged.includes(opened)).map((opened) => opened.caseId);
      const reportedBreaches = results.flatMap((result) => result.acknowledgementsBreached.map((breach) => breach.caseId));
      expect([...reportedBreaches].sort()).toEqual([...breached].sort());
      const reportedOverdue = results.flatMap((result) => result.commitmentsOverdue.map((overdue) => overdue.commitmentId));
      expect([...reportedOverdue].sort()).toEqual(due.map((item) => item.commitmentId).sort());

      const added = await eventsAfter(dataSource, mark);
      const breachesByCase = countBy(
        added.filter((event) => event.type === 'acknowledgement_breached'),
        (event) => event.case_id,
      );
      expect([...breachesByCase.keys()].sort()).toEqual([...breached].sort());
      expect([...breachesByCase.values()].every((count) => count === 1)).toBe(true);

      const overdueByCommitment = countBy(
        added.filter((event) => event.type === 'commitment_overdue'),
        (event) => String(event.data.commitmentId),
      );
      expect([...overdueByCommitment.keys()].sort()).toEqual(due.map((item) => item.commitmentId).sort());
      expect([...overdueByCommitment.values()].every((count) => count === 1)).toBe(true);

      // One escalation per breach and one per overdue promise, on the right case, to the supervisor.
      const escalations = added.filter((event) => event.type === 'escalated');
      for (const opened of cases) {
        const expected = (breached.includes(opened.caseId) ? 1 : 0) + due.filter((item) => item.caseId === opened.caseId).length;
        expect(escalations.filter((event) => event.case_id === opened.caseId)).toHaveLength(expected);
      }
      const promiseEscalations = countBy(
        escalations.filter((event) => event.data.commitmentId !== undefined),
        (event) => String(event.data.commitmentId),
      );
      expect([...promiseEscalations.keys()].sort()).toEqual(due.map((item) => item.commitmentId).sort());
      expect([...promiseEscalations.values()].every((count) => count === 1)).toBe(true);
      expect(escalations.every((event) => event.data.supervisorId === supervisor.id)).toBe(true);
      expect(added.filter((event) => !['acknowledgement_breached', 'commitment_overdue', 'escalated'].includes(event.type))).toEqual([]);

      const rows: Array<{ id: string; acknowledgement_breached_at: Date | null; escalated_at: Date | null }> = await dataSource.query(
        `SELECT id, acknowledgement_breached_at, escalated_at FROM cases`,
      );
      for (const row of rows) {
        expect(row.acknowledgement_breached_at).toEqual(breached.includes(row.id) ? sweepTime : null);
        if (breached.includes(row.id)) expect(row.escalated_at).toEqual(sweepTime);
      }
      const commitments: Array<{ id: string; state: string; escalated_at: Date | null }> = await dataSource.query(
        `SELECT id, state, escalated_at FROM case_commitments`,
      );
      for (const commitment of commitments) {
        if (notYetDue.includes(commitment.id)) expect(commitment).toMatchObject({ state: 'open', escalated_at: null });
        else expect(commitment).toMatchObject({ state: 'overdue', escalated_at: sweepTime });
      }

      // A later sweep finds nothing new.
      clock.set(later(sweepTime, HOUR));
      const quiet = await lastEventId(dataSource);
      const again = await sweepTogether(2);
      expect(again.every((result) => result.acknowledgementsBreached.length === 0 && result.commitmentsOverdue.length === 0)).toBe(true);
      expect(await eventsAfter(dataSource, quiet)).toEqual([]);
    });

    it('lets a reopened case breach again, once', async () => {
      clock.set(later(start, 4 * DAY));
      const opened = await postComplaint(dataSource, config, clock, { text: '@HalcyonAir my refund never arrived, nobody answers. Unacceptable.' });
      clock.set(later(clock.now(), 3 * DAY));
      await sweepTogether(1);
      expect(await eventTypes(dataSource, opened.caseId)).toEqual(['opened', 'acknowledgement_breached', 'escalated']);

      // Acknowledged late, settled and resolved; then the customer writes again.
      await service.claim(agent, opened.caseId);
      await service.reply(agent, opened.caseId, { text: 'Thanks for your message about the refund, we are checking it now.' });
      await service.setFault(agent, opened.caseId, { fault: 'third_party', note: 'the bank held it' });
      await service.resolve(agent, opened.caseId);
      clock.set(later(clock.now(), HOUR));
      const again = await postComplaint(dataSource, config, clock, {
        handle: opened.handle,
        text: '@HalcyonAir the refund bounced back. Still waiting. Terrible.',
      });
      expect(again.caseId).toBe(opened.caseId);
      expect(await caseRow(dataSource, opened.caseId)).toMatchObject({ status: 'reopened', acknowledged_at: null, acknowledgement_breached_at: null });

      clock.set(later(clock.now(), 3 * DAY));
      const mark = await lastEventId(dataSource);
      const results = await sweepTogether(3);
      expect(results.flatMap((result) => result.acknowledgementsBreached.map((breach) => breach.caseId))).toEqual([opened.caseId]);
      const added = await eventsAfter(dataSource, mark);
      expect(added.map((event) => [event.case_id, event.type])).toEqual([
        [opened.caseId, 'acknowledgement_breached'],
        [opened.caseId, 'escalated'],
      ]);
      expect((await eventTypes(dataSource, opened.caseId)).filter((type) => type === 'acknowledgement_breached')).toHaveLength(2);
    });
  });

  describe('auto-assignment', () => {
    const start = startOfTest();
    const base = testConfig();
    const config: AppConfig = { ...base, cases: { ...base.cases, autoAssignAfterMinutes: 5 } };
    let database: TestDatabase;
    let dataSource: DataSource;
    let otherDataSource: DataSource;

    beforeEach(async () => {
      database = await createTestDatabase();
      dataSource = database.dataSource;
      otherDataSource = await openDatabase({ url: database.url, runMigrations: false, poolSize: 5 });
      await dataSource.query(`INSERT INTO sources (id, platform) VALUES ('demo', 'demo')`);
    });
    afterEach(async () => {
      await otherDataSource.destroy();
      await database.drop();
    });

    async function openCases(clock: FixedClock, count: number): Promise<string[]> {
      const ids: string[] = [];
      for (let index = 0; index < count; index += 1) ids.push((await postComplaint(dataSource, config, clock)).caseId);
      return ids;
    }

    async function owners(): Promise<Map<string, number>> {
      const rows: Array<{ owner_id: string; count: number }> = await dataSource.query(
        `SELECT owner_id, count(*)::int AS count FROM cases WHERE owner_id IS NOT NULL AND status NOT IN ('resolved', 'closed') GROUP BY owner_id`,
      );
      return new Map(rows.map((row) => [row.owner_id, row.count]));
    }

    async function assignedEvents(): Promise<Array<{ case_id: string; actor_id: string | null; data: Record<string, unknown> }>> {
      return dataSource.query(`SELECT case_id, actor_id, data FROM case_events WHERE type = 'assigned' ORDER BY id`);
    }

    it('gives old unowned cases to the least-loaded agent on shift within capacity, then supervisors; young cases wait', async () => {
      const clock = new FixedClock(start);
      const { service } = caseWorkflow(dataSource, config, clock);
      const roomy = await createUser(dataSource, { role: 'agent', onShift: true, capacity: 3 });
      const busy = await createUser(dataSource, { role: 'agent', onShift: true, capacity: 4 });
      const offShift = await createUser(dataSource, { role: 'agent', onShift: false, capacity: 50 });
      const supervisor = await createUser(dataSource, { role: 'supervisor', onShift: true, capacity: 2 });
      const executive = await createUser(dataSource, { role: 'executive', onShift: true, capacity: 50 });

      for (const caseId of await openCases(clock, 2)) await service.claim(busy, caseId);
      const old = await openCases(clock, 9);
      clock.set(later(start, 4 * MINUTE));
      const young = await openCases(clock, 2);

      // Six minutes on: the old cases are past the five-minute grace, the young ones are not; no deadline has passed yet.
      clock.set(later(start, 6 * MINUTE));
      const sweepers = [deadlineSweeper(dataSource, config, clock), deadlineSweeper(otherDataSource, config, clock)];
      const results: SweepResult[] = [];
      for (let round = 0; round < 3; round += 1) results.push(...(await Promise.all(sweepers.map((sweeper) => sweeper.sweep()))));

      const events = await assignedEvents();
      expect(countBy(events, (event) => event.case_id).size).toBe(events.length);
      expect(events).toHaveLength(7);
      const reported = results.flatMap((result) => result.assigned);
      expect(reported).toHaveLength(7);
      expect(results.every((result) => result.acknowledgementsBreached.length === 0)).toBe(true);

      // The least loaded first: the agent with nothing, not the one already holding two.
      expect(events[0].data.ownerId).toBe(roomy.id);
      const load = await owners();
      expect(load.get(roomy.id)).toBe(3);
      expect(load.get(busy.id)).toBe(4);
      expect(load.get(supervisor.id)).toBe(2);
      expect(load.get(offShift.id)).toBeUndefined();
      expect(load.get(executive.id)).toBeUndefined();
      // The supervisor took cases only once both agents were full.
      const firstToSupervisor = events.findIndex((event) => event.data.ownerId === supervisor.id);
      expect(firstToSupervisor).toBe(5);
      expect(events.slice(0, 5).every((event) => event.data.ownerId === roomy.id || event.data.ownerId === busy.id)).toBe(true);

      for (const event of events) {
        expect(event.actor_id).toBeNull();
        expect(old).toContain(event.case_id);
        expect(await caseRow(dataSource, event.case_id)).toMatchObject({ owner_id: event.data.ownerId, status: 'assigned', assigned_at: clock.now() });
      }
      for (const caseId of young) expect(await caseRow(dataSource, caseId)).toMatchObject({ owner_id: null, status: 'new' });
      const unowned: Array<{ id: string }> = await dataSource.query(`SELECT id FROM cases WHERE owner_id IS NULL`);
      expect(unowned).toHaveLength(4);

      // Everyone on shift is full: the young cases, now old, still wait, until someone comes on shift.
      clock.set(later(start, 10 * MINUTE));
      await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));
      expect(await assignedEvents()).toHaveLength(7);
      await dataSource.query(`UPDATE users SET on_shift = true WHERE id = $1`, [offShift.id]);
      await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));
      const after = await assignedEvents();
      expect(after).toHaveLength(11);
      expect(after.slice(7).every((event) => event.data.ownerId === offShift.id)).toBe(true);
      expect(await dataSource.query(`SELECT id FROM cases WHERE owner_id IS NULL`)).toEqual([]);
    });

    it('balances load relative to capacity and never exceeds it, with two sweepers at once', async () => {
      const clock = new FixedClock(start);
      const { service } = caseWorkflow(dataSource, config, clock);
      const agents = [
        await createUser(dataSource, { role: 'agent', onShift: true, capacity: 10 }),
        await createUser(dataSource, { role: 'agent', onShift: true, capacity: 10 }),
        await createUser(dataSource, { role: 'agent', onShift: true, capacity: 4 }),
      ];
      // Loads 3/10, 1/10 and 0/4 before the sweep.
      for (const caseId of await openCases(clock, 3)) await service.claim(agents[0], caseId);
      await service.claim(agents[1], (await openCases(clock, 1))[0]);
      await openCases(clock, 8);

      clock.set(later(start, 6 * MINUTE));
      const sweepers = [deadlineSweeper(dataSource, config, clock), deadlineSweeper(otherDataSource, config, clock)];
      for (let round = 0; round < 3; round += 1) await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));

      const events = await assignedEvents();
      expect(events).toHaveLength(8);
      expect(countBy(events, (event) => event.case_id).size).toBe(8);
      // Each case goes to whoever is least loaded for their capacity: 5/10, 5/10 and 2/4 at the end.
      const load = await owners();
      expect(agents.map((agent) => load.get(agent.id))).toEqual([5, 5, 2]);

      // More cases than room: everyone fills to capacity and the rest wait.
      await openCases(clock, 20);
      clock.set(later(start, 12 * MINUTE));
      for (let round = 0; round < 3; round += 1) await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));
      const full = await owners();
      expect(agents.map((agent) => full.get(agent.id))).toEqual([10, 10, 4]);
      const all = await assignedEvents();
      expect(countBy(all, (event) => event.case_id).size).toBe(all.length);
      expect(all).toHaveLength(20);
      expect(await dataSource.query(`SELECT id FROM cases WHERE owner_id IS NULL`)).toHaveLength(8);
    });

    it('assigns and escalates in the same sweeps of two instances without either failing', async () => {
      const clock = new FixedClock(start);
      const agents = [
        await createUser(dataSource, { role: 'agent', onShift: true, capacity: 500 }),
        await createUser(dataSource, { role: 'agent', onShift: true, capacity: 500 }),
      ];
      await createUser(dataSource, { role: 'supervisor', onShift: true, capacity: 0 });
      const sweepers = [deadlineSweeper(dataSource, config, clock), deadlineSweeper(otherDataSource, config, clock)];
      const outcomes: Array<PromiseSettledResult<SweepResult>> = [];
      const opened: string[] = [];
      for (let round = 0; round < 5; round += 1) {
        // Safety complaints (P1) between ordinary ones: the assignment order (priority first) is not the table's order.
        for (let index = 0; index < 30; index += 1) {
          const text = index % 2 === 0 ? undefined : '@HalcyonAir smoke in the cabin on HA310 and the crew ignored us. Unsafe and unacceptable.';
          opened.push((await postComplaint(dataSource, config, clock, text ? { text } : {})).caseId);
        }
        clock.set(later(clock.now(), 3 * DAY));
        outcomes.push(...(await Promise.allSettled(sweepers.map((sweeper) => sweeper.sweep()))));
      }
      // Whatever failed is caught up by one more sweep: exactly once still holds; the failures themselves are the problem.
      await sweepers[0].sweep();
      const priorities: Array<{ priority: number }> = await dataSource.query(`SELECT DISTINCT priority FROM cases`);
      expect(priorities.length).toBeGreaterThan(1);
      const events: Array<{ case_id: string; type: string }> = await dataSource.query(`SELECT case_id, type FROM case_events WHERE type <> 'opened'`);
      for (const type of ['assigned', 'acknowledgement_breached', 'escalated']) {
        const perCase = countBy(
          events.filter((event) => event.type === type),
          (event) => event.case_id,
        );
        expect([...perCase.keys()].sort()).toEqual([...opened].sort());
        expect([...perCase.values()].every((count) => count === 1)).toBe(true);
      }
      const load = await owners();
      expect((load.get(agents[0].id) ?? 0) + (load.get(agents[1].id) ?? 0)).toBe(opened.length);
      expect(rejected(outcomes).map((outcome) => String(outcome.reason))).toEqual([]);
    });
  });
});
