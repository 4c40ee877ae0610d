import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { loadSlaContext } from '../db/queries/settings';
import type { FileStore } from '../files/store';
import type { InboundMail } from '../channels/email/parse';
import { classifyInbound } from '../domain/mail-loop';
import { complaintCodeInSubject, forgedSender, stripReplyPrefixes } from '../domain/mail-threading';
import { TERMINAL_STATUSES, OPEN_STATUSES } from '../domain/lifecycle';
import { normalizeEmail } from '../domain/contacts';
import { AppError } from '../domain/errors';
import { createHash } from 'node:crypto';
import { applyClockActions, saveClocks } from './clock-store';
import { createComplaint, type ReceiptSettings } from './create-complaint';
import { guessLanguage } from '../domain/language';
import type { Language } from '../domain/vocabulary';
import { lockComplaint } from './load';
import { reopenLocked, replyReopens } from './reopen-complaint';
import { appendEvent } from './timeline';
import { inTransaction, type Tx } from './transaction';
import { fulfilInformationRequestsByEmail, type StoredFile } from './answer-information-request';
import { answerConsultationByEmail } from './answer-consultation';

export type EmailOutcome =
  | { outcome: 'created'; code: string }
  | { outcome: 'threaded'; code: string }
  | { outcome: 'duplicate'; code: string | null }
  | { outcome: 'not_a_complaint'; kind: string; reason: string };

export interface ReceiveEmailOptions {
  database: Database;
  files: FileStore;
  raw: Buffer;
  mail: InboundMail;
  /** SMTP envelope sender ('' for the null sender of bounces); undefined when unknown (IMAP: Return-Path decides). */
  envelopeFrom: string | null | undefined;
  receipt: ReceiptSettings;
  now?: Date;
}

const EXCERPT = 2000;

/**
 * Tiếp nhận thư — turns one received email into a complaint, or threads it onto the complaint it
 * answers, or files it in the "not a complaint" log (bounces, auto-replies, bulk mail: never
 * answered). Safe to run twice on the same message: the second run finds it stored and changes
 * nothing, so a sender (or the IMAP poller) may retry after any failure.
 */
export async function receiveEmail(input: ReceiveEmailOptions): Promise<EmailOutcome> {
  // A message without a Message-ID gets one made from what it says, so that it too is stored once.
  const mail = { ...input.mail, messageId: input.mail.messageId ?? syntheticMessageId(input.mail) };
  const opts = { ...input, mail };
  // Files are written while the database is asked what the mail is; a row names them only once they are on
  // disk (awaited before any write). Unawaited when the mail turns out to be stored already: same bytes, same names.
  // The copy kept: as received, or with the card numbers it held masked (channels/email/redact-raw.ts).
  const rawStored = opts.files.put(mail.storedRaw ?? opts.raw, mail.rawSha256);
  rawStored.catch(() => undefined);
  const from = mail.from?.address ?? null;
  const verdict = classifyInbound({ envelopeFrom: opts.envelopeFrom, from, headers: mail.headers, contentType: mail.contentType, subject: mail.subject });
  const setAside = async (kind: string, reason: string): Promise<EmailOutcome> => {
    const raw = await rawStored;
    return setAsideMail(opts.database, { kind, reason, from, subject: mail.subject, messageId: mail.messageId, bodyHash: mail.bodyHash, rawSha256: raw.sha256, excerpt: mail.text });
  };
  if (verdict.kind !== 'complaint') return setAside(verdict.kind, verdict.reason);
  // A sender Sen cannot write back to cannot be a customer record; kept aside for an agent, never retried forever.
  if (!from || !normalizeEmail(from)) return setAside('invalid_sender', from ? `sender address not usable: ${from}` : 'no sender address');
  const filesStored = storeFiles(opts);
  filesStored.catch(() => undefined);

  // Asked together: whether the mail is stored already, and which complaint it would continue.
  const [known, target] = await Promise.all([findStored(opts.database, mail, from), findThread(opts.database, mail, from)]);
  if (known) return { outcome: 'duplicate', code: known.code };
  // A mail that would continue a complaint speaks as its customer (or a party consulted): not when the company's own
  // mail server found the sender forged. Kept aside for an agent; a new complaint from it is harmless (its receipt goes
  // to the address it names) and still made.
  const forged = target ? forgedSender(mail.headers.get('authentication-results')) : null;
  if (target && forged) return setAside('unauthenticated', `${forged}; not added to ${target.code}`);
  const raw = await rawStored;
  if (target?.sentTo && target.sentTo.address !== target.customerEmail) {
    // A reply to Sen's mail to someone other than the customer (a supplier consulted, a staff alert)
    // is not the customer's word: a consultation's answer when it is one, else kept aside for an agent.
    const answered = await answerConsultationReply(opts, target, from, raw.sha256);
    if (answered) return answered;
    // The same mail delivered twice at once: the other delivery answered the consultation with it.
    const meanwhile = await findStored(opts.database, mail, from);
    if (meanwhile) return { outcome: 'duplicate', code: meanwhile.code };
    return setAside('third_party', `reply to Sen's mail about ${target.code} sent to ${target.sentTo.address}, not to its customer`);
  }
  if (target) {
    const threaded = await threadOnto(opts, target, from, raw.sha256, filesStored);
    if (threaded) return threaded;
    // A reply to a complaint merged into another of the same customer's goes where the handling went on.
    const into = await mergedInto(opts.database, target.id);
    const carried = into ? await threadOnto(opts, { code: into }, from, raw.sha256, filesStored) : null;
    if (carried) return carried;
  }

  // A new complaint, with the mail's record, its attachments and its link to the complaint it continues
  // in the same transaction. Its idempotency key is the message itself, so a retried delivery finds the first one.
  const subject = stripReplyPrefixes(mail.subject).trim() || '(Thư không có tiêu đề)';
  let created;
  try {
    created = await createComplaint({
      database: opts.database,
      actor: { kind: 'customer', id: null, channel: 'email' },
      channel: 'email',
      input: {
        customer: { name: mail.from?.name?.trim() || from.split('@')[0], email: from },
        subject: subject.slice(0, 300),
        description: mail.text.trim() || '(Thư không có nội dung)',
        // Answered in the language of the complaint it continues, else in English when the customer wrote in English
        // (staff can change it on the complaint).
        language: target?.language ?? guessLanguage(`${subject}\n${mail.text}`),
      },
      requireConsent: false,
      idempotencyKey: `${mail.messageId}|${from}|${mail.bodyHash}`,
      idempotencyScope: 'email',
      receipt: opts.receipt,
      now: opts.now,
      // The bytes are on disk (by hash) before the database lists them.
      files: await filesStored,
      inboundMail: { messageId: mail.messageId, from, subject: mail.subject, bodyHash: mail.bodyHash, rawSha256: raw.sha256 },
      // Step 5: a reply to a complaint that is over (after the reopen window) continues it in this new one.
      ...(target ? { previous: { id: target.id, code: target.code } } : {}),
    });
  } catch (err) {
    // Content Sen refuses (not a fault): set aside with the fields at fault, instead of a 451 for ever.
    if (err instanceof AppError && err.code === 'validation_failed') {
      return setAside('invalid', `refused: ${(err.details.fields ?? []).map((f) => `${f.field} ${f.code}`).join(', ')}`);
    }
    throw err;
  }
  return { outcome: created.replayed ? 'duplicate' : 'created', code: created.code };
}

/**
 * Files a message in the "not a complaint" log, where an agent can read it and turn it into a
 * complaint by hand; never answered. The same message filed again is kept once.
 */
export async function setAsideMail(
  database: Database,
  m: { kind: string; reason: string; from: string | null; subject: string; messageId: string | null; bodyHash: string; rawSha256: string; excerpt: string },
): Promise<EmailOutcome> {
  await inTransaction(database, (tx) =>
    tx.execute(sql`
      insert into inbound_rejects (kind, reason, from_address, subject, message_id, body_hash, raw_sha256, excerpt)
      values (${m.kind}, ${m.reason}, ${m.from}, ${m.subject}, ${m.messageId}, ${m.bodyHash}, ${m.rawSha256}, ${m.excerpt.slice(0, EXCERPT)})
      on conflict do nothing`),
  );
  return { outcome: 'not_a_complaint', kind: m.kind, reason: m.reason };
}

async function findStored(database: Database, mail: InboundMail, from: string): Promise<{ code: string | null } | null> {
  if (!mail.messageId) return null;
  const r = await database.db.execute<{ code: string | null }>(sql`
    select c.code from mail_messages m left join complaints c on c.id = m.complaint_id
    where m.message_id = ${mail.messageId} and m.from_address = ${from} and m.body_hash = ${mail.bodyHash} limit 1`);
  return r.rows[0] ?? null;
}

interface ThreadTarget {
  id: string;
  code: string;
  customerEmail: string | null;
  /** The language the complaint is written to its customer in: a complaint continuing it keeps it. */
  language: Language;
  /** When the mail referenced is one Sen sent from its outbox: to whom, and why (its dedupe key). */
  sentTo?: { address: string; dedupeKey: string };
}

/**
 * The complaint a reply belongs to: one whose mail (received or sent) it references — ids only Sen
 * and the correspondents know — or the code in its subject when the sender is that complaint's customer.
 */
async function findThread(database: Database, mail: InboundMail, from: string): Promise<ThreadTarget | null> {
  const refs = [...new Set([...mail.inReplyTo, ...mail.references])];
  if (refs.length) {
    // Mail queued through the outbox is recorded with body_hash 'outbox:<its dedupe key>'. Sen's own mail in
    // the references decides whose thread it is (a supplier's follow-up also quotes their own first answer),
    // the newest first; a received mail only when the reply quotes none of Sen's.
    const r = await database.db.execute<{
      id: string;
      code: string;
      language: Language;
      customer_email: string | null;
      to_address: string | null;
      dedupe_key: string | null;
    }>(sql`
      select c.id, c.code, c.language, cu.email as customer_email, o.to_address, o.dedupe_key
      from mail_messages m join complaints c on c.id = m.complaint_id join customers cu on cu.id = c.customer_id
      left join outbound_messages o on m.direction = 'out' and m.body_hash like 'outbox:%' and o.dedupe_key = substr(m.body_hash, 8)
      where m.message_id in (${sql.join(refs.map((x) => sql`${x}`), sql`, `)}) and cu.anonymised_at is null
      order by m.direction = 'out' desc, m.created_at desc limit 1`);
    const row = r.rows[0];
    if (row) {
      return {
        id: row.id,
        code: row.code,
        language: row.language,
        customerEmail: row.customer_email,
        ...(row.to_address && row.dedupe_key ? { sentTo: { address: row.to_address.trim().toLowerCase(), dedupeKey: row.dedupe_key } } : {}),
      };
    }
  }
  const code = complaintCodeInSubject(mail.subject);
  if (code) {
    const r = await database.db.execute<{ id: string; code: string; language: Language }>(sql`
      select c.id, c.code, c.language from complaints c join customers cu on cu.id = c.customer_id where c.code = ${code} and cu.email = ${from}`);
    if (r.rows[0]) return { ...r.rows[0], customerEmail: from };
  }
  return null;
}

/**
 * The complaint a merged one carries on in, when that is the same customer's (a merge into another customer's
 * complaint never leads their mail there), following merges of merges; null when it was not merged.
 */
async function mergedInto(database: Database, complaintId: string): Promise<string | null> {
  let id = complaintId;
  let code: string | null = null;
  for (let hops = 0; hops < 5; hops += 1) {
    const r = await database.db.execute<{ into: string; into_id: string }>(sql`
      select c.code as into, c.id as into_id from complaints m
      join timeline_events e on e.complaint_id = m.id
      join complaints c on c.code = e.payload->>'mergedInto'
      where m.id = ${id} and m.status = 'merged' and e.type = 'status.changed' and e.payload->>'to' = 'merged'
        and e.payload->>'sameCustomer' = 'true'
      order by e.seq desc limit 1`);
    const next = r.rows[0];
    if (!next) return code;
    code = next.into;
    id = next.into_id;
  }
  return code;
}

/** Adds the mail to its complaint as a customer message; null when the complaint is over (a new one is opened). */
async function threadOnto(
  opts: ReceiveEmailOptions,
  target: { code: string },
  from: string,
  rawSha256: string,
  filesStored: Promise<StoredFile[]>,
): Promise<EmailOutcome | null> {
  const sla = await loadSlaContext(opts.database);
  return inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, target.code);
    // Step 5: a reply to a resolved or closed complaint reopens it within the reopen window; after it, a new linked complaint.
    const reopens = await replyReopens(tx, c, opts.now ?? new Date(), sla.workflow);
    if (reopens === false || (reopens === null && TERMINAL_STATUSES.includes(c.status))) return null;
    if (!(await recordMessage(tx, c.id, opts.mail, from, rawSha256))) return { outcome: 'duplicate', code: c.code } as const;
    const at = opts.now ?? new Date();
    const actor = { kind: 'customer' as const, id: null, channel: 'email' as const };
    const attachments = await filesStored;
    const running = OPEN_STATUSES.includes(c.status) || reopens === true;
    const { clocks, changed } = applyClockActions(c.clocks, running ? [{ op: 'start', kind: 'next_response' }] : [], at, sla);
    let head = await appendEvent(
      tx,
      c,
      actor,
      'message.received',
      {
        body: opts.mail.text.slice(0, 20_000),
        subject: opts.mail.subject,
        from,
        messageId: opts.mail.messageId,
        ...(attachments.length ? { attachments } : {}),
        ...(changed.length ? { clocks: changed } : {}),
      },
      at,
    );
    await listAttachments(tx, c.id, head.eventCount, attachments);
    // A reply while the customer was asked for information is their answer to it.
    head = await fulfilInformationRequestsByEmail(tx, head, { actor, answer: opts.mail.text, attachments, at });
    if (c.status === 'awaiting_customer') {
      const resumed = applyClockActions(clocks, [{ op: 'resume', kind: 'resolution' }], at, sla);
      Object.assign(clocks, resumed.clocks);
      await tx.execute(sql`update complaints set status = 'investigating' where id = ${c.id}`);
      head = await appendEvent(tx, head, actor, 'status.changed', { from: 'awaiting_customer', to: 'investigating', cause: 'customer_message', clocks: resumed.changed }, at);
    }
    if (reopens) {
      const reason = opts.mail.text.trim() || opts.mail.subject.trim() || 'Trả lời qua email';
      const reopened = await reopenLocked(tx, { complaint: c, head, clocks, actor, reason, at, sla });
      Object.assign(clocks, reopened.clocks);
      head = reopened.head;
    }
    await saveClocks(tx, c.id, clocks, sla);
    return { outcome: 'threaded', code: c.code } as const;
  });
}

/**
 * A reply to a consultation mail from the party it was sent to, while that consultation is open:
 * recorded as its answer, the mail's attachments as the answer's files; null otherwise.
 */
async function answerConsultationReply(opts: ReceiveEmailOptions, target: ThreadTarget, from: string, rawSha256: string): Promise<EmailOutcome | null> {
  const m = /^consultation:([0-9a-f-]{36}):(.+)$/.exec(target.sentTo?.dedupeKey ?? '');
  if (!m) return null;
  const answered = await answerConsultationByEmail({
    database: opts.database,
    files: opts.files,
    id: m[1],
    nonce: m[2],
    from,
    answer: opts.mail.text.trim() || opts.mail.subject,
    uploads: opts.mail.attachments.map((a) => ({ filename: a.filename, content: a.content, sniffedType: a.contentType })),
    now: opts.now,
    // Recorded as received with the answer, so that the same mail delivered again is recognised, not set aside.
    recordMail: (tx, complaintId) => recordMessage(tx, complaintId, opts.mail, from, rawSha256),
  });
  if (!answered) return null;
  return { outcome: 'threaded', code: target.code };
}

/** Records the message once; false when it was already recorded (same id, sender and body). */
async function recordMessage(tx: Tx, complaintId: string, mail: InboundMail, from: string, rawSha256: string): Promise<boolean> {
  const r = await tx.execute(sql`
    insert into mail_messages (complaint_id, direction, message_id, from_address, subject, body_hash, raw_sha256)
    values (${complaintId}, 'in', ${mail.messageId}, ${from}, ${mail.subject}, ${mail.bodyHash}, ${rawSha256})
    on conflict do nothing`);
  return (r.rowCount ?? 0) > 0;
}

/** Stores each attachment's bytes by hash, to be listed on a complaint as evidence. */
async function storeFiles(opts: ReceiveEmailOptions): Promise<StoredFile[]> {
  return Promise.all(
    opts.mail.attachments.map(async (a) => {
      const { sha256, size } = await opts.files.put(a.content, a.sha256);
      return { filename: a.filename, contentType: a.contentType, size, sha256 };
    }),
  );
}

/** Lists stored files on the complaint as evidence, with the event (seq) that added them. */
async function listAttachments(tx: Tx, complaintId: string, eventSeq: number, files: StoredFile[]): Promise<void> {
  for (const f of files) {
    await tx.execute(sql`
      insert into attachments (complaint_id, event_id, filename, content_type, size, sha256)
      values (${complaintId}, ${eventSeq}, ${f.filename}, ${f.contentType}, ${f.size}, ${f.sha256})`);
  }
}

/** A stable id for a message that has none: its date, sender, subject and body decide it. */
function syntheticMessageId(mail: InboundMail): string {
  const basis = [mail.date?.toISOString() ?? '', mail.from?.address ?? '', mail.subject, mail.bodyHash].join('\n');
  return `sen-${createHash('sha256').update(basis).digest('hex').slice(0, 32)}@no-message-id`;
}
