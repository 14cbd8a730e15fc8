import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Platform } from '../domain/brands/brand';
import type { SourceCursor } from './source-connector';

export const SOURCE_STATES = ['ok', 'rate_limited', 'failing', 'quiet'] as const;
export type SourceState = (typeof SOURCE_STATES)[number];

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
  lastPostAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
  consecutiveFailures: number;
  postsStored: number;
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
  last_post_at: Date | null;
  last_error_at: Date | null;
  last_error: string | null;
  consecutive_failures: number;
  posts_stored: string;
}

@Injectable()
export class SourcesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the configured sources; sources no longer configured are kept (with their history) but disabled. */
  async register(sources: ReadonlyArray<{ id: string; platform: Platform; description: string }>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const source of sources) {
        await manager.query(
          `INSERT INTO sources (id, platform, description, enabled) VALUES ($1, $2, $3, true)
           ON CONFLICT (id) DO UPDATE SET description = EXCLUDED.description, enabled = true, updated_at = now()`,
          [source.id, source.platform, source.description],
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

  async recordSuccess(
    manager: EntityManager,
    id: string,
    update: { cursor: SourceCursor; postsStored: number; lastPostAt: Date | null; pollAgainInSeconds: number },
  ): Promise<void> {
    await manager.query(
      `UPDATE sources SET cursor = $2, posts_stored = posts_stored + $3,
         last_post_at = GREATEST(last_post_at, $4::timestamptz),
         state = 'ok', consecutive_failures = 0,
         last_polled_at = now(), last_success_at = now(),
         next_poll_at = now() + make_interval(secs => $5), updated_at = now()
       WHERE id = $1`,
      [id, JSON.stringify(update.cursor), update.postsStored, update.lastPostAt, update.pollAgainInSeconds],
    );
  }

  async consecutiveFailures(id: string): Promise<number> {
    const rows: Array<{ consecutive_failures: number }> = await this.dataSource.query(`SELECT consecutive_failures FROM sources WHERE id = $1`, [id]);
    return rows[0]?.consecutive_failures ?? 0;
  }

  /** A failed poll keeps the cursor (nothing was stored) and backs off. */
  async recordFailure(id: string, error: string, retryInSeconds: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE sources SET state = 'failing', last_error = $2, last_error_at = now(), last_polled_at = now(),
         consecutive_failures = consecutive_failures + 1,
         next_poll_at = now() + make_interval(secs => $3), updated_at = now()
       WHERE id = $1`,
      [id, error.slice(0, 2000), retryInSeconds],
    );
  }

  async list(): Promise<SourceRecord[]> {
    const rows: SourceRow[] = await this.dataSource.query(`SELECT * FROM sources ORDER BY id`);
    return rows.map(toSourceRecord);
  }
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
    lastPostAt: row.last_post_at,
    lastErrorAt: row.last_error_at,
    lastError: row.last_error,
    consecutiveFailures: row.consecutive_failures,
    postsStored: Number(row.posts_stored),
  };
}
