import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { toReplyTemplate, type ReplyTemplate } from '../db/queries/reply-templates';
import { AppError } from '../domain/errors';
import { checkReplyTemplate, type ReplyTemplateInput } from '../domain/reply-templates';
import type { Actor } from './actor';
import { inTransaction } from './transaction';

/** Thêm mẫu trả lời — a supervisor writes down a reply the team sends often. */
export async function createReplyTemplate(opts: { database: Database; actor: Actor; input: ReplyTemplateInput }): Promise<ReplyTemplate> {
  const t = checkReplyTemplate(opts.input, true);
  return inTransaction(opts.database, async (tx) => {
    const r = await tx.execute<Record<string, unknown>>(sql`
      insert into reply_templates (name, language, body, created_by) values (${t.name!}, ${t.language!}, ${t.body!}, ${opts.actor.id})
      returning id, name, language, body, active, updated_at`);
    return toReplyTemplate(r.rows[0]);
  });
}

/** Sửa mẫu trả lời — rewords, renames, moves to the other language or (de)activates one; replies sent keep their text. */
export async function updateReplyTemplate(opts: {
  database: Database;
  id: string;
  input: ReplyTemplateInput & { active?: boolean };
}): Promise<ReplyTemplate> {
  const t = checkReplyTemplate(opts.input, false);
  return inTransaction(opts.database, async (tx) => {
    const r = await tx.execute<Record<string, unknown>>(sql`
      update reply_templates set name = coalesce(${t.name ?? null}, name), language = coalesce(${t.language ?? null}, language),
        body = coalesce(${t.body ?? null}, body), active = coalesce(${opts.input.active ?? null}, active), updated_at = now()
      where id = ${opts.id} returning id, name, language, body, active, updated_at`);
    if (!r.rows[0]) throw new AppError('not_found');
    return toReplyTemplate(r.rows[0]);
  });
}
