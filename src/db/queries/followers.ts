import { sql } from 'drizzle-orm';
import { normalizeComplaintCode } from '../../domain/codes';
import { AppError } from '../../domain/errors';
import { VI_COLLATOR } from '../../domain/text';
import type { Database } from '../open';

/** Who follows a complaint (active staff, by name in Vietnamese order), and whether the caller does. */
export interface Followers {
  following: boolean;
  followers: { id: string; name: string }[];
}

export async function listFollowers(database: Database, code: string, staffId: string): Promise<Followers> {
  const r = await database.db.execute<{ complaint_id: string; id: string | null; name: string | null }>(sql`
    select c.id as complaint_id, s.id, s.name from complaints c
    left join complaint_followers f on f.complaint_id = c.id
    left join staff_users s on s.id = f.staff_id and s.active
    where c.code = ${normalizeComplaintCode(code)}`);
  if (!r.rows.length) throw new AppError('complaint_not_found');
  const followers = r.rows
    .filter((x): x is { complaint_id: string; id: string; name: string } => x.id !== null && x.name !== null)
    .map((x) => ({ id: x.id, name: x.name }))
    .sort((a, b) => VI_COLLATOR.compare(a.name, b.name));
  return { following: followers.some((f) => f.id === staffId), followers };
}
