import type { BrandConfig } from '../domain/brands/brand';
import type { SlaPolicy } from '../domain/cases/sla-policy';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface TriageThresholds {
  /** A post whose complaint probability reaches this is treated as a complaint. */
  complaintProbability: number;
  /** Polarity at or below this (on -1..1) counts as strongly negative and raises priority. */
  strongNegativePolarity: number;
  /** Authors with at least this many followers raise virality risk (never lower a priority). */
  highReachFollowers: number;
}

export interface DemoSourceConfig {
  /** `auto`: on when no real source is configured. */
  enabled: boolean | 'auto';
  /** Path of the bundled stream, relative to the project root unless absolute. */
  file: string;
  /** Time compression: stream seconds released per wall-clock second. */
  speed: number;
  /** Start the stream again (with new post ids) when it ends, so the feed stays live. */
  loop: boolean;
  /** The brand the demo posts mention. */
  brand: string;
}

export interface AppConfig {
  server: { port: number; host: string };
  database: {
    /** With a URL the service uses that server; without, it starts its own embedded PostgreSQL. */
    url: string | null;
    dataDir: string;
    /** Port of the embedded PostgreSQL; 0 picks a free one at each start. */
    embeddedPort: number;
    runMigrations: boolean;
  };
  brands: BrandConfig[];
  sla: SlaPolicy;
  thresholds: TriageThresholds;
  sources: {
    pollIntervalSeconds: number;
    pageSize: number;
    leaseSeconds: number;
    demo: DemoSourceConfig;
  };
  log: { level: LogLevel };
}
