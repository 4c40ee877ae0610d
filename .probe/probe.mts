import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/db/open';
import { listComplaints } from '../src/db/queries/complaints';

const database = await openDatabase({ databaseUrl: process.env.DB! });
const dialect = new PgDialect();
const qs = (process.env.QS ?? 'duong van dung,le ha,nguyen thanh long,long,nguyen long').split(',');
for (let round = 0; round < 2; round++) {
  for (const q of qs) {
    const steps: string[] = [];
    const recording = {
      ...database,
      db: {
        execute: async (s: SQL) => {
          const t = performance.now();
          const r = await database.db.execute(s);
          const text = dialect.sqlToQuery(s).sql.replace(/\s+/g, ' ');
          steps.push(`${(performance.now() - t).toFixed(1)}ms[${r.rows.length}] ${text.slice(0, 60)}`);
          return r;
        },
      },
    } as unknown as Database;
    const t = performance.now();
    await listComplaints(recording, { q }, { limit: 50 });
    if (round === 1) console.log(`${q}: ${(performance.now() - t).toFixed(1)} ms\n  ${steps.join('\n  ')}`);
  }
}
await database.close();
