import { readFileSync } from 'node:fs';
import { resolveFromProjectRoot } from '../common/project-root';
import type { AppConfig } from './app-config';
import { isPlainObject } from '../common/json.util';
import { messageOf } from '../common/error.util';
import { loadModelFile } from '../scoring/model-file';
import { ConfigError, parseBoolean, validateConfig } from './config.validation';

export const DEFAULT_CONFIG_FILE = 'config/default.json';

/** Environment variables that override configuration keys (secrets, ports and switches). */
const ENVIRONMENT_OVERRIDES: ReadonlyArray<{ variable: string; path: string; parse?: (value: string) => unknown }> = [
  { variable: 'PORT', path: 'server.port' },
  { variable: 'HOST', path: 'server.host' },
  { variable: 'DATABASE_URL', path: 'database.url' },
  { variable: 'DATA_DIR', path: 'database.dataDir' },
  { variable: 'EMBEDDED_DB_PORT', path: 'database.embeddedPort' },
  { variable: 'RUN_MIGRATIONS', path: 'database.runMigrations' },
  { variable: 'ADMIN_TOKEN', path: 'auth.adminToken' },
  { variable: 'CASE_SWEEP_INTERVAL_SECONDS', path: 'cases.sweepIntervalSeconds' },
  { variable: 'AUTO_ASSIGN_AFTER_MINUTES', path: 'cases.autoAssignAfterMinutes' },
  { variable: 'DEMO', path: 'sources.demo.enabled', parse: (value) => (value === 'auto' ? value : (parseBoolean(value) ?? value)) },
  { variable: 'DEMO_SPEED', path: 'sources.demo.speed' },
  { variable: 'POLL_INTERVAL_SECONDS', path: 'sources.pollIntervalSeconds' },
  { variable: 'LOG_LEVEL', path: 'log.level' },
  { variable: 'SCORING_MODEL_FILE', path: 'scoring.modelFile' },
  { variable: 'SCORING_LEARN_FROM_LABELS', path: 'scoring.learnFromLabels' },
  { variable: 'X_BEARER_TOKEN', path: 'sources.x.bearerToken' },
  { variable: 'X_API_BASE_URL', path: 'sources.x.apiBaseUrl' },
  { variable: 'X_APP_KEY', path: 'sources.x.appKey' },
  { variable: 'X_APP_SECRET', path: 'sources.x.appSecret' },
  { variable: 'X_ACCESS_TOKEN', path: 'sources.x.accessToken' },
  { variable: 'X_ACCESS_SECRET', path: 'sources.x.accessSecret' },
  { variable: 'MASTODON_URL', path: 'sources.mastodon.url' },
  { variable: 'MASTODON_TOKEN', path: 'sources.mastodon.token' },
  { variable: 'BLUESKY_SERVICE', path: 'sources.bluesky.service' },
  { variable: 'BLUESKY_IDENTIFIER', path: 'sources.bluesky.identifier' },
  { variable: 'BLUESKY_APP_PASSWORD', path: 'sources.bluesky.appPassword' },
];

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Builds the configuration: config/default.json, then the file named by CONFIG_FILE merged over
 * it, then environment overrides; validated once. This is the only reader of process.env.
 */
export function loadConfig(environment: Environment = process.env): AppConfig {
  const defaults = readJsonFile(resolveFromProjectRoot(DEFAULT_CONFIG_FILE), DEFAULT_CONFIG_FILE);
  const configFile = environment.CONFIG_FILE;
  const merged = configFile ? deepMerge(defaults, readJsonFile(resolveFromProjectRoot(configFile), `CONFIG_FILE (${configFile})`)) : defaults;

  const overridden: Array<{ variable: string; path: string }> = [];
  for (const override of ENVIRONMENT_OVERRIDES) {
    const value = environment[override.variable];
    if (value === undefined || value === '') continue;
    setPath(merged, override.path, override.parse ? override.parse(value) : value);
    overridden.push(override);
  }

  try {
    const config = validateConfig(merged);
    checkModelFile(config);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Name the variable too, so "server.port must be a number" points at PORT when PORT set it.
    throw new ConfigError(
      error.problems.map((problem) => {
        const source = overridden.find((override) => problem.startsWith(`${override.path} `));
        return source ? problem.replace(source.path, `${source.path} (from ${source.variable})`) : problem;
      }),
    );
  }
}

/** A model file that is missing or not a model stops the start here, like any other bad value. */
function checkModelFile(config: AppConfig): void {
  if (config.scoring.modelFile === null) return;
  try {
    loadModelFile(config.scoring.modelFile);
  } catch (error) {
    throw new ConfigError([`scoring.modelFile must name a model file written by "cli train": ${messageOf(error)}`]);
  }
}

function readJsonFile(file: string, label: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${label} cannot be read: ${(error as Error).message}`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${label} is not valid JSON: ${(error as Error).message}`]);
  }
  if (!isPlainObject(parsed)) throw new ConfigError([`${label} must hold a JSON object`]);
  return parsed;
}

/** Objects merge key by key; anything else (lists included) replaces the default. */
export function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return result;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let current = target;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (!isPlainObject(next)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[keys[keys.length - 1]] = value;
}
