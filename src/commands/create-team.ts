import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import { inTransaction } from './transaction';

/** Thêm phòng ban — adds a team complaints can be routed to; names are unique. */
export async function createTeam(opts: { database: Database; name: string }): Promise<{ id: string; name: string }> {
  const name = opts.name.trim();
  if (!name) throw new AppError('validation_failed', { fields: [{ field: 'name', code: 'required' }] });
  return inTransaction(opts.database, async (tx) => {
    const r = await tx.execute<{ id: string }>(sql`insert into teams (name) values (${name}) on conflict (name) do nothing returning id`);
    if (!r.rowCount) throw new AppError('validation_failed', { fields: [{ field: 'name', code: 'invalid_value' }] });
    return { id: r.rows[0].id, name };
  });
}
