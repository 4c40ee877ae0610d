import 'dotenv/config';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { ensureFirstAdmin } from '../bootstrap';
import { buildApp } from './app';
import { startJobs } from '../jobs/runner';

/** Starts Sen: opens the database (embedded PGlite unless DATABASE_URL), migrates, and listens. */
async function main() {
  const config = loadConfig();
  const started = Date.now();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await ensureFirstAdmin(database, config, (line) => console.log(line));
  const app = await buildApp({ database, config, logger: process.env.LOG !== '0' });
  const jobs = config.jobs.enabled ? startJobs(database, config) : null;
  const stop = async () => {
    await jobs?.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ port: config.port, host: config.host });
  console.log(
    `Sen đang chạy / Sen is running at ${config.baseUrl} (${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'}; started in ${Date.now() - started} ms)`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
