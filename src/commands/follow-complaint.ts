import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { listFollowers, type Followers } from '../db/queries/followers';
import { normalizeComplaintCode } from '../domain/codes';
import { AppError } from '../domain/errors';
import { inTransaction } from './transaction';

/**
 * Theo dõi / bỏ theo dõi — a staff member follows a complaint (or stops): from then on they are told in the app of
 * what its customer does and of its status changes (domain/watch.ts). Their own choice, no timeline event; doing it
 * twice is doing it once.
 */
export async function followComplaint(opts: { database: Database; staffId: string; code: string; follow: boolean }): Promise<Followers> {
  const code = normalizeComplaintCode(opts.code);
  await inTransaction(opts.database, async (tx) => {
    const c = await tx.execute<{ id: string }>(sql`select id from complaints where code = ${code}`);
    const id = c.rows[0]?.id;
    if (!id) throw new AppError('complaint_not_found');
    if (opts.follow) {
      await tx.execute(sql`insert into complaint_followers (complaint_id, staff_id) values (${id}, ${opts.staffId}) on conflict do nothing`);
    } else {
      await tx.execute(sql`delete from complaint_followers where complaint_id = ${id} and staff_id = ${opts.staffId}`);
    }
  });
  return listFollowers(opts.database, code, opts.staffId);
}
