import { SOCIAL_PLATFORMS, type BrandConfig, type SocialPlatform } from '../domain/brands/brand';
import { PRIORITIES, type Priority } from '../domain/cases/priority';
import { isPlainObject } from '../common/json.util';
import type { CategoryDefinition } from '../domain/scoring/care-scorer';
import { FALLBACK_CATEGORY } from '../domain/scoring/post-score';
import { LOG_LEVELS, type AppConfig, type AuthConfig, type LogLevel, type ScoringConfig } from './app-config';

/** Thrown when configuration is invalid; lists every problem, each naming its key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Json = Record<string, unknown>;

/**
 * Reads typed values out of an untrusted object, collecting one message per bad key
 * (`sla.acknowledgeWithinMinutes.P1 must be a positive number, got "soon"`).
 */
class ConfigReader {
  readonly problems: string[] = [];

  constructor(private readonly root: unknown) {}

  object(path: string): Json {
    const value = this.at(path);
    if (isPlainObject(value)) return value;
    this.fail(path, 'must be an object', value);
    return {};
  }

  string(path: string, options: { pattern?: RegExp; hint?: string } = {}): string {
    const value = this.at(path);
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(path, 'must be a non-empty string', value);
      return '';
    }
    if (options.pattern && !options.pattern.test(value)) {
      this.fail(path, `must be ${options.hint ?? `like ${String(options.pattern)}`}`, value);
    }
    return value;
  }

  optionalString(path: string): string | null {
    const value = this.at(path);
    if (value === null || value === undefined || value === '') return null;
    return this.string(path);
  }

  number(path: string, options: { min?: number; max?: number; integer?: boolean } = {}): number {
    const value = this.at(path);
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    const { min = -Infinity, max = Infinity, integer = false } = options;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      this.fail(path, 'must be a number', value);
      return min === -Infinity ? 0 : min;
    }
    if (integer && !Number.isInteger(number)) this.fail(path, 'must be a whole number', value);
    if (number < min || number > max) this.fail(path, `must be between ${min} and ${max}`, value);
    return number;
  }

  boolean(path: string): boolean {
    const value = this.at(path);
    const parsed = parseBoolean(value);
    if (parsed === undefined) this.fail(path, 'must be true or false (or 1 / 0)', value);
    return parsed ?? false;
  }

  oneOf<T extends string>(path: string, allowed: readonly T[]): T {
    const value = this.at(path);
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.fail(path, `must be one of ${allowed.join(', ')}`, value);
    return allowed[0];
  }

  stringList(path: string): string[] {
    const value = this.at(path);
    if (!Array.isArray(value)) {
      this.fail(path, 'must be a list of strings', value);
      return [];
    }
    value.forEach((item, index) => {
      if (typeof item !== 'string' || item.trim() === '') this.fail(`${path}[${index}]`, 'must be a non-empty string', item);
    });
    return value.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
  }

  list(path: string): unknown[] {
    const value = this.at(path);
    if (Array.isArray(value)) return value;
    this.fail(path, 'must be a list', value);
    return [];
  }

  fail(path: string, message: string, value?: unknown): void {
    const got = value === undefined ? 'it is missing' : `got ${JSON.stringify(value)}`;
    this.problems.push(`${path} ${message}, ${got}`);
  }

  private at(path: string): unknown {
    let current: unknown = this.root;
    for (const key of splitPath(path)) {
      if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
      else if (isPlainObject(current)) current = current[key];
      else return undefined;
    }
    return current;
  }
}

function splitPath(path: string): string[] {
  return path.split(/[.[\]]/).filter((part) => part !== '');
}

export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return undefined;
}

const KNOWN_TOP_LEVEL_KEYS = ['server', 'database', 'auth', 'brands', 'sla', 'cases', 'thresholds', 'scoring', 'sources', 'log'];

/** Turns the merged raw configuration into a typed, validated AppConfig, or throws a ConfigError. */
export function validateConfig(raw: unknown): AppConfig {
  const read = new ConfigReader(raw);
  if (isPlainObject(raw)) {
    for (const key of Object.keys(raw)) {
      if (!KNOWN_TOP_LEVEL_KEYS.includes(key)) read.fail(key, `is not a known setting (known: ${KNOWN_TOP_LEVEL_KEYS.join(', ')})`, raw[key]);
    }
  }

  const config: AppConfig = {
    server: {
      port: read.number('server.port', { min: 0, max: 65535, integer: true }),
      host: read.string('server.host'),
    },
    database: {
      url: readDatabaseUrl(read),
      dataDir: read.string('database.dataDir'),
      embeddedPort: read.number('database.embeddedPort', { min: 0, max: 65535, integer: true }),
      runMigrations: read.boolean('database.runMigrations'),
    },
    auth: readAuth(read),
    brands: readBrands(read),
    sla: {
      acknowledgeWithinMinutes: Object.fromEntries(
        PRIORITIES.map((priority) => [priority, read.number(`sla.acknowledgeWithinMinutes.${priority}`, { min: 1, max: 60 * 24 * 30 })]),
      ) as Record<Priority, number>,
      repeatWindowHours: read.number('sla.repeatWindowHours', { min: 0, max: 24 * 365 }),
    },
    cases: {
      autoAssignAfterMinutes: read.number('cases.autoAssignAfterMinutes', { min: 0, max: 24 * 60 }),
      sweepIntervalSeconds: read.number('cases.sweepIntervalSeconds', { min: 0.1, max: 3600 }),
      commitmentDefaultHours: read.number('cases.commitmentDefaultHours', { min: 0.1, max: 24 * 30 }),
      repeatReplySimilarity: read.number('cases.repeatReplySimilarity', { min: 0.5, max: 1 }),
    },
    thresholds: {
      complaintProbability: read.number('thresholds.complaintProbability', { min: 0, max: 1 }),
      strongNegativePolarity: read.number('thresholds.strongNegativePolarity', { min: -1, max: 0 }),
      highReachFollowers: read.number('thresholds.highReachFollowers', { min: 1, integer: true }),
    },
    scoring: readScoring(read),
    sources: {
      pollIntervalSeconds: read.number('sources.pollIntervalSeconds', { min: 0.1, max: 3600 }),
      pageSize: read.number('sources.pageSize', { min: 1, max: 1000, integer: true }),
      requestTimeoutSeconds: read.number('sources.requestTimeoutSeconds', { min: 0.05, max: 300 }),
      quietAfterMinutes: read.number('sources.quietAfterMinutes', { min: 1, max: 60 * 24 * 30 }),
      failingAlertAfterMinutes: read.number('sources.failingAlertAfterMinutes', { min: 0, max: 60 * 24 * 30 }),
      healthCheckSeconds: read.number('sources.healthCheckSeconds', { min: 0.1, max: 3600 }),
      demo: {
        enabled: read.object('sources.demo').enabled === 'auto' ? 'auto' : read.boolean('sources.demo.enabled'),
        file: read.string('sources.demo.file'),
        speed: read.number('sources.demo.speed', { min: 0.001, max: 1_000_000 }),
        loop: read.boolean('sources.demo.loop'),
        brand: read.string('sources.demo.brand'),
      },
      x: {
        bearerToken: read.optionalString('sources.x.bearerToken'),
        apiBaseUrl: readHttpUrl(read, 'sources.x.apiBaseUrl') ?? 'https://api.x.com',
        appKey: read.optionalString('sources.x.appKey'),
        appSecret: read.optionalString('sources.x.appSecret'),
        accessToken: read.optionalString('sources.x.accessToken'),
        accessSecret: read.optionalString('sources.x.accessSecret'),
      },
      mastodon: {
        url: readHttpUrl(read, 'sources.mastodon.url'),
        token: read.optionalString('sources.mastodon.token'),
      },
      bluesky: {
        service: readHttpUrl(read, 'sources.bluesky.service') ?? 'https://bsky.social',
        identifier: read.optionalString('sources.bluesky.identifier'),
        appPassword: read.optionalString('sources.bluesky.appPassword'),
      },
    },
    log: { level: read.oneOf<LogLevel>('log.level', LOG_LEVELS) },
  };

  const brandIds = config.brands.map((brand) => brand.id);
  if (config.brands.length > 0 && !brandIds.includes(config.sources.demo.brand)) {
    read.fail('sources.demo.brand', `must name a configured brand (${brandIds.join(', ')})`, config.sources.demo.brand);
  }
  const ackMinutes = config.sla.acknowledgeWithinMinutes;
  PRIORITIES.slice(1).forEach((priority, index) => {
    const moreUrgent = PRIORITIES[index];
    if (ackMinutes[priority] < ackMinutes[moreUrgent]) {
      read.fail(`sla.acknowledgeWithinMinutes.${priority}`, `must not be shorter than ${moreUrgent} (${ackMinutes[moreUrgent]})`, ackMinutes[priority]);
    }
  });

  const x = config.sources.x;
  const replyCredentials = [x.appKey, x.appSecret, x.accessToken, x.accessSecret];
  if (replyCredentials.some((value) => value !== null) && replyCredentials.some((value) => value === null)) {
    read.fail('sources.x', 'needs all four reply credentials (appKey, appSecret, accessToken, accessSecret) or none', '(some are missing)');
  }
  const { mastodon, bluesky } = config.sources;
  if ((mastodon.url === null) !== (mastodon.token === null)) read.fail('sources.mastodon', 'needs both url and token to watch Mastodon', '(one is missing)');
  if ((bluesky.identifier === null) !== (bluesky.appPassword === null)) {
    read.fail('sources.bluesky', 'needs both identifier and appPassword to watch Bluesky', '(one is missing)');
  }

  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** The admin token is a secret: a problem with it says how long it is, never what it is. */
function readAuth(read: ConfigReader): AuthConfig {
  const value = read.object('auth').adminToken;
  if (value === null || value === undefined || value === '') return { adminToken: null };
  if (typeof value !== 'string') {
    read.fail('auth.adminToken', 'must be a string (or null: off)', `(a ${typeof value})`);
    return { adminToken: null };
  }
  if (value.length < MIN_ADMIN_TOKEN_LENGTH)
    read.fail('auth.adminToken', `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`, `(${value.length} characters)`);
  if (/\s/.test(value)) read.fail('auth.adminToken', 'must not contain spaces (it is sent as "Authorization: Bearer <token>")', '(a token with spaces)');
  return { adminToken: value };
}

function readScoring(read: ConfigReader): ScoringConfig {
  const section = read.object('scoring');
  return {
    modelFile: read.optionalString('scoring.modelFile'),
    categories: section.categories === null ? null : readCategories(read),
    learnFromLabels: read.boolean('scoring.learnFromLabels'),
    relearnIntervalSeconds: read.number('scoring.relearnIntervalSeconds', { min: 0.1, max: 24 * 3600 }),
  };
}

/** Null keeps the built-in categories; a list replaces them (per industry) and must keep the fallback. */
function readCategories(read: ConfigReader): CategoryDefinition[] {
  const categories = read.list('scoring.categories').map((_, index): CategoryDefinition => {
    const path = `scoring.categories[${index}]`;
    read.object(path);
    return {
      id: read.string(`${path}.id`, { pattern: /^[a-z][a-z0-9_]*$/, hint: 'lowercase letters, digits and underscores, starting with a letter' }),
      cues: read.stringList(`${path}.cues`),
    };
  });
  const seen = new Set<string>();
  categories.forEach((category, index) => {
    if (category.id !== '' && seen.has(category.id)) read.fail(`scoring.categories[${index}].id`, 'must be unique', category.id);
    seen.add(category.id);
  });
  if (!seen.has(FALLBACK_CATEGORY)) {
    read.fail(
      'scoring.categories',
      `must include "${FALLBACK_CATEGORY}" (given when no category fits)`,
      categories.map((category) => category.id),
    );
  }
  return categories;
}

function readHttpUrl(read: ConfigReader, path: string): string | null {
  const url = read.optionalString(path);
  if (url !== null && !/^https?:\/\/[^\s/]+/.test(url)) read.fail(path, 'must be an http:// or https:// URL', url);
  return url === null ? null : url.replace(/\/+$/, '');
}

function readDatabaseUrl(read: ConfigReader): string | null {
  const url = read.optionalString('database.url');
  if (url !== null && !/^postgres(ql)?:\/\/.+/.test(url)) {
    read.fail('database.url', 'must be a postgres:// or postgresql:// connection string', url.replace(/:[^:@/]*@/, ':***@'));
  }
  return url;
}

function readBrands(read: ConfigReader): BrandConfig[] {
  const brands = read.list('brands').map((_, index): BrandConfig => {
    const path = `brands[${index}]`;
    read.object(path);
    return {
      id: read.string(`${path}.id`, { pattern: /^[a-z0-9][a-z0-9-]*$/, hint: 'lowercase letters, digits and dashes' }),
      name: read.string(`${path}.name`),
      handles: Object.fromEntries(
        SOCIAL_PLATFORMS.map((platform) => [platform, read.stringList(`${path}.handles.${platform}`).map((handle) => handle.replace(/^@/, ''))]),
      ) as Record<SocialPlatform, string[]>,
      keywords: read.stringList(`${path}.keywords`),
    };
  });
  if (brands.length === 0) read.fail('brands', 'must list at least one brand to watch', []);
  const seen = new Set<string>();
  brands.forEach((brand, index) => {
    if (seen.has(brand.id)) read.fail(`brands[${index}].id`, 'must be unique', brand.id);
    seen.add(brand.id);
    const handleCount = SOCIAL_PLATFORMS.reduce((count, platform) => count + brand.handles[platform].length, 0);
    if (handleCount + brand.keywords.length === 0) read.fail(`brands[${index}]`, 'must have at least one handle or keyword', brand.id);
  });
  return brands;
}
