import { EmbeddedPostgresServer } from '../src/database/embedded-postgres.server';
import { openDatabase } from '../src/database/data-source';
async function main() {
  const server = new EmbeddedPostgresServer({ dataDir: process.argv[2] ?? '/tmp/emb-smoke', port: 0, log: console.log });
  const t0 = Date.now();
  const url = await server.start();
  console.log('started', Date.now() - t0, url);
  const ds = await openDatabase({ url, runMigrations: true });
  console.log(await ds.query('select count(*) from schema_migrations'));
  await ds.destroy();
  await server.stop();
  console.log('stopped');
}
void main();
