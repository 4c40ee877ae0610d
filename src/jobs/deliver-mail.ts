import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { inTransaction } from '../commands/transaction';
import { withoutForbiddenCharacters } from '../domain/text';
import type { MailAttachment } from '../domain/uploads';
import type { FileStore } from '../files/store';

export interface MailTransportConfig {
  /** smtp://user:pass@host:port; unset: messages go to `outboxDir` as .eml files. */
  mailUrl?: string;
  from: string;
  /** Where customers' replies go: an intake address Sen reads (its SMTP listener or IMAP mailbox). */
  replyTo?: string;
  outboxDir: string;
  /** Where the complaint files a message carries are read from when it is sent. */
  files?: FileStore;
}

type QueuedRow = {
  id: string;
  to_address: string;
  subject: string;
  text: string;
  html: string;
  message_id: string;
  attempts: number;
  /** The customer's own first mail on this complaint, when this message goes to that customer. */
  in_reply_to: string | null;
  attachments: MailAttachment[] | null;
};

/** A message's files, read from the store (and checked against their hash) as it is sent: none missing, or it waits. */
async function attachmentsOf(transport: MailTransportConfig, m: QueuedRow): Promise<NonNullable<SendMailOptions['attachments']>> {
  if (!m.attachments?.length) return [];
  const files = transport.files;
  if (!files) throw new Error('this message carries files and no file store is set up to read them');
  return Promise.all(m.attachments.map(async (a) => ({ filename: a.filename, contentType: a.contentType, content: await files.get(a.sha256) })));
}

/**
 * The message as it leaves Sen: its Message-ID (recorded, so a reply threads back); a reply to the
 * customer's own mail is marked as one (In-Reply-To, References), so it sits in their thread; replies
 * go to the intake address; and Auto-Submitted tells auto-responders not to answer (RFC 3834).
 */
async function envelopeOf(transport: MailTransportConfig, m: QueuedRow): Promise<SendMailOptions> {
  const attachments = await attachmentsOf(transport, m);
  return {
    from: transport.from,
    to: m.to_address,
    subject: m.subject,
    text: m.text,
    html: m.html,
    messageId: m.message_id,
    ...(transport.replyTo ? { replyTo: transport.replyTo } : {}),
    ...(m.in_reply_to ? { inReplyTo: m.in_reply_to, references: [m.in_reply_to] } : {}),
    headers: { 'Auto-Submitted': 'auto-generated' },
    ...(attachments.length ? { attachments } : {}),
  };
}

/**
 * A mail server that stops answering must not hold a message past its lease (another Sen process would
 * send it again) nor the queue for nodemailer's default 10 minutes. A `?socketTimeout=` in MAIL_URL overrides.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 } as const;

/**
 * A delivery error as stored: a mail server's reply may carry bytes PostgreSQL text refuses (NUL)
 * or that garble the console (other control characters); each becomes a space.
 */
function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return [...withoutForbiddenCharacters(text, ' ')].slice(0, 500).join('');
}

/** Retries back off: 1, 2, 4 … minutes, up to this many attempts, then the message is marked failed. */
const MAX_ATTEMPTS = 8;
/** A claimed message not recorded as sent within this time (the process died) is tried again. */
const LEASE_MS = 5 * 60_000;

/**
 * Delivers queued messages. Each is claimed first (SKIP LOCKED, and a lease), in a short transaction,
 * so two Sen processes never send the same one and no transaction waits on a mail server (PGlite
 * serialises transactions); then sent, and its delivery state recorded. Failures back off and retry.
 */
export async function deliverQueuedMail(
  database: Database,
  transport: MailTransportConfig,
  now: Date = new Date(),
  batch = 20,
): Promise<{ sent: number; failed: number }> {
  const mailer = transport.mailUrl ? nodemailer.createTransport({ ...SMTP_TIMEOUTS, url: transport.mailUrl }) : null;
  let sent = 0;
  let failed = 0;
  let recordError: unknown = null;
  try {
    for (;;) {
      const rows = await inTransaction(database, async (tx) =>
        (
          await tx.execute<QueuedRow>(sql`
            update outbound_messages m set attempts = m.attempts + 1, next_attempt_at = ${new Date(now.getTime() + LEASE_MS).toISOString()}
            where m.id in (
              select id from outbound_messages where status = 'queued' and next_attempt_at <= ${now.toISOString()}
              order by next_attempt_at limit ${batch} for update skip locked)
            returning m.id, m.to_address, m.subject, m.text, m.html, m.message_id, m.attempts, m.attachments,
              (select '<' || i.message_id || '>' from mail_messages i
               where i.complaint_id = m.complaint_id and i.direction = 'in' and i.message_id is not null
                 and lower(i.from_address) = lower(m.to_address)
               order by i.created_at limit 1) as in_reply_to`)
        ).rows,
      );
      for (const m of rows) {
        let error: string | null = null;
        try {
          if (mailer) {
            await mailer.sendMail(await envelopeOf(transport, m));
          } else {
            await writeEml(transport, m);
          }
        } catch (err) {
          error = errorText(err);
        }
        // Recording the outcome is apart from sending: when it fails (the database went away), the
        // rest of the batch is still tried, and the lease brings this message back later.
        try {
          if (error === null) {
            const recorded = await database.db.execute(
              sql`update outbound_messages set status = ${mailer ? 'sent' : 'outbox'}, sent_at = now(), last_error = null
                  where id = ${m.id} and to_address <> ''`,
            );
            // The customer's data was erased while this was being written: the copy goes too.
            if (!recorded.rowCount && !mailer) await rm(path.join(transport.outboxDir, `${m.id}.eml`), { force: true });
            sent += 1;
          } else {
            failed += 1;
            const status = m.attempts >= MAX_ATTEMPTS ? 'failed' : 'queued';
            const delayMs = 60_000 * 2 ** (m.attempts - 1);
            await database.db.execute(sql`
              update outbound_messages set status = ${status}, last_error = ${error},
                next_attempt_at = ${new Date(now.getTime() + delayMs).toISOString()} where id = ${m.id}`);
          }
        } catch (err) {
          recordError ??= err;
        }
      }
      if (rows.length < batch) break;
    }
  } finally {
    mailer?.close();
  }
  if (recordError !== null) throw recordError;
  return { sent, failed };
}

async function writeEml(transport: MailTransportConfig, m: QueuedRow): Promise<void> {
  await mkdir(transport.outboxDir, { recursive: true });
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await stream.sendMail(await envelopeOf(transport, m));
  await writeFile(path.join(transport.outboxDir, `${m.id}.eml`), info.message as Buffer);
}
