import { guessLanguage } from '../domain/language';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import type { FileStore } from '../files/store';
import { parseMail } from '../channels/email/parse-pool';
import { stripReplyPrefixes } from '../domain/mail-threading';
import { AppError } from '../domain/errors';
import type { Actor } from './actor';
import { createComplaint } from './create-complaint';
import { withoutCardNumbers } from '../domain/payment-cards';

/**
 * Chuyển thành khiếu nại — an agent decides a mail the loop guard set aside (an auto-reply that was
 * really a complaint, say) is a complaint after all. Done twice, it answers with the same complaint.
 * No receipt is sent: the sender is an automated address as often as not.
 */
export async function convertInboundReject(opts: {
  database: Database;
  files: FileStore;
  actor: Actor;
  id: string;
}): Promise<{ code: string }> {
  const row = (
    await opts.database.db.execute<{ kind: string; raw_sha256: string; converted: string | null }>(sql`
      select r.kind, r.raw_sha256, c.code as converted from inbound_rejects r left join complaints c on c.id = r.converted_complaint_id
      where r.id = ${opts.id}`)
  ).rows[0];
  if (!row) throw new AppError('not_found');
  if (row.converted) return { code: row.converted };
  // Kept aside unread because of its size: reading it whole here is what the limit prevents.
  if (row.kind === 'too_large') throw new AppError('mail_too_large');
  const raw = await opts.files.get(row.raw_sha256);
  const mail = await parseMail(raw);
  const from = mail.from?.address;
  if (!from) throw new AppError('validation_failed', { fields: [{ field: 'from', code: 'email_invalid' }] });
  // The bytes are on disk (by hash) before the database lists them.
  const files = [];
  for (const a of mail.attachments) {
    const { sha256, size } = await opts.files.put(a.content, a.sha256);
    files.push({ filename: a.filename, contentType: a.contentType, size, sha256 });
  }
  // The complaint, its files, the mail's record and the event saying where it came from, in one transaction.
  const created = await createComplaint({
    database: opts.database,
    actor: { ...opts.actor, channel: 'email' },
    channel: 'email',
    input: {
      customer: { name: mail.from?.name?.trim() || from.split('@')[0], email: from },
      subject: (withoutCardNumbers(stripReplyPrefixes(mail.subject).trim()) || '(Thư không có tiêu đề)').slice(0, 300),
      description: withoutCardNumbers(mail.text.trim()) || '(Thư không có nội dung)',
      // As the email intake would have: English when the customer wrote in English.
      language: guessLanguage(`${mail.subject}\n${mail.text}`),
    },
    requireConsent: false,
    idempotencyKey: `reject:${opts.id}`,
    idempotencyScope: 'email',
    files,
    ...(mail.messageId ? { inboundMail: { messageId: mail.messageId, from, subject: mail.subject, bodyHash: mail.bodyHash, rawSha256: row.raw_sha256 } } : {}),
    events: [{ type: 'email.converted', payload: { rejectId: opts.id } }],
  });
  // Done twice (or after a crash here), the complaint is replayed by its key and the mark set once.
  await opts.database.db.execute(sql`
    update inbound_rejects set converted_complaint_id = ${created.id} where id = ${opts.id} and converted_complaint_id is null`);
  return { code: created.code };
}
