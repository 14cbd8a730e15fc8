import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '../../src/database/embedded-postgres.server';
import { PROJECT_ROOT } from '../../src/common/project-root';
import { bearer, TEST_ADMIN_TOKEN } from '../support/factories';
import { createTestDatabase } from '../support/test-database';

/**
 * The compiled service as a user runs it (`npm test` builds it first): its own embedded
 * PostgreSQL in a data folder, the demo stream, signals.
 */
const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const STREAM_SIZE = readFileSync(path.join(PROJECT_ROOT, 'assets', 'demo-stream.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '').length;

interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startService(environment: Record<string, string>): RunningProcess {
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, service?: RunningProcess): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- service output ---\n${service?.output() ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

interface SourcesBody {
  items: Array<{ postsStored: number }>;
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: SourcesBody }> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json()) as SourcesBody };
}

describe('the service as a process', () => {
  const folders: string[] = [];
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const folder of folders) {
      // A killed service may leave its PostgreSQL behind; stop it before removing its data.
      const pidFile = path.join(folder, 'postgres', 'postmaster.pid');
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
        try {
          process.kill(pid, 'SIGINT');
        } catch {
          // already gone
        }
      }
      await rm(folder, { recursive: true, force: true });
    }
  });

  async function tempFolder(): Promise<string> {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'complaint-monitor-e2e-'));
    folders.push(folder);
    return folder;
  }

  it('stops at start with a message naming a bad configuration value', async () => {
    const service = startService({ PORT: 'not-a-port', DATA_DIR: await tempFolder() });
    children.push(service.child);
    const { code } = await service.exited;
    expect(code).toBe(1);
    expect(service.output()).toContain('server.port (from PORT) must be a number, got "not-a-port"');
  });

  it('uses the server named by DATABASE_URL and starts no database of its own', async () => {
    const database = await createTestDatabase();
    try {
      const dataDir = await tempFolder();
      const port = String(await findFreePort());
      const service = startService({ DATABASE_URL: database.url, DATA_DIR: dataDir, PORT: port, LOG_LEVEL: 'log' });
      children.push(service.child);
      await waitFor('health', async () => ((await getJson(`http://127.0.0.1:${port}/api/health`)).status === 200 ? true : undefined), 30_000, service);
      expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
      expect(service.output()).not.toContain('embedded PostgreSQL');
      service.child.kill('SIGTERM');
      expect((await service.exited).code).toBe(0);
    } finally {
      await database.drop();
    }
  });

  it('loses no post and duplicates none when killed with SIGKILL mid-stream and started again', async () => {
    const dataDir = await tempFolder();
    const configFile = path.join(dataDir, 'replay.json');
    // The whole six-hour stream in about 7 seconds, in small pages: many transactions to interrupt.
    await writeFile(configFile, JSON.stringify({ sources: { pageSize: 7, demo: { loop: false } } }));
    const environment = {
      DATA_DIR: dataDir,
      CONFIG_FILE: configFile,
      PORT: String(await findFreePort()),
      EMBEDDED_DB_PORT: String(await findFreePort()),
      DEMO_SPEED: '3000',
      POLL_INTERVAL_SECONDS: '0.1',
      LOG_LEVEL: 'warn',
      // The spawned service gets only this environment; /api/sources needs a token.
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    };
    const admin = bearer(TEST_ADMIN_TOKEN);
    const base = `http://127.0.0.1:${environment.PORT}`;

    const first = startService(environment);
    children.push(first.child);
    await waitFor('health', async () => ((await getJson(`${base}/api/health`)).status === 200 ? true : undefined), 30_000, first);
    const storedBeforeKill = await waitFor(
      'some posts but not all',
      async () => {
        const stored = (await getJson(`${base}/api/sources`, admin)).body.items[0]?.postsStored;
        return stored >= 20 ? stored : undefined;
      },
      30_000,
      first,
    );
    expect(storedBeforeKill).toBeLessThan(STREAM_SIZE);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startService(environment);
    children.push(second.child);
    await waitFor('health after restart', async () => ((await getJson(`${base}/api/health`)).status === 200 ? true : undefined), 30_000, second);
    await waitFor(
      'the whole stream',
      async () => ((await getJson(`${base}/api/sources`, admin)).body.items[0]?.postsStored === STREAM_SIZE ? true : undefined),
      60_000,
      second,
    );

    const password = (await readFile(path.join(dataDir, 'postgres-password'), 'utf8')).trim();
    const client = new Client({ host: '127.0.0.1', port: Number(environment.EMBEDDED_DB_PORT), user: 'postgres', password, database: 'complaint_monitor' });
    await client.connect();
    try {
      const posts = await client.query(`SELECT count(*)::int AS total, count(DISTINCT external_id)::int AS distinct_ids FROM posts`);
      expect(posts.rows[0]).toEqual({ total: STREAM_SIZE, distinct_ids: STREAM_SIZE });
      const expectedIds = readFileSync(path.join(PROJECT_ROOT, 'assets', 'demo-stream.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => (JSON.parse(line) as { id: string }).id)
        .sort();
      const storedIds = (await client.query(`SELECT external_id FROM posts ORDER BY external_id`)).rows.map((row: { external_id: string }) => row.external_id);
      expect(storedIds).toEqual(expectedIds);
      // Every complaint post was triaged exactly once: one opened/joined/reopened event per post in a case.
      const triage = await client.query(
        `SELECT (SELECT count(*)::int FROM posts WHERE case_id IS NOT NULL) AS posts_in_cases,
                (SELECT count(*)::int FROM case_events WHERE type IN ('opened', 'post_joined', 'reopened')) AS triage_events,
                (SELECT count(DISTINCT data->>'postId')::int FROM case_events WHERE type IN ('opened', 'post_joined', 'reopened')) AS triaged_posts`,
      );
      expect(triage.rows[0].posts_in_cases).toBeGreaterThan(20);
      expect(triage.rows[0].triage_events).toBe(triage.rows[0].posts_in_cases);
      expect(triage.rows[0].triaged_posts).toBe(triage.rows[0].posts_in_cases);
      const cursor = await client.query(`SELECT cursor FROM sources WHERE id = 'demo'`);
      expect(cursor.rows[0].cursor).toMatchObject({ cycle: 0, next: STREAM_SIZE });
    } finally {
      await client.end();
    }

    // SIGTERM stops the service and then its database, cleanly.
    second.child.kill('SIGTERM');
    const stopped = await second.exited;
    expect(stopped.code).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 150_000);
});
