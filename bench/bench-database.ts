import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src/database/data-source';
import { EmbeddedPostgresServer } from '../src/database/embedded-postgres.server';

/** A throwaway embedded PostgreSQL with the schema, for one benchmark run. */
export async function startBenchDatabase(): Promise<{ dataSource: DataSource; stop: () => Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'complaint-monitor-bench-'));
  const server = new EmbeddedPostgresServer({ dataDir, port: 0 });
  process.stdout.write('Starting an embedded PostgreSQL for the benchmark...\n');
  const url = await server.start();
  const dataSource = await openDatabase({ url, runMigrations: true, applicationName: 'complaint-monitor-bench' });
  return {
    dataSource,
    stop: async () => {
      await dataSource.destroy();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Summary {
  median: number;
  p95: number;
  max: number;
  mean: number;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1], mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length };
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
