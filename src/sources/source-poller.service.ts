import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { messageOf } from '../common/error.util';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { IngestService, type IngestResult } from '../ingest/ingest.service';
import { decideRetry, DEFAULT_RETRY_POLICY, type PollFailure } from '../domain/sources/poll-policy';
import { ConnectorError, SOURCE_CONNECTORS, type SourceConnector } from './source-connector';
import { registrationOf, SourcesRepository } from './sources.repository';

const POLL_INTERVAL_NAME = 'poll-sources';
/** Pages fetched back to back for one source before others get their turn. */
const MAX_PAGES_PER_TURN = 20;

export type PollOutcome =
  { status: 'skipped' } | { status: 'stored'; result: IngestResult; caughtUp: boolean } | { status: 'failed'; failure: PollFailure; error: string };

/**
 * Polls every enabled source on a schedule. A poll is one transaction: claim the source row,
 * fetch from its cursor, store and triage the posts, move the cursor. A crash at any point
 * leaves either all of that or none of it, so a restart neither loses nor repeats posts.
 */
@Injectable()
export class SourcePollerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Sources');
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SOURCE_CONNECTORS) private readonly connectors: SourceConnector[],
    private readonly dataSource: DataSource,
    private readonly sources: SourcesRepository,
    private readonly ingest: IngestService,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sources.register(this.connectors.map((connector) => registrationOf(connector, this.config.sources.quietAfterMinutes)));
    for (const connector of this.connectors) this.logger.log(`Watching ${connector.id}: ${connector.description}`);
    if (this.connectors.length === 0) this.logger.warn('No source is enabled: configure a platform or turn the demo stream on (DEMO=1)');
    const interval = setInterval(() => this.tick(), this.config.sources.pollIntervalSeconds * 1000);
    this.scheduler.addInterval(POLL_INTERVAL_NAME, interval);
    this.tick();
  }

  /** Lets running polls finish their transaction before the database goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', POLL_INTERVAL_NAME)) this.scheduler.deleteInterval(POLL_INTERVAL_NAME);
    await Promise.allSettled(this.inFlight.values());
  }

  /** Starts a turn for every source that is not already being polled by this instance. */
  tick(): void {
    if (this.stopping) return;
    for (const connector of this.connectors) {
      if (this.inFlight.has(connector.id)) continue;
      const turn = this.takeTurn(connector).finally(() => this.inFlight.delete(connector.id));
      this.inFlight.set(connector.id, turn);
    }
  }

  private async takeTurn(connector: SourceConnector): Promise<void> {
    for (let page = 0; page < MAX_PAGES_PER_TURN && !this.stopping; page += 1) {
      const outcome = await this.pollOnce(connector);
      if (outcome.status === 'stored' && outcome.result.stored > 0) {
        const { result } = outcome;
        this.logger.debug(
          `${connector.id}: ${result.stored} new posts, ${result.complaints} complaints (${result.casesOpened} cases opened, ${result.casesJoined} joined, ${result.casesReopened} reopened)`,
        );
      }
      if (outcome.status !== 'stored' || outcome.caughtUp) return;
    }
  }

  /** One poll of one source: claim, fetch, store, move the cursor; all in one transaction. */
  async pollOnce(connector: SourceConnector): Promise<PollOutcome> {
    let outcome: PollOutcome;
    try {
      outcome = await this.dataSource.transaction(async (manager): Promise<PollOutcome> => {
        const claim = await this.sources.claimDue(manager, connector.id);
        if (!claim) return { status: 'skipped' };
        let fetched;
        try {
          fetched = await connector.fetch(claim.cursor, { now: this.clock.now(), limit: this.config.sources.pageSize });
        } catch (error) {
          return failed(error);
        }
        const result = await this.ingest.storeBatch(manager, connector.id, fetched.posts);
        await this.sources.recordSuccess(manager, connector.id, {
          cursor: fetched.cursor,
          postsStored: result.stored,
          lastPostAt: result.latestPostAt,
          pollAgainInSeconds: fetched.caughtUp ? this.config.sources.pollIntervalSeconds : 0,
        });
        return { status: 'stored', result, caughtUp: fetched.caughtUp };
      });
    } catch (error) {
      // Storing failed and was rolled back: the cursor did not move, so the posts come again.
      outcome = { status: 'failed', failure: { kind: 'unavailable', retryAt: null }, error: `storing failed: ${messageOf(error)}` };
    }
    if (outcome.status === 'failed') await this.recordFailure(connector, outcome);
    return outcome;
  }

  private async recordFailure(connector: SourceConnector, outcome: Extract<PollOutcome, { status: 'failed' }>): Promise<void> {
    try {
      const failures = await this.sources.consecutiveFailures(connector.id);
      const now = this.clock.now();
      const decision = decideRetry(
        outcome.failure,
        failures,
        now,
        { ...DEFAULT_RETRY_POLICY, pollIntervalSeconds: this.config.sources.pollIntervalSeconds },
        Math.random(),
      );
      const wait = `${((decision.nextPollAt.getTime() - now.getTime()) / 1000).toFixed(1)} s`;
      if (decision.state === 'rate_limited') {
        this.logger.warn(`${connector.id}: rate limited (${outcome.error}); nothing is sent before ${decision.nextPollAt.toISOString()} (${wait})`);
      } else {
        this.logger.warn(`${connector.id}: poll failed (${outcome.error}); retrying in ${wait}`);
      }
      await this.sources.recordFailure(connector.id, outcome.error, decision, connector.rateLimitGroup ?? null);
    } catch (recordError) {
      this.logger.error(`${connector.id}: could not record the failure: ${messageOf(recordError)}`);
    }
  }
}

/** A connector's error in the poller's terms; anything that is not a ConnectorError is treated as an outage. */
function failed(error: unknown): PollOutcome {
  if (error instanceof ConnectorError) return { status: 'failed', failure: { kind: error.kind, retryAt: error.retryAt }, error: error.message };
  return { status: 'failed', failure: { kind: 'unavailable', retryAt: null }, error: messageOf(error) };
}
