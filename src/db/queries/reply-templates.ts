import { sql } from 'drizzle-orm';
import type { Language } from '../../domain/vocabulary';
import { VI_COLLATOR } from '../../domain/text';
import type { Database } from '../open';

export interface ReplyTemplate {
  id: string;
  name: string;
  language: Language;
  body: string;
  active: boolean;
  updatedAt: string;
}

export function toReplyTemplate(r: Record<string, unknown>): ReplyTemplate {
  return {
    id: r.id as string,
    name: r.name as string,
    language: r.language === 'en' ? 'en' : 'vi',
    body: r.body as string,
    active: r.active as boolean,
    updatedAt: new Date(r.updated_at as string).toISOString(),
  };
}

/** The team's reply templates, by name in Vietnamese order: those in use, or all (to manage them); of one language if asked. */
export async function listReplyTemplates(database: Database, opts: { all?: boolean; language?: Language } = {}): Promise<ReplyTemplate[]> {
  const r = await database.db.execute<Record<string, unknown>>(sql`
    select id, name, language, body, active, updated_at from reply_templates
    where (${opts.all === true} or active) and (${opts.language ?? null}::text is null or language = ${opts.language ?? null})`);
  return r.rows.map(toReplyTemplate).sort((a, b) => Number(b.active) - Number(a.active) || VI_COLLATOR.compare(a.name, b.name) || a.id.localeCompare(b.id));
}
