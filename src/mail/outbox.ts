import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../commands/transaction';
import type { MailMessage } from './message';

/**
 * Queues a message in the caller's transaction (a transactional outbox): it is sent only if what
 * caused it commits, and `dedupeKey` makes a retried cause queue it once.
 */
export async function queueMail(
  tx: Tx,
  message: MailMessage,
  opts: { dedupeKey: string; complaintId?: string | null; domain: string },
): Promise<void> {
  const messageId = `<${randomUUID()}@${opts.domain}>`;
  await tx.execute(sql`
    insert into outbound_messages (complaint_id, to_address, subject, text, html, locale, message_id, dedupe_key)
    values (${opts.complaintId ?? null}, ${message.to}, ${message.subject}, ${message.text}, ${message.html},
            ${message.locale}, ${messageId}, ${opts.dedupeKey})
    on conflict (dedupe_key) do nothing`);
}
