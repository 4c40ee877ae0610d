import { sql } from 'drizzle-orm';
import { VI_COLLATOR } from '../../domain/text';
import type { Database } from '../open';

export interface SavedView {
  id: string;
  name: string;
  /** The queue's address query (domain/saved-views.ts QUEUE_FILTER_KEYS), without "?". */
  query: string;
  createdAt: string;
}

export function toSavedView(r: Record<string, unknown>): SavedView {
  return { id: r.id as string, name: r.name as string, query: r.query as string, createdAt: new Date(r.created_at as string).toISOString() };
}

/** A member's views, by name in Vietnamese order. */
export async function listSavedViews(database: Database, staffId: string): Promise<SavedView[]> {
  const r = await database.db.execute<Record<string, unknown>>(sql`select id, name, query, created_at from saved_views where staff_id = ${staffId}`);
  return r.rows.map(toSavedView).sort((a, b) => VI_COLLATOR.compare(a.name, b.name));
}
