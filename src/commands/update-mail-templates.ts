import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { MAIL_TEMPLATES_KEY, forgetSlaContext } from '../db/queries/settings';
import { parseMailTemplates, type MailTemplates } from '../domain/mail-templates';
import type { Actor } from './actor';
import { inTransaction } from './transaction';

/** Sửa mẫu thư — saves the admin's wording of customer mail (vi/en); an empty object restores Sen's defaults. */
export async function updateMailTemplates(opts: { database: Database; actor: Actor; input: unknown }): Promise<{ templates: MailTemplates }> {
  const templates = parseMailTemplates(opts.input);
  await inTransaction(opts.database, (tx) =>
    tx.execute(sql`
      insert into settings (key, value, updated_at, updated_by) values (${MAIL_TEMPLATES_KEY}, ${JSON.stringify(templates)}::jsonb, now(), ${opts.actor.id})
      on conflict (key) do update set value = excluded.value, updated_at = now(), updated_by = excluded.updated_by`),
  );
  forgetSlaContext(opts.database);
  return { templates };
}
