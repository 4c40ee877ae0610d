import type { Database } from '../db/open';
import { MAIL_TEMPLATES_KEY } from '../db/queries/settings';
import { parseMailTemplates, type MailTemplates } from '../domain/mail-templates';
import type { Actor } from './actor';
import { storeSetting } from './settings-store';

/** Sửa mẫu thư — saves the admin's wording of customer mail (vi/en); an empty object restores Sen's defaults. */
export async function updateMailTemplates(opts: { database: Database; actor: Actor; input: unknown }): Promise<{ templates: MailTemplates }> {
  const templates = parseMailTemplates(opts.input);
  await storeSetting(opts, MAIL_TEMPLATES_KEY, templates);
  return { templates };
}
