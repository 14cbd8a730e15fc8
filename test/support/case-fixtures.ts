import { UsersRepository } from '../../src/users/users.repository';
import { HttpException } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { DataSource } from 'typeorm';
import { CaseDeadlinesService } from '../../src/cases/case-deadlines.service';
import { CaseWorkflowRepository } from '../../src/cases/case-workflow.repository';
import { CaseWorkflowService } from '../../src/cases/case-workflow.service';
import type { Clock } from '../../src/common/clock';
import type { AppConfig } from '../../src/config/app-config';
import type { Role } from '../../src/domain/users/access';
import { ConnectorError, type PostedReply, type PublicReplier, type ReplyTarget } from '../../src/sources/source-connector';
import type { AuthUser } from '../../src/users/auth-user';
import { incomingPost, ingestPipeline } from './factories';

/** A replier for the demo platform that records what it was asked to post and can be told to fail. */
export class FakeReplier implements PublicReplier {
  readonly platform = 'demo';
  readonly calls: Array<{ target: ReplyTarget; text: string; externalId: string }> = [];
  /** Thrown by every reply until cleared. */
  failWith: ConnectorError | null = null;
  private posted = 0;

  async reply(target: ReplyTarget, text: string): Promise<PostedReply> {
    await Promise.resolve();
    if (this.failWith) throw this.failWith;
    this.posted += 1;
    const externalId = `demo-reply-${this.posted}-${Math.random().toString(36).slice(2, 8)}`;
    this.calls.push({ target, text, externalId });
    return { externalId, url: `https://demo.example/replies/${externalId}` };
  }
}

/** The workflow service wired by hand with the real repository, as the module would. */
export function caseWorkflow(dataSource: DataSource, config: AppConfig, clock: Clock, repliers: PublicReplier[] = []) {
  const repository = new CaseWorkflowRepository(dataSource);
  const service = new CaseWorkflowService(config, repliers, dataSource, repository, new UsersRepository(dataSource), clock);
  return { repository, service };
}

/** One deadline sweeper on its own DataSource (one per simulated service instance). Its interval is never started. */
export function deadlineSweeper(dataSource: DataSource, config: AppConfig, clock: Clock): CaseDeadlinesService {
  return new CaseDeadlinesService(config, dataSource, new CaseWorkflowRepository(dataSource), new UsersRepository(dataSource), new SchedulerRegistry(), clock);
}

let userSequence = 0;

/** A user inserted with plain SQL, returned as the caller the workflow expects. */
export async function createUser(dataSource: DataSource, user: { role: Role; name?: string; onShift?: boolean; capacity?: number }): Promise<AuthUser> {
  userSequence += 1;
  const name = user.name ?? `${user.role} ${userSequence}`;
  const rows: Array<{ id: string }> = await dataSource.query(`INSERT INTO users (name, role, on_shift, capacity) VALUES ($1, $2, $3, $4) RETURNING id`, [
    name,
    user.role,
    user.onShift ?? true,
    user.capacity ?? 10,
  ]);
  return { id: rows[0].id, name, role: user.role };
}

export interface OpenedComplaint {
  caseId: string;
  number: number;
  postId: string;
  externalId: string;
  handle: string;
}

/**
 * A complaint posted now (by `clock`) and stored through the ingest pipeline, which opens the
 * customer's case, joins it or reopens it. Needs a `demo` source row.
 */
export async function postComplaint(
  dataSource: DataSource,
  config: AppConfig,
  clock: Clock,
  overrides: Parameters<typeof incomingPost>[0] = {},
): Promise<OpenedComplaint> {
  const post = incomingPost({ postedAt: clock.now(), ...overrides });
  const { ingest } = ingestPipeline(dataSource, config, clock);
  const result = await dataSource.transaction((manager) => ingest.storeBatch(manager, 'demo', [post]));
  if (result.complaints !== 1) throw new Error(`The fixture post was not triaged as a complaint: ${JSON.stringify(result)}`);
  const rows: Array<{ id: string; case_id: string; number: string }> = await dataSource.query(
    `SELECT p.id, p.case_id, c.number FROM posts p JOIN cases c ON c.id = p.case_id WHERE p.platform = 'demo' AND p.external_id = $1`,
    [post.externalId],
  );
  return { caseId: rows[0].case_id, number: Number(rows[0].number), postId: rows[0].id, externalId: post.externalId, handle: post.author.handle };
}

export interface StoredEvent {
  id: string;
  type: string;
  actor_id: string | null;
  data: Record<string, unknown>;
}

export async function eventsOf(dataSource: DataSource, caseId: string): Promise<StoredEvent[]> {
  return dataSource.query(`SELECT id, type, actor_id, data FROM case_events WHERE case_id = $1 ORDER BY id`, [caseId]);
}

export async function eventTypes(dataSource: DataSource, caseId: string): Promise<string[]> {
  return (await eventsOf(dataSource, caseId)).map((event) => event.type);
}

/** The case row as stored, for asserting on what a refused change left alone. */
export async function caseRow(dataSource: DataSource, caseId: string): Promise<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = await dataSource.query(`SELECT * FROM cases WHERE id = $1`, [caseId]);
  return rows[0];
}

/** Awaits `action` and returns the HTTP exception it threw; fails when it did not throw one. */
export async function httpError(action: Promise<unknown>): Promise<HttpException> {
  try {
    await action;
  } catch (error) {
    if (error instanceof HttpException) return error;
    throw error;
  }
  throw new Error('Expected an HTTP exception, but the call succeeded');
}

/** The message of an HTTP exception, whether its body is a string or an object with a message. */
export function messageOfResponse(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message);
}
