import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgresServer } from '../../src/database/embedded-postgres.server';

declare global {
  var embeddedTestPostgres: EmbeddedPostgresServer | undefined;
}

/**
 * One real PostgreSQL for the whole run, in a temporary folder on a free port. Each test file
 * creates its own database in it (test/support/test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'complaint-monitor-test-'));
  const server = new EmbeddedPostgresServer({ dataDir, port: 0 });
  const url = await server.start();
  globalThis.embeddedTestPostgres = server;
  process.env.TEST_DATABASE_URL = url;
  process.env.TEST_DATA_DIR = dataDir;
}
