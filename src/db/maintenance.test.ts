import { describe, expect, it } from 'vitest';
import { maintenanceDue, upkeepPlan, type TableActivity } from './maintenance';

const table = (t: Partial<TableActivity> & { table: string }): TableActivity => ({
  estimatedRows: 1000,
  deadRows: 0,
  insertedSinceVacuum: 0,
  modifiedSinceAnalyze: 0,
  ...t,
});

describe("autovacuum's rule, applied where PGlite has no autovacuum", () => {
  it('vacuums a table once its dead rows pass 50 + 20 % of its rows', () => {
    expect(maintenanceDue([table({ table: 'complaints', deadRows: 250 })])).toEqual([]);
    expect(maintenanceDue([table({ table: 'complaints', deadRows: 251 })])).toEqual([{ table: 'complaints', vacuum: true, analyze: false }]);
  });

  it('vacuums a table that only grows once its new rows pass 1,000 + 20 % (visibility map for index-only scans)', () => {
    expect(maintenanceDue([table({ table: 'timeline_events', estimatedRows: 10_000, insertedSinceVacuum: 3000 })])).toEqual([]);
    expect(maintenanceDue([table({ table: 'timeline_events', estimatedRows: 10_000, insertedSinceVacuum: 3001 })])).toEqual([
      { table: 'timeline_events', vacuum: true, analyze: false },
    ]);
  });

  it('analyses a table once the rows changed since its last statistics pass 50 + 10 %', () => {
    expect(maintenanceDue([table({ table: 'customers', modifiedSinceAnalyze: 150 })])).toEqual([]);
    expect(maintenanceDue([table({ table: 'customers', modifiedSinceAnalyze: 151 })])).toEqual([{ table: 'customers', vacuum: false, analyze: true }]);
  });

  it('counts a table never vacuumed nor analysed (reltuples -1) as empty, so its first rows get statistics soon', () => {
    expect(maintenanceDue([table({ table: 'complaints', estimatedRows: -1, modifiedSinceAnalyze: 50 })])).toEqual([]);
    expect(maintenanceDue([table({ table: 'complaints', estimatedRows: -1, modifiedSinceAnalyze: 51, insertedSinceVacuum: 51 })])).toEqual([
      { table: 'complaints', vacuum: false, analyze: true },
    ]);
  });

  it('does both at once when both are due, largest backlog first', () => {
    const due = maintenanceDue([
      table({ table: 'customers', modifiedSinceAnalyze: 200 }),
      table({ table: 'complaints', deadRows: 400, modifiedSinceAnalyze: 400 }),
      table({ table: 'categories', deadRows: 3, modifiedSinceAnalyze: 3 }),
    ]);
    expect(due).toEqual([
      { table: 'complaints', vacuum: true, analyze: true },
      { table: 'customers', vacuum: false, analyze: true },
    ]);
  });
});

describe('the nightly pass (PGlite forgets its counters when it closes)', () => {
  const tables = [table({ table: 'settings' }), table({ table: 'complaints', deadRows: 400 }), table({ table: 'customers' })];
  // 10:00 in Vietnam on 27/11/2026.
  const now = new Date('2026-11-27T03:00:00Z');
  const every = ['complaints', 'customers', 'settings'].map((t) => ({ table: t, vacuum: true, analyze: true }));

  it('takes every table at the first run, and when none was made since the last 02:00 in Vietnam', () => {
    expect(upkeepPlan(tables, null, now)).toEqual({ full: true, steps: every });
    // Last made at 01:59 on the 27th: the 02:00 slot of the 27th has passed since.
    expect(upkeepPlan(tables, new Date('2026-11-26T18:59:00Z'), now)).toEqual({ full: true, steps: every });
  });

  it('otherwise takes only the tables due', () => {
    expect(upkeepPlan(tables, new Date('2026-11-26T19:00:30Z'), now)).toEqual({ full: false, steps: [{ table: 'complaints', vacuum: true, analyze: false }] });
  });
});
