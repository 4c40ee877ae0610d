import { nightlyDue } from '../domain/time';
import type { Database } from './open';

/**
 * Upkeep of the embedded database. PostgreSQL's autovacuum cleans a table's dead rows (every update
 * of a complaint leaves one) and refreshes the planner's statistics; PGlite runs PostgreSQL as one
 * process with no background workers, so autovacuum never runs there, although it reports `on`: a
 * PGlite table keeps every dead row and is never analysed (measured: 20,000 dead rows still there
 * after two autovacuum naptimes, `reltuples` -1). So on PGlite Sen applies autovacuum's own rules,
 * with its default settings, to the activity counters, and runs VACUUM / ANALYZE on the tables due.
 * PGlite also forgets those counters when it closes (measured: 2,000 dead rows reported, 0 after
 * reopening), so what a process did before a restart would never count: every night (at the backup's
 * hour; or at the first start after a missed night) every table is vacuumed and analysed.
 */
/** What `pg_stat_user_tables` and `pg_class` tell of a table. */
export interface TableActivity {
  table: string;
  /** `pg_class.reltuples`: rows at the last VACUUM or ANALYZE, -1 if never. */
  estimatedRows: number;
  deadRows: number;
  insertedSinceVacuum: number;
  modifiedSinceAnalyze: number;
}

export interface MaintenanceStep {
  table: string;
  vacuum: boolean;
  analyze: boolean;
}

/** PostgreSQL 15's defaults for autovacuum_{vacuum,vacuum_insert,analyze}_{threshold,scale_factor}. */
export const AUTOVACUUM_DEFAULTS = {
  vacuumThreshold: 50,
  vacuumScaleFactor: 0.2,
  insertThreshold: 1000,
  insertScaleFactor: 0.2,
  analyzeThreshold: 50,
  analyzeScaleFactor: 0.1,
} as const;

/**
 * The tables autovacuum would take now (its rule in `relation_needs_vacanalyze`): VACUUM when the
 * dead rows, or the rows inserted since the last vacuum, pass a threshold plus a share of the table;
 * ANALYZE when the rows changed since the last analyse do. Largest backlog first.
 */
export function maintenanceDue(tables: readonly TableActivity[], settings = AUTOVACUUM_DEFAULTS): MaintenanceStep[] {
  return tables
    .map((t) => {
      const rows = Math.max(0, t.estimatedRows);
      const vacuum =
        t.deadRows > settings.vacuumThreshold + settings.vacuumScaleFactor * rows ||
        t.insertedSinceVacuum > settings.insertThreshold + settings.insertScaleFactor * rows;
      const analyze = t.modifiedSinceAnalyze > settings.analyzeThreshold + settings.analyzeScaleFactor * rows;
      return { step: { table: t.table, vacuum, analyze }, backlog: t.deadRows + t.insertedSinceVacuum + t.modifiedSinceAnalyze };
    })
    .filter(({ step }) => step.vacuum || step.analyze)
    .sort((a, b) => b.backlog - a.backlog || a.step.table.localeCompare(b.step.table))
    .map(({ step }) => step);
}

/** The hour of the Vietnam night every table is vacuumed and analysed: the backup's (config.backup.hour). */
export const DEFAULT_NIGHT_HOUR = 2;

/**
 * The steps of one run: every table when no full pass was made since the last night's slot (or ever:
 * a first start), else the tables due.
 */
export function upkeepPlan(
  tables: readonly TableActivity[],
  lastFullPass: Date | null,
  now: Date,
  nightHour = DEFAULT_NIGHT_HOUR,
): { full: boolean; steps: MaintenanceStep[] } {
  const full = nightlyDue(lastFullPass, now, nightHour);
  if (!full) return { full, steps: maintenanceDue(tables) };
  return { full, steps: [...tables].sort((a, b) => a.table.localeCompare(b.table)).map((t) => ({ table: t.table, vacuum: true, analyze: true })) };
}

export interface MaintenanceReport {
  /** Set when the database looks after itself (PostgreSQL's autovacuum) and nothing was done. */
  skipped?: 'autovacuum';
  /** Whether this run was the nightly pass over every table. */
  full: boolean;
  steps: (MaintenanceStep & { ms: number })[];
}

/** Sen's own tables' activity counters. */
export async function tableActivity(database: Database): Promise<TableActivity[]> {
  const r = await database.pool.query<{ table: string; estimated_rows: number; dead: string; inserted: string; modified: string }>(
    `select s.relname as table, c.reltuples::float8 as estimated_rows, s.n_dead_tup as dead,
            s.n_ins_since_vacuum as inserted, s.n_mod_since_analyze as modified
     from pg_stat_user_tables s join pg_class c on c.oid = s.relid
     where s.schemaname = 'public'`,
  );
  return r.rows.map((row) => ({
    table: row.table,
    estimatedRows: Number(row.estimated_rows),
    deadRows: Number(row.dead),
    insertedSinceVacuum: Number(row.inserted),
    modifiedSinceAnalyze: Number(row.modified),
  }));
}

/** The step of the nightly pass that vacuums the whole database (the catalogs and the freeze horizon). */
export const DATABASE_WIDE = '(database)';

/** Where the time of the last full pass is kept (a system entry among the settings). */
const FULL_PASS_KEY = 'db.upkeep';

/**
 * Job `db.maintenance`: on PGlite, VACUUM (with ANALYZE when due) or ANALYZE each table due, one table
 * at a time (PGlite is one session: requests wait for the table being done, so steps come only when
 * due). On PostgreSQL the server's autovacuum does this and nothing is done.
 */
export async function maintainDatabase(database: Database, opts: { now?: Date; nightHour?: number } = {}): Promise<MaintenanceReport> {
  const now = opts.now ?? new Date();
  if (database.kind !== 'pglite') return { skipped: 'autovacuum', full: false, steps: [] };
  const last = await database.pool.query<{ at: string | null }>(`select value->>'lastFullPass' as at from settings where key = $1`, [FULL_PASS_KEY]);
  const lastFullPass = last.rows[0]?.at ? new Date(last.rows[0].at) : null;
  const plan = upkeepPlan(await tableActivity(database), lastFullPass, now, opts.nightHour);
  const steps: MaintenanceReport['steps'] = [];
  for (const step of plan.steps) {
    const started = performance.now();
    const table = `"public".${escapeIdentifier(step.table)}`;
    await database.pool.query(step.vacuum ? `vacuum (analyze ${step.analyze ? 'true' : 'false'}) ${table}` : `analyze ${table}`);
    steps.push({ ...step, ms: Math.round(performance.now() - started) });
  }
  if (plan.full) {
    // The system catalogs too, which autovacuum would also keep, and the database's oldest unfrozen
    // transaction moved on (without it PostgreSQL stops writing after ~2 billion transactions).
    const started = performance.now();
    await database.pool.query('vacuum');
    steps.push({ table: DATABASE_WIDE, vacuum: true, analyze: false, ms: Math.round(performance.now() - started) });
  }
  if (plan.full) {
    await database.pool.query(
      `insert into settings (key, value) values ($1, $2::jsonb) on conflict (key) do update set value = excluded.value, updated_at = now()`,
      [FULL_PASS_KEY, JSON.stringify({ lastFullPass: now.toISOString() })],
    );
  }
  return { full: plan.full, steps };
}

function escapeIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
