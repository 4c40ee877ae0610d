import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../commands/transaction';
import type { MailAttachment } from '../domain/uploads';
import type { MailMessage } from './message';

/**
 * Queues a message in the caller's transaction (a transactional outbox): it is sent only if what
 * caused it commits, and `dedupeKey` makes a retried cause queue it once.
 */
export async function queueMail(
  tx: Tx,
  message: MailMessage,
  opts: { dedupeKey: string; complaintId?: string | null; domain: string; attachments?: readonly MailAttachment[] },
): Promise<void> {
  const bareId = `${randomUUID()}@${opts.domain.toLowerCase()}`;
  // Its Message-ID is recorded with the complaint, so that a reply to it (In-Reply-To, References)
  // threads back onto that complaint, whoever it was sent to.
  await tx.execute(sql`
    with o as (
      insert into outbound_messages (complaint_id, to_address, subject, text, html, locale, message_id, dedupe_key, attachments)
      values (${opts.complaintId ?? null}, ${message.to}, ${message.subject}, ${message.text}, ${message.html},
              ${message.locale}, ${`<${bareId}>`}, ${opts.dedupeKey},
              ${opts.attachments?.length ? JSON.stringify(opts.attachments) : null}::jsonb)
      on conflict (dedupe_key) do nothing
      returning complaint_id
    )
    insert into mail_messages (complaint_id, direction, message_id, from_address, subject, body_hash)
    select complaint_id, 'out', ${bareId}, '', ${message.subject}, ${`outbox:${opts.dedupeKey}`} from o where complaint_id is not null`);
}
