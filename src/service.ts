import { Logger, type INestApplication } from '@nestjs/common';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createApp } from './app.factory';
import { resolveFromProjectRoot } from './common/project-root';
import type { AppConfig } from './config/app-config';
import { openDatabase } from './database/data-source';
import { EmbeddedPostgresServer } from './database/embedded-postgres.server';

export interface RunningService {
  url: string;
  /** Stops the HTTP server and pollers, then the database connections, then the embedded database. */
  stop(): Promise<void>;
}

/**
 * Starts everything in order: the embedded PostgreSQL when no DATABASE_URL is given, the
 * migrations, then the application. Stops in the reverse order.
 */
export async function startService(config: AppConfig): Promise<RunningService> {
  const logger = new Logger('Service');
  let embedded: EmbeddedPostgresServer | null = null;
  let databaseUrl = config.database.url;
  if (databaseUrl === null) {
    const dataDir = path.resolve(resolveFromProjectRoot(config.database.dataDir));
    logger.log(`No DATABASE_URL: starting the embedded PostgreSQL (data in ${dataDir})`);
    embedded = new EmbeddedPostgresServer({ dataDir, port: config.database.embeddedPort, log: (message) => logger.log(message) });
    databaseUrl = await embedded.start();
  }

  let dataSource: DataSource | null = null;
  let app: INestApplication | null = null;
  try {
    dataSource = await openDatabase({ url: databaseUrl, runMigrations: config.database.runMigrations });
    app = await createApp({ config, dataSource, logLevel: config.log.level });
    await app.listen(config.server.port, config.server.host);
  } catch (error) {
    await app?.close().catch(() => undefined);
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }

  const httpServer = app.getHttpServer() as { address(): { port: number } | string | null };
  const address = httpServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.server.port;
  const url = `http://localhost:${port}`;
  const runningApp = app;
  return {
    url,
    async stop() {
      await runningApp.close();
      await embedded?.stop();
    },
  };
}
