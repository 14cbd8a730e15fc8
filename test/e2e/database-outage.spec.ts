import type { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { openDatabase } from '../../src/database/data-source';
import { EmbeddedPostgresServer, findFreePort } from '../../src/database/embedded-postgres.server';
import { bearer, TEST_ADMIN_TOKEN, testConfig } from '../support/factories';

/** The database goes away under a running service, then comes back. */
describe('a database outage', () => {
  let dataDir: string;
  let server: EmbeddedPostgresServer;
  let app: INestApplication;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'complaint-monitor-outage-'));
    server = new EmbeddedPostgresServer({ dataDir, port: await findFreePort() });
    const url = await server.start();
    const config = testConfig({ DATABASE_URL: url, DEMO_SPEED: '1000', POLL_INTERVAL_SECONDS: '0.2' });
    app = await createApp({ config, dataSource: await openDatabase({ url, runMigrations: true }), logLevel: false });
  });

  afterAll(async () => {
    await app?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with a clear message while the database is down, and recovers when it is back', async () => {
    const http = request(app.getHttpServer());
    await http.get('/api/health').expect(200);

    await server.stop();
    const health = await http.get('/api/health').expect(503);
    expect(health.body).toMatchObject({ status: 'unavailable', database: { status: 'down' } });
    const cases = await http.get('/api/cases').set(bearer(TEST_ADMIN_TOKEN)).expect(503);
    expect(cases.body.message).toMatch(/database is not reachable/);

    await server.start();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await http.get('/api/health')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
    await http.get('/api/cases').set(bearer(TEST_ADMIN_TOKEN)).expect(200);
  });
});
