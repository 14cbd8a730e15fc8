import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

export interface DatabaseOptions {
  url: string;
  /** Connections per service instance. */
  poolSize?: number;
  applicationName?: string;
}

/**
 * TypeORM on PostgreSQL, schema from migrations only (never synchronize). Repositories write SQL
 * through it: guarded updates, ON CONFLICT and keyset paging are clearer in SQL than in entities.
 */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    // Failures reach the caller as errors and are logged there, once, with context.
    logging: false,
    // Timestamps are read and written as UTC instants whatever the machine's time zone.
    extra: {
      max: options.poolSize ?? 20,
      application_name: options.applicationName ?? 'complaint-monitor',
      connectionTimeoutMillis: 10_000,
      options: '-c timezone=UTC',
    },
  });
}

/** Connects and, unless told not to, applies pending migrations. */
export async function openDatabase(options: DatabaseOptions & { runMigrations: boolean }): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  if (options.runMigrations) {
    await dataSource.runMigrations({ transaction: 'each' });
  }
  return dataSource;
}
