import type { Database } from '../db/open';
import { ANONYMISED_EVENT } from '../domain/personal-data';
import { readErasureLedger, recordErasures, type ErasureEntry } from '../files/erasure-ledger';
import type { FileStore } from '../files/store';
import { SYSTEM_ACTOR } from '../commands/actor';
import { anonymiseCustomer } from '../commands/anonymise-customer';

export interface ReapplyErasuresOptions {
  database: Database;
  files: FileStore;
  /** DATA_DIR: its erasure ledger is read, and completed. */
  dataDir: string;
  outboxDir?: string;
  log?: (msg: string) => void;
}

/**
 * Run when Sen starts, before it serves anyone. Erases again every customer the erasure ledger names whom
 * the database does not show as erased — the database was restored from a backup made before their
 * erasure — as Sen itself, even if the backup still shows a complaint of theirs open. Then completes the
 * ledger with the customers the database shows as erased that it does not name (the process stopped
 * between an erasure and its line; an install older than the ledger), so that the next restore knows them.
 */
export async function reapplyErasures(opts: ReapplyErasuresOptions): Promise<{ erasedAgain: string[]; recorded: number }> {
  const entries = await readErasureLedger(opts.dataDir);
  const last = new Map<string, ErasureEntry>();
  for (const e of entries) last.set(e.customerId, e);

  const erasedAgain: string[] = [];
  if (last.size) {
    const r = await opts.database.pool.query<{ id: string }>(
      'select id from customers where id = any($1::uuid[]) and anonymised_at is null order by id',
      [[...last.keys()]],
    );
    for (const { id } of r.rows) {
      const e = last.get(id)!;
      const done = await anonymiseCustomer({
        database: opts.database,
        files: opts.files,
        outboxDir: opts.outboxDir,
        actor: SYSTEM_ACTOR,
        customerId: id,
        reason: e.reason,
        note: `erased again after a restore (first erased ${e.at})`,
        reapply: true,
      });
      if (!done.already) erasedAgain.push(id);
    }
    if (erasedAgain.length) {
      opts.log?.(`personal_data: ${erasedAgain.length} customer(s) erased again: the database was restored from a backup made before their erasure`);
    }
  }

  const recorded = await completeErasureLedger(opts.database, opts.dataDir, new Set(last.keys()));
  return { erasedAgain, recorded };
}

/**
 * Adds to the ledger every customer the database shows as erased that it does not name: the line of an erasure
 * could not be written (a disk error after its commit), the process stopped between the two, or the install is
 * older than the ledger. All of them, however old, so that the next restore knows them. Run at start and by the
 * retention job; returns how many lines it added.
 */
export async function completeErasureLedger(database: Database, dataDir: string, known?: Set<string>): Promise<number> {
  const named = known ?? new Set((await readErasureLedger(dataDir)).map((e) => e.customerId));
  const missing = await database.pool.query<{ id: string; at: Date; reason: string | null }>(
    `select cu.id, cu.anonymised_at as at,
            (select e.payload->>'reason' from complaints c join timeline_events e on e.complaint_id = c.id
              where c.customer_id = cu.id and e.type = $1 order by e.created_at limit 1) as reason
     from customers cu left join unnest($2::uuid[]) as l(id) on l.id = cu.id
     where cu.anonymised_at is not null and l.id is null
     order by cu.anonymised_at, cu.id`,
    [ANONYMISED_EVENT, [...named]],
  );
  await recordErasures(
    dataDir,
    missing.rows.map((m) => ({ customerId: m.id, at: new Date(m.at).toISOString(), reason: m.reason === 'retention' ? 'retention' : 'request' })),
  );
  return missing.rows.length;
}
