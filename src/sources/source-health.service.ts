import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { messageOf } from '../common/error.util';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { SourcesRepository, type SourceEvent } from './sources.repository';

const HEALTH_INTERVAL_NAME = 'source-health';

/**
 * Notices sources that keep failing or have gone silent, and records each such episode once as a
 * source event (for the alerts capability to deliver). Safe with several instances: reporting is
 * a guarded update in PostgreSQL, so only one instance reports an episode.
 */
@Injectable()
export class SourceHealthService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SourceHealth');
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sources: SourcesRepository,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => this.tick(), this.config.sources.healthCheckSeconds * 1000);
    this.scheduler.addInterval(HEALTH_INTERVAL_NAME, interval);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', HEALTH_INTERVAL_NAME)) this.scheduler.deleteInterval(HEALTH_INTERVAL_NAME);
    await this.running;
  }

  private tick(): void {
    if (this.stopping || this.running) return;
    this.running = this.check()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error(`Source health check failed: ${messageOf(error)}`))
      .finally(() => (this.running = null));
  }

  /** One check: records (and returns) the new failing and quiet episodes. */
  async check(): Promise<SourceEvent[]> {
    const events = await this.sources.reportUnhealthy(this.config.sources.failingAlertAfterMinutes);
    for (const event of events) this.logger.warn(`${event.sourceId} is ${event.type}: ${event.detail}`);
    return events;
  }
}
