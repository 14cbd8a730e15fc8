import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../common/project-root';
import { defaultModel } from '../domain/scoring/care-scorer';
import { modelToJson } from '../domain/scoring/scoring-model';
import { deepMerge, loadConfig } from './config.loader';
import { ConfigError } from './config.validation';

/** The temporary folders the files below were written to, removed when the file's tests end. */
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function configFile(contents: unknown): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'config-test-'));
  folders.push(folder);
  const file = path.join(folder, 'config.json');
  writeFileSync(file, typeof contents === 'string' ? contents : JSON.stringify(contents));
  return file;
}

function problemsOf(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('loads the bundled defaults: embedded database, demo stream, the SLA policy', () => {
    const config = loadConfig({});
    expect(config.server.port).toBe(3000);
    expect(config.database.url).toBeNull();
    expect(config.database.dataDir).toBe('.data');
    expect(config.sources.demo.enabled).toBe('auto');
    expect(config.sla.acknowledgeWithinMinutes).toEqual({ P1: 15, P2: 60, P3: 240, P4: 1440 });
    expect(config.brands.map((brand) => brand.id)).toEqual(['halcyon-air']);
  });

  it('lets environment variables override ports, secrets and switches', () => {
    const config = loadConfig({ PORT: '4100', DATABASE_URL: 'postgres://u:p@db:5432/monitor', DATA_DIR: '/var/lib/cm', DEMO: '0', DEMO_SPEED: '120' });
    expect(config.server.port).toBe(4100);
    expect(config.database.url).toBe('postgres://u:p@db:5432/monitor');
    expect(config.database.dataDir).toBe('/var/lib/cm');
    expect(config.sources.demo.enabled).toBe(false);
    expect(config.sources.demo.speed).toBe(120);
  });

  it('turns platforms on from their credentials, with X pointed anywhere by X_API_BASE_URL', () => {
    const defaults = loadConfig({});
    expect(defaults.sources.x).toMatchObject({ bearerToken: null, apiBaseUrl: 'https://api.x.com', appKey: null });
    expect(defaults.sources.mastodon).toEqual({ url: null, token: null });
    expect(defaults.sources.bluesky).toEqual({ service: 'https://bsky.social', identifier: null, appPassword: null });

    const config = loadConfig({
      X_BEARER_TOKEN: 'bearer',
      X_API_BASE_URL: 'http://127.0.0.1:4567/',
      X_APP_KEY: 'key',
      X_APP_SECRET: 'secret',
      X_ACCESS_TOKEN: 'token',
      X_ACCESS_SECRET: 'access-secret',
      MASTODON_URL: 'https://mastodon.example',
      MASTODON_TOKEN: 'm-token',
      BLUESKY_SERVICE: 'http://127.0.0.1:4568',
      BLUESKY_IDENTIFIER: 'brand.bsky.social',
      BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop',
    });
    expect(config.sources.x).toEqual({
      bearerToken: 'bearer',
      apiBaseUrl: 'http://127.0.0.1:4567',
      appKey: 'key',
      appSecret: 'secret',
      accessToken: 'token',
      accessSecret: 'access-secret',
    });
    expect(config.sources.mastodon).toEqual({ url: 'https://mastodon.example', token: 'm-token' });
    expect(config.sources.bluesky).toEqual({ service: 'http://127.0.0.1:4568', identifier: 'brand.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' });
  });

  it('refuses half-configured platforms and bad platform URLs, without echoing secrets', () => {
    expect(problemsOf({ X_API_BASE_URL: 'api.x.com' })).toEqual([
      'sources.x.apiBaseUrl (from X_API_BASE_URL) must be an http:// or https:// URL, got "api.x.com"',
    ]);
    const partial = problemsOf({ X_BEARER_TOKEN: 'bearer', X_APP_KEY: 'very-secret-key' });
    expect(partial).toEqual(['sources.x needs all four reply credentials (appKey, appSecret, accessToken, accessSecret) or none, got "(some are missing)"']);
    expect(partial.join(' ')).not.toContain('very-secret-key');
    expect(problemsOf({ MASTODON_URL: 'https://mastodon.example' })).toEqual([
      'sources.mastodon needs both url and token to watch Mastodon, got "(one is missing)"',
    ]);
    expect(problemsOf({ BLUESKY_APP_PASSWORD: 'secret-password' })).toEqual([
      'sources.bluesky needs both identifier and appPassword to watch Bluesky, got "(one is missing)"',
    ]);
  });

  it('merges CONFIG_FILE over the defaults, objects key by key and lists replaced', () => {
    const file = configFile({
      sla: { acknowledgeWithinMinutes: { P1: 10 } },
      brands: [{ id: 'acme', name: 'Acme', handles: { x: ['@Acme'], mastodon: [], bluesky: [] }, keywords: ['acme'] }],
      sources: { demo: { brand: 'acme' } },
    });
    const config = loadConfig({ CONFIG_FILE: file });
    expect(config.sla.acknowledgeWithinMinutes).toEqual({ P1: 10, P2: 60, P3: 240, P4: 1440 });
    expect(config.brands).toEqual([{ id: 'acme', name: 'Acme', handles: { x: ['Acme'], mastodon: [], bluesky: [] }, keywords: ['acme'] }]);
  });

  it('names the key and the variable of a bad value', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual(['server.port (from PORT) must be a number, got "eighty"']);
    expect(problemsOf({ PORT: '70000' })).toEqual(['server.port (from PORT) must be between 0 and 65535, got "70000"']);
    expect(problemsOf({ DEMO: 'maybe' })).toEqual(['sources.demo.enabled (from DEMO) must be true or false (or 1 / 0), got "maybe"']);
    expect(problemsOf({ LOG_LEVEL: 'loud' })).toEqual(['log.level (from LOG_LEVEL) must be one of error, warn, log, debug, verbose, got "loud"']);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })[0]).toMatch(
      /^database\.url \(from DATABASE_URL\) must be a postgres:\/\/ or postgresql:\/\/ connection string/,
    );
  });

  it('lists every problem of a bad file, each naming its key', () => {
    const problems = problemsOf({
      CONFIG_FILE: configFile({
        sla: { acknowledgeWithinMinutes: { P1: 'soon', P3: 30 } },
        thresholds: { complaintProbability: 2 },
        brands: [{ id: 'Bad Id', name: '', handles: { x: [], mastodon: [], bluesky: [] }, keywords: [] }],
        surprise: true,
      }),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'surprise is not a known setting (known: server, database, auth, brands, sla, cases, thresholds, scoring, sources, log), got true',
        'sla.acknowledgeWithinMinutes.P1 must be a number, got "soon"',
        'sla.acknowledgeWithinMinutes.P3 must not be shorter than P2 (60), got 30',
        'thresholds.complaintProbability must be between 0 and 1, got 2',
        'brands[0].id must be lowercase letters, digits and dashes, got "Bad Id"',
        'brands[0].name must be a non-empty string, got ""',
        'brands[0] must have at least one handle or keyword, got "Bad Id"',
        'sources.demo.brand must name a configured brand (Bad Id), got "halcyon-air"',
      ]),
    );
  });

  it('explains a CONFIG_FILE that is missing or not JSON', () => {
    expect(problemsOf({ CONFIG_FILE: '/nonexistent/monitor.json' })[0]).toMatch(/^CONFIG_FILE \(\/nonexistent\/monitor\.json\) cannot be read/);
    expect(problemsOf({ CONFIG_FILE: configFile('{ not json') })[0]).toMatch(/is not valid JSON/);
    expect(problemsOf({ CONFIG_FILE: configFile('[1, 2]') })[0]).toMatch(/must hold a JSON object/);
  });
});

describe('loadConfig: scoring', () => {
  it('defaults to the shipped model and categories, learning from labels every 300 s', () => {
    expect(loadConfig({}).scoring).toEqual({ modelFile: null, categories: null, learnFromLabels: true, relearnIntervalSeconds: 300 });
  });

  it('turns learning from labels off with SCORING_LEARN_FROM_LABELS, and names the variable of a bad value', () => {
    expect(loadConfig({ SCORING_LEARN_FROM_LABELS: '0' }).scoring.learnFromLabels).toBe(false);
    expect(loadConfig({ SCORING_LEARN_FROM_LABELS: 'false' }).scoring.learnFromLabels).toBe(false);
    expect(problemsOf({ SCORING_LEARN_FROM_LABELS: 'sometimes' })).toEqual([
      'scoring.learnFromLabels (from SCORING_LEARN_FROM_LABELS) must be true or false (or 1 / 0), got "sometimes"',
    ]);
    expect(problemsOf({ CONFIG_FILE: configFile({ scoring: { relearnIntervalSeconds: 0 } }) })).toEqual([
      'scoring.relearnIntervalSeconds must be between 0.1 and 86400, got 0',
    ]);
  });

  it('accepts a model file written by train, by absolute path or relative to the project root', () => {
    const file = configFile(modelToJson({ ...defaultModel(), name: 'acme-care' }));
    expect(loadConfig({ SCORING_MODEL_FILE: file }).scoring.modelFile).toBe(file);
    const relative = path.relative(PROJECT_ROOT, file);
    expect(path.isAbsolute(relative)).toBe(false);
    expect(loadConfig({ CONFIG_FILE: configFile({ scoring: { modelFile: relative } }) }).scoring.modelFile).toBe(relative);
  });

  it('stops the start when the model file is missing or is not a model, naming the setting and the path', () => {
    const [missing] = problemsOf({ SCORING_MODEL_FILE: '/nonexistent/model.json' });
    expect(missing).toMatch(
      /^scoring\.modelFile \(from SCORING_MODEL_FILE\) must name a model file written by "cli train": \/nonexistent\/model\.json cannot be read/,
    );

    const notJson = configFile('{ not json');
    expect(problemsOf({ SCORING_MODEL_FILE: notJson })[0]).toContain(`${notJson} is not valid JSON`);

    const notModel = configFile({ format: 'something-else', heads: {} });
    const [problem] = problemsOf({ CONFIG_FILE: configFile({ scoring: { modelFile: notModel } }) });
    expect(problem).toMatch(/^scoring\.modelFile must name a model file/);
    expect(problem).toContain(`${notModel} cannot be used: not a scoring model: "format" must be`);
  });

  it('replaces the categories from a file, checked and named by path', () => {
    const categories = [
      { id: 'network_outage', cues: ['no signal', 'outage'] },
      { id: 'billing_refund', cues: ['refund*', 'overcharged'] },
      { id: 'other', cues: [] },
    ];
    expect(loadConfig({ CONFIG_FILE: configFile({ scoring: { categories } }) }).scoring.categories).toEqual(categories);

    const problems = problemsOf({
      CONFIG_FILE: configFile({
        scoring: {
          categories: [
            { id: 'Network Outage', cues: ['no signal'] },
            { id: 'billing', cues: ['refund', ''] },
            { id: 'billing', cues: 'refund' },
          ],
        },
      }),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'scoring.categories[0].id must be lowercase letters, digits and underscores, starting with a letter, got "Network Outage"',
        'scoring.categories[1].cues[1] must be a non-empty string, got ""',
        'scoring.categories[2].cues must be a list of strings, got "refund"',
        'scoring.categories[2].id must be unique, got "billing"',
        'scoring.categories must include "other" (given when no category fits), got ["Network Outage","billing","billing"]',
      ]),
    );
    expect(problems).toHaveLength(5);
    expect(problemsOf({ CONFIG_FILE: configFile({ scoring: { categories: 'delay' } }) })).toEqual(
      expect.arrayContaining(['scoring.categories must be a list, got "delay"']),
    );
  });
});

describe('loadConfig: auth and cases', () => {
  it('defaults to no admin token and the case policy of the defaults file', () => {
    const config = loadConfig({});
    expect(config.auth).toEqual({ adminToken: null });
    expect(config.cases).toEqual({ autoAssignAfterMinutes: 2, sweepIntervalSeconds: 30, commitmentDefaultHours: 24, repeatReplySimilarity: 0.85 });
  });

  it('takes the admin token, the sweep interval and the auto-assignment delay from the environment', () => {
    const config = loadConfig({ ADMIN_TOKEN: 'a-long-enough-admin-token', CASE_SWEEP_INTERVAL_SECONDS: '0.5', AUTO_ASSIGN_AFTER_MINUTES: '0' });
    expect(config.auth.adminToken).toBe('a-long-enough-admin-token');
    expect(config.cases.sweepIntervalSeconds).toBe(0.5);
    expect(config.cases.autoAssignAfterMinutes).toBe(0);
  });

  it('takes the commitment default and the repeat similarity from a file, keeping the other defaults', () => {
    const config = loadConfig({ CONFIG_FILE: configFile({ cases: { commitmentDefaultHours: 48, repeatReplySimilarity: 0.9 } }) });
    expect(config.cases).toEqual({ autoAssignAfterMinutes: 2, sweepIntervalSeconds: 30, commitmentDefaultHours: 48, repeatReplySimilarity: 0.9 });
  });

  it('refuses a short admin token, naming the key and the variable without echoing the token', () => {
    const problems = problemsOf({ ADMIN_TOKEN: 'short-secret' });
    expect(problems).toEqual(['auth.adminToken (from ADMIN_TOKEN) must be at least 16 characters, got "(12 characters)"']);
    expect(problems.join(' ')).not.toContain('short-secret');
    expect(problemsOf({ ADMIN_TOKEN: 'sixteen chars or more' })).toEqual([
      'auth.adminToken (from ADMIN_TOKEN) must not contain spaces (it is sent as "Authorization: Bearer <token>"), got "(a token with spaces)"',
    ]);
    expect(problemsOf({ CONFIG_FILE: configFile({ auth: { adminToken: 1234567890123456 } }) })).toEqual([
      'auth.adminToken must be a string (or null: off), got "(a number)"',
    ]);
  });

  it('names each case setting that is out of range', () => {
    expect(problemsOf({ CASE_SWEEP_INTERVAL_SECONDS: '0' })).toEqual([
      'cases.sweepIntervalSeconds (from CASE_SWEEP_INTERVAL_SECONDS) must be between 0.1 and 3600, got "0"',
    ]);
    expect(problemsOf({ AUTO_ASSIGN_AFTER_MINUTES: 'soon' })).toEqual([
      'cases.autoAssignAfterMinutes (from AUTO_ASSIGN_AFTER_MINUTES) must be a number, got "soon"',
    ]);
    const problems = problemsOf({
      CONFIG_FILE: configFile({ cases: { autoAssignAfterMinutes: 1441, commitmentDefaultHours: 0, repeatReplySimilarity: 0.2 } }),
    });
    expect(problems).toEqual([
      'cases.autoAssignAfterMinutes must be between 0 and 1440, got 1441',
      'cases.commitmentDefaultHours must be between 0.1 and 720, got 0',
      'cases.repeatReplySimilarity must be between 0.5 and 1, got 0.2',
    ]);
  });
});

describe('deepMerge', () => {
  it('does not change its inputs', () => {
    const base = { a: { b: 1, c: 2 } };
    const merged = deepMerge(base, { a: { b: 5 } });
    expect(merged).toEqual({ a: { b: 5, c: 2 } });
    expect(base).toEqual({ a: { b: 1, c: 2 } });
  });
});
