import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../common/pagination';
import type { Platform } from '../domain/brands/brand';
import type { RetryDecision } from '../domain/sources/poll-policy';
import type { SourceConnector, SourceCursor } from './source-connector';

export const SOURCE_STATES = ['ok', 'rate_limited', 'failing', 'quiet'] as const;
export type SourceState = (typeof SOURCE_STATES)[number];

export const SOURCE_EVENT_TYPES = ['failing', 'recovered', 'quiet', 'resumed', 'rate_limited'] as const;
export type SourceEventType = (typeof SOURCE_EVENT_TYPES)[number];

export interface SourceRegistration {
  id: string;
  platform: Platform;
  description: string;
  rateLimitGroup: string | null;
  quietAfterMinutes: number;
}

/** How a connector is recorded, with the configured quiet period. */
export function registrationOf(connector: SourceConnector, defaultQuietMinutes: number): SourceRegistration {
  return {
    id: connector.id,
    platform: connector.platform,
    description: connector.description,
    rateLimitGroup: connector.rateLimitGroup ?? null,
    quietAfterMinutes: defaultQuietMinutes,
  };
}

export interface SourceRecord {
  id: string;
  platform: Platform;
  description: string;
  enabled: boolean;
  state: SourceState;
  cursor: SourceCursor | null;
  nextPollAt: Date;
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  /** When a poll last brought at least one new post. */
  lastNewPostsAt: Date | null;
  /** The newest post time seen on this source. */
  lastPostAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
  consecutiveFailures: number;
  /** Since when polls have been failing (null while they succeed). */
  failingSince: Date | null;
  /** While rate limited: nothing is sent to the platform before this time. */
  rateLimitedUntil: Date | null;
  rateLimitGroup: string | null;
  quietAfterMinutes: number;
  postsStored: number;
  postsLastHour: number;
}

export interface SourceEvent {
  id: string;
  sourceId: string;
  type: SourceEventType;
  detail: string;
  at: Date;
}

interface SourceRow {
  id: string;
  platform: Platform;
  description: string;
  enabled: boolean;
  state: SourceState;
  cursor: SourceCursor | null;
  next_poll_at: Date;
  last_polled_at: Date | null;
  last_success_at: Date | null;
  last_new_posts_at: Date | null;
  last_post_at: Date | null;
  last_error_at: Date | null;
  last_error: string | null;
  consecutive_failures: number;
  failing_since: Date | null;
  rate_limited_until: Date | null;
  rate_limit_group: string | null;
  quiet_after_minutes: number;
  posts_stored: string;
  posts_last_hour: string;
}

interface SourceEventRow {
  id: string;
  source_id: string;
  type: SourceEventType;
  detail: string;
  at: Date;
}

@Injectable()
export class SourcesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the configured sources; sources no longer configured are kept (with their history) but disabled. */
  async register(sources: readonly SourceRegistration[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const source of sources) {
        // A source switched back on starts its quiet clock afresh: silence while it was off is not news.
        await manager.query(
          `INSERT INTO sources (id, platform, description, enabled, rate_limit_group, quiet_after_minutes) VALUES ($1, $2, $3, true, $4, $5)
           ON CONFLICT (id) DO UPDATE SET description = EXCLUDED.description, enabled = true,
             rate_limit_group = EXCLUDED.rate_limit_group, quiet_after_minutes = EXCLUDED.quiet_after_minutes,
             enabled_at = CASE WHEN sources.enabled THEN sources.enabled_at ELSE now() END, updated_at = now()`,
          [source.id, source.platform, source.description, source.rateLimitGroup, source.quietAfterMinutes],
        );
      }
      await manager.query(`UPDATE sources SET enabled = false, updated_at = now() WHERE enabled AND NOT (id = ANY($1))`, [sources.map((source) => source.id)]);
    });
  }

  /**
   * Claims a source that is due for a poll, for the length of the caller's transaction. The row
   * lock is what makes one poll of one source happen once across instances; if the instance
   * dies, its connection closes and the lock is gone with it.
   */
  async claimDue(manager: EntityManager, id: string): Promise<{ cursor: SourceCursor | null } | null> {
    const rows: Array<{ cursor: SourceCursor | null }> = await manager.query(
      `SELECT cursor FROM sources WHERE id = $1 AND enabled AND next_poll_at <= now() FOR UPDATE SKIP LOCKED`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Stores the cursor after a page was stored, in the poll's transaction. A source that was
   * reported failing or quiet gets a `recovered` or `resumed` event in the same statement.
   */
  async recordSuccess(
    manager: EntityManager,
    id: string,
    update: { cursor: SourceCursor; postsStored: number; lastPostAt: Date | null; pollAgainInSeconds: number },
  ): Promise<void> {
    await manager.query(
      `WITH previous AS (SELECT failing_reported_at, quiet_reported_at FROM sources WHERE id = $1),
       updated AS (
         UPDATE sources SET cursor = $2, posts_stored = posts_stored + $3,
           last_post_at = GREATEST(last_post_at, $4::timestamptz),
           last_new_posts_at = CASE WHEN $3 > 0 THEN now() ELSE last_new_posts_at END,
           state = CASE WHEN state = 'quiet' AND $3 = 0 THEN 'quiet' ELSE 'ok' END,
           quiet_reported_at = CASE WHEN $3 > 0 THEN NULL ELSE quiet_reported_at END,
           consecutive_failures = 0, failing_since = NULL, failing_reported_at = NULL, rate_limited_until = NULL,
           last_polled_at = now(), last_success_at = now(),
           next_poll_at = now() + make_interval(secs => $5), updated_at = now()
         WHERE id = $1 RETURNING id)
       INSERT INTO source_events (source_id, type, detail)
       SELECT $1, 'recovered', 'Polls succeed again' FROM previous, updated WHERE previous.failing_reported_at IS NOT NULL
       UNION ALL
       SELECT $1, 'resumed', 'New posts arrive again' FROM previous, updated WHERE previous.quiet_reported_at IS NOT NULL AND $3 > 0`,
      [id, JSON.stringify(update.cursor), update.postsStored, update.lastPostAt, update.pollAgainInSeconds],
    );
  }

  async consecutiveFailures(id: string): Promise<number> {
    const rows: Array<{ consecutive_failures: number }> = await this.dataSource.query(`SELECT consecutive_failures FROM sources WHERE id = $1`, [id]);
    return rows[0]?.consecutive_failures ?? 0;
  }

  /**
   * A failed poll keeps the cursor (nothing was stored) and waits as decided. A rate limit holds
   * back every source in the same rate-limit group too, so none of them asks before the reset.
   */
  async recordFailure(id: string, message: string, decision: RetryDecision, rateLimitGroup: string | null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `WITH previous AS (SELECT state FROM sources WHERE id = $1 FOR UPDATE),
         updated AS (
           UPDATE sources SET state = $3, last_error = $2, last_error_at = now(), last_polled_at = now(),
             consecutive_failures = consecutive_failures + 1,
             failing_since = CASE WHEN $3 = 'failing' THEN COALESCE(failing_since, now()) ELSE failing_since END,
             rate_limited_until = CASE WHEN $3 = 'rate_limited' THEN $4::timestamptz ELSE NULL END,
             next_poll_at = $4, updated_at = now()
           WHERE id = $1 RETURNING id)
         INSERT INTO source_events (source_id, type, detail)
         SELECT $1, 'rate_limited', $2 FROM previous, updated WHERE $3 = 'rate_limited' AND previous.state <> 'rate_limited'`,
        [id, message.slice(0, 2000), decision.state, decision.nextPollAt],
      );
      if (decision.state === 'rate_limited' && rateLimitGroup !== null) {
        await manager.query(
          `UPDATE sources SET state = 'rate_limited', rate_limited_until = GREATEST(rate_limited_until, $3::timestamptz),
             next_poll_at = GREATEST(next_poll_at, $3::timestamptz), updated_at = now()
           WHERE rate_limit_group = $2 AND id <> $1 AND enabled`,
          [id, rateLimitGroup, decision.nextPollAt],
        );
      }
    });
  }

  /**
   * Reports sources failing for longer than `failingAfterMinutes`, and sources whose polls
   * succeed but bring nothing new for longer than their quiet period. Each episode is reported
   * once: the report is a guarded update that other instances running the same check skip.
   */
  async reportUnhealthy(failingAfterMinutes: number): Promise<SourceEvent[]> {
    const failing: SourceEventRow[] = await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM sources
         WHERE enabled AND state = 'failing' AND failing_reported_at IS NULL AND failing_since <= now() - make_interval(mins => $1)
         FOR UPDATE SKIP LOCKED),
       reported AS (
         UPDATE sources SET failing_reported_at = now() FROM due WHERE sources.id = due.id
         RETURNING sources.id, sources.failing_since, sources.consecutive_failures, sources.last_error)
       INSERT INTO source_events (source_id, type, detail)
       SELECT id, 'failing',
         format('Failing since %s (%s failed polls): %s', to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'), consecutive_failures, COALESCE(last_error, 'unknown error'))
       FROM reported
       RETURNING id, source_id, type, detail, at`,
      [failingAfterMinutes],
    );
    const quiet: SourceEventRow[] = await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM sources
         WHERE enabled AND state = 'ok' AND quiet_reported_at IS NULL
           AND GREATEST(COALESCE(last_new_posts_at, '-infinity'), enabled_at) <= now() - make_interval(mins => quiet_after_minutes)
         FOR UPDATE SKIP LOCKED),
       reported AS (
         UPDATE sources SET state = 'quiet', quiet_reported_at = now() FROM due WHERE sources.id = due.id
         RETURNING sources.id, sources.quiet_after_minutes, sources.last_new_posts_at)
       INSERT INTO source_events (source_id, type, detail)
       SELECT id, 'quiet',
         CASE WHEN last_new_posts_at IS NULL THEN format('No posts at all in the %s minutes since it was enabled', quiet_after_minutes)
              ELSE format('No new posts for more than %s minutes (last at %s)', quiet_after_minutes, to_char(last_new_posts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')) END
       FROM reported
       RETURNING id, source_id, type, detail, at`,
      [],
    );
    return [...failing, ...quiet].map(toSourceEvent);
  }

  async list(): Promise<SourceRecord[]> {
    const rows: SourceRow[] = await this.dataSource.query(
      `SELECT s.*, (SELECT count(*) FROM posts p WHERE p.source_id = s.id AND p.received_at > now() - interval '1 hour') AS posts_last_hour
       FROM sources s ORDER BY s.enabled DESC, s.id`,
    );
    return rows.map(toSourceRecord);
  }

  /** Health events, newest first, optionally for one source. */
  async events(query: { sourceId?: string; limit: number; cursor?: string }): Promise<Page<SourceEvent>> {
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, isEventKey).id;
    const rows: SourceEventRow[] = await this.dataSource.query(
      `SELECT id, source_id, type, detail, at FROM source_events
       WHERE ($1::text IS NULL OR source_id = $1) AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [query.sourceId ?? null, after, query.limit + 1],
    );
    return toPage(rows.map(toSourceEvent), query.limit, (last) => ({ id: last.id }));
  }
}

function isEventKey(value: unknown): value is { id: string } {
  return typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string' && /^\d{1,18}$/.test(value.id);
}

function toSourceEvent(row: SourceEventRow): SourceEvent {
  return { id: String(row.id), sourceId: row.source_id, type: row.type, detail: row.detail, at: row.at };
}

function toSourceRecord(row: SourceRow): SourceRecord {
  return {
    id: row.id,
    platform: row.platform,
    description: row.description,
    enabled: row.enabled,
    state: row.state,
    cursor: row.cursor,
    nextPollAt: row.next_poll_at,
    lastPolledAt: row.last_polled_at,
    lastSuccessAt: row.last_success_at,
    lastNewPostsAt: row.last_new_posts_at,
    lastPostAt: row.last_post_at,
    lastErrorAt: row.last_error_at,
    lastError: row.last_error,
    consecutiveFailures: row.consecutive_failures,
    failingSince: row.failing_since,
    rateLimitedUntil: row.rate_limited_until,
    rateLimitGroup: row.rate_limit_group,
    quietAfterMinutes: row.quiet_after_minutes,
    postsStored: Number(row.posts_stored),
    postsLastHour: Number(row.posts_last_hour),
  };
}
