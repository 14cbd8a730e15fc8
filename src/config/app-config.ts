import type { BrandConfig } from '../domain/brands/brand';
import type { SlaPolicy } from '../domain/cases/sla-policy';
import type { CategoryDefinition } from '../domain/scoring/care-scorer';

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

/** X (Twitter) API v2. On when `bearerToken` is set. */
export interface XSourceConfig {
  /** App-only bearer token: recent search and mentions. */
  bearerToken: string | null;
  /** The API's base URL; tests and the benchmark point it at a local fake server. */
  apiBaseUrl: string;
  /** User-context (OAuth 1.0a) credentials of the brand account, needed to post replies. */
  appKey: string | null;
  appSecret: string | null;
  accessToken: string | null;
  accessSecret: string | null;
}

/** A Mastodon server and an access token of the brand's account there. On when both are set. */
export interface MastodonSourceConfig {
  url: string | null;
  token: string | null;
}

/** Bluesky through its app view (`service`), logged in with an app password. On when all are set. */
export interface BlueskySourceConfig {
  service: string;
  identifier: string | null;
  appPassword: string | null;
}

export interface ScoringConfig {
  /** A model written by `cli train`, relative to the project root unless absolute; null: the shipped default model. */
  modelFile: string | null;
  /** The categories posts are sorted into; null: the built-in DEFAULT_CATEGORIES. */
  categories: CategoryDefinition[] | null;
  /** Whether agents' labels (`POST /api/posts/:id/labels`) adapt the model. */
  learnFromLabels: boolean;
  /** How often an instance checks for labels written by other instances. */
  relearnIntervalSeconds: number;
}

export interface AuthConfig {
  /** Authenticates as the first admin, so a new install can be set up; null: off. At least 16 characters. */
  adminToken: string | null;
}

export interface CasesConfig {
  /** An unowned case is assigned to the least-loaded agent on shift after this many minutes (0: at once). */
  autoAssignAfterMinutes: number;
  /** How often the deadline sweep runs (auto-assignment, missed acknowledgements, overdue commitments). */
  sweepIntervalSeconds: number;
  /** When a reply promises a follow-up without saying when, it is due after this many hours. */
  commitmentDefaultHours: number;
  /** A reply at least this similar (0..1) to an earlier reply in the same case is flagged before it is sent. */
  repeatReplySimilarity: number;
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
  auth: AuthConfig;
  brands: BrandConfig[];
  sla: SlaPolicy;
  cases: CasesConfig;
  thresholds: TriageThresholds;
  scoring: ScoringConfig;
  sources: {
    pollIntervalSeconds: number;
    pageSize: number;
    /** A platform request that takes longer than this fails (and is retried with backoff). */
    requestTimeoutSeconds: number;
    /** A source with no new posts (or only failures) for longer than this is reported. */
    quietAfterMinutes: number;
    /** A source failing for longer than this is reported (0: at the first failure). */
    failingAlertAfterMinutes: number;
    /** How often source health (failing, quiet) is checked. */
    healthCheckSeconds: number;
    demo: DemoSourceConfig;
    x: XSourceConfig;
    mastodon: MastodonSourceConfig;
    bluesky: BlueskySourceConfig;
  };
  log: { level: LogLevel };
}
