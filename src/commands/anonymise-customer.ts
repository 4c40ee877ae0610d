import { rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { vietnamYear } from '../domain/codes';
import { AppError } from '../domain/errors';
import { TERMINAL_STATUSES } from '../domain/lifecycle';
import { ANONYMISED_EVENT, ANONYMISED_NAME, REDACTED, redactPayload } from '../domain/personal-data';
import { complaintSearchText } from '../domain/search-text';
import type { FileStore } from '../files/store';
import { recordErasures } from '../files/erasure-ledger';
import type { Actor } from './actor';
import { appendEvent } from './timeline';
import { eventHash } from '../domain/timeline-hash';
import { inTransaction, type Tx } from './transaction';

export interface AnonymiseCustomerOptions {
  database: Database;
  files: FileStore;
  /** Where outbound mail is written as .eml files when no mail server is set (DATA_DIR/outbox): theirs are deleted. */
  outboxDir?: string;
  actor: Actor;
  customerId: string;
  /** Why: the customer asked (a data-subject request), or their data's retention period ended. */
  reason: 'request' | 'retention';
  /** What the request was, for the record (e.g. its reference); never personal data. */
  note?: string;
  /**
   * The data folder whose erasure ledger (and backups' ledgers) the erasure is written to once committed,
   * so that restoring a backup made before it does not bring the data back (files/erasure-ledger.ts).
   */
  ledgerDir?: string;
  /**
   * Erase even while a complaint of theirs is open: only to erase again, after a restore, a customer erased
   * later than the backup was made (their complaints were closed then; the backup may not know it).
   */
  reapply?: boolean;
  now?: Date;
}

export interface AnonymiseResult {
  customerId: string;
  complaints: string[];
  /** Timeline events whose payload was redacted. */
  redactedEvents: number;
  /** Evidence files, mails and dossiers deleted from the file store. */
  filesDeleted: number;
  /** True when the customer had been erased already: nothing was done. */
  already: boolean;
  /**
   * The erasure's line in the ledger (with `ledgerDir`): written or not (`error`), and the backups whose ledger could
   * not be written (restoring one of them would bring the data back until the next start re-erases from DATA_DIR's ledger).
   */
  ledger: { written: boolean; backupsFailed: string[]; error?: string };
}

type Row = Record<string, unknown>;

/**
 * Ẩn danh dữ liệu khách hàng — erases a customer's personal data (Law 91/2025 Art. 14: on their request or
 * when the retention period ends) from every place Sen keeps it: their record, their complaints' texts,
 * mails, files, calls, information requests, consultations, proposals, surveys, dossiers, notifications and reminders,
 * and the payloads of their complaints' timeline events. What stays is what the statistics and the audit
 * need: codes, dates, statuses, channels, categories, amounts. Each complaint's timeline gets a
 * `personal_data.anonymised` event listing the events it redacted, so `sen audit verify` still checks the
 * whole chain. Refused while a complaint of theirs is still being handled.
 */
export async function anonymiseCustomer(opts: AnonymiseCustomerOptions): Promise<AnonymiseResult> {
  const at = opts.now ?? new Date();
  const out = await inTransaction(opts.database, async (tx) => {
    // Intakes hold their year's counter until they commit: taking the counters waits for the intakes under way
    // (whose new complaints are then seen below, and refuse the erasure if they are this customer's) and makes
    // the next ones wait, so that none attaches a complaint to a customer being erased; they then find no one
    // by the erased contacts and make a new customer.
    // This year's counter and next year's (an intake at the turn of the year would otherwise make a new one, unlocked).
    await tx.execute(sql`insert into complaint_sequences (year, last_value) values (${vietnamYear(at)}, 0), (${vietnamYear(at) + 1}, 0) on conflict do nothing`);
    await tx.execute(sql`select year from complaint_sequences order by year for update`);
    const found = await tx.execute<Row>(sql`select id, phone_e164, email, anonymised_at from customers where id = ${opts.customerId} for update`);
    const customer = found.rows[0];
    if (!customer) throw new AppError('customer_not_found');
    if (customer.anonymised_at) return { complaints: [] as string[], redactedEvents: 0, shas: [] as string[], outbound: [] as string[], already: true };
    const complaints = (
      await tx.execute<Row>(sql`
        select id, code, status, event_count, last_event_hash from complaints where customer_id = ${opts.customerId} order by id for update`)
    ).rows;
    const open = complaints.filter((c) => !(TERMINAL_STATUSES as readonly string[]).includes(c.status as string));
    if (open.length && !opts.reapply) throw new AppError('customer_has_open_complaints', { complaints: open.map((c) => c.code as string).sort() });
    const ids = complaints.map((c) => c.id as string);
    const shas = ids.length ? await filesOf(tx, ids) : [];
    // Every phone and email they used: their record's and those they gave with a complaint.
    const contacts = await contactsOf(tx, ids, customer);
    const outbound = ids.length
      ? (await tx.execute<{ id: string }>(sql`select id from outbound_messages where complaint_id in ${inList(ids)}`)).rows.map((r) => r.id)
      : [];
    let redactedEvents = 0;
    for (const c of complaints) redactedEvents += await eraseComplaint(tx, c, opts, at);
    shas.push(...(await eraseSetAside(tx, ids, contacts.emails)));
    await eraseElsewhere(tx, opts.customerId, ids, contacts);
    await tx.execute(sql`
      update customers set name = ${ANONYMISED_NAME}, phone_e164 = null, email = null, search_name = '',
        anonymised_at = ${at.toISOString()}, updated_at = ${at.toISOString()}
      where id = ${opts.customerId}`);
    // Records of the same person merged into this one (gộp hồ sơ) kept only a name: erased with it.
    await tx.execute(sql`
      update customers set name = ${ANONYMISED_NAME}, search_name = '', anonymised_at = ${at.toISOString()}, updated_at = ${at.toISOString()}
      where merged_into = ${opts.customerId} and anonymised_at is null`);
    // Their files, to delete once this commits; queued with it, so that a deletion that fails is tried again.
    const queued = [...new Set(shas)].filter((x) => /^[0-9a-f]{64}$/.test(x));
    if (queued.length) {
      await tx.execute(sql`insert into file_deletions (sha256) values ${sql.join(queued.map((x) => sql`(${x})`), sql`, `)} on conflict do nothing`);
    }
    return { complaints: complaints.map((c) => c.code as string), redactedEvents, shas, outbound, already: false };
  });
  if (out.already) return { customerId: opts.customerId, complaints: [], redactedEvents: 0, filesDeleted: 0, already: true, ledger: { written: false, backupsFailed: [] } };
  // The erasure is committed: nothing after this may turn its answer into an error. The copies of their mails in the
  // outbox folder go first; a file that cannot be deleted now stays queued for the retention job.
  if (opts.outboxDir) {
    for (const id of out.outbound) await rm(path.join(opts.outboxDir, `${id}.eml`), { force: true }).catch(() => undefined);
  }
  const filesDeleted = await purgeFiles(opts.database, opts.files, out.shas).catch(() => 0);
  // A ledger line that cannot be written now (a disk error) is added by the retention job's next round
  // (completeErasureLedger), from the database, which shows the erasure.
  let ledger: AnonymiseResult['ledger'] = { written: false, backupsFailed: [] };
  if (opts.ledgerDir) {
    ledger = await recordErasures(opts.ledgerDir, [{ customerId: opts.customerId, at: at.toISOString(), reason: opts.reason }]).then(
      (r) => ({ written: true, backupsFailed: r.backupsFailed }),
      (err: unknown) => ({ written: false, backupsFailed: [], error: err instanceof Error ? err.message : String(err) }),
    );
  }
  return { customerId: opts.customerId, complaints: out.complaints, redactedEvents: out.redactedEvents, filesDeleted, already: false, ledger };
}

const inList = (ids: string[]) =>
  sql`(${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;

/** The files kept for these complaints: evidence, raw mails, dossiers. */
async function filesOf(tx: Tx, ids: string[]): Promise<string[]> {
  const r = await tx.execute<{ sha: string }>(sql`
    select sha256 as sha from attachments where complaint_id in ${inList(ids)}
    union select raw_sha256 from mail_messages where complaint_id in ${inList(ids)} and raw_sha256 is not null
    union select dossier_pdf_sha256 from escalations where complaint_id in ${inList(ids)} and dossier_pdf_sha256 is not null
    union select dossier_zip_sha256 from escalations where complaint_id in ${inList(ids)} and dossier_zip_sha256 is not null`);
  return r.rows.map((x) => x.sha);
}

/** One complaint's texts and the payloads of its events; returns how many events were redacted. */
async function eraseComplaint(tx: Tx, c: Row, opts: AnonymiseCustomerOptions, at: Date): Promise<number> {
  const id = c.id as string;
  const events = (
    await tx.execute<{ seq: number; type: string; actor_type: string; actor_id: string | null; channel: string; payload: Record<string, unknown>; created_at: string | Date; prev_hash: string }>(sql`
      select seq, type, actor_type, actor_id, channel, payload, created_at, prev_hash from timeline_events where complaint_id = ${id} order by seq`)
  ).rows;
  const changed: { seq: number; payload: string; hash: string }[] = [];
  for (const e of events) {
    const redacted = redactPayload(e.payload) as Record<string, unknown>;
    if (JSON.stringify(redacted) === JSON.stringify(e.payload)) continue;
    const hash = eventHash({
      complaintId: id,
      seq: e.seq,
      type: e.type,
      actorType: e.actor_type,
      actorId: e.actor_id,
      channel: e.channel,
      payload: redacted,
      createdAt: new Date(e.created_at),
      prevHash: e.prev_hash,
    });
    changed.push({ seq: e.seq, payload: JSON.stringify(redacted), hash });
  }
  for (const e of changed) {
    await tx.execute(sql`update timeline_events set payload = ${e.payload}::jsonb where complaint_id = ${id} and seq = ${e.seq}`);
  }
  const code = c.code as string;
  await tx.execute(sql`
    update complaints set subject = ${REDACTED}, description = ${REDACTED}, order_ref = null, product = null, customer_province = null,
      search_text = ${complaintSearchText({ code, subject: REDACTED, description: '' })}
    where id = ${id}`);
  await tx.execute(sql`delete from unconfirmed_contacts where complaint_id = ${id}`);
  await tx.execute(sql`update mail_messages set from_address = '', subject = ${REDACTED} where complaint_id = ${id}`);
  await tx.execute(sql`
    update outbound_messages set to_address = '', subject = ${REDACTED}, text = ${REDACTED}, html = ${REDACTED}, attachments = null,
      status = case when status = 'queued' then 'failed' else status end,
      last_error = case when status = 'queued' then 'personal data erased' else last_error end
    where complaint_id = ${id}`);
  await tx.execute(sql`
    update sms_messages set to_phone = '', text = ${REDACTED},
      status = case when status = 'queued' then 'failed' else status end,
      last_error = case when status = 'queued' then 'personal data erased' else last_error end
    where complaint_id = ${id}`);
  await tx.execute(sql`
    update attachments set filename = ${REDACTED}, verification_note = case when verification_note is null then null else ${REDACTED} end
    where complaint_id = ${id}`);
  const items = (await tx.execute<{ id: string; items: unknown }>(sql`select id, items from info_requests where complaint_id = ${id}`)).rows;
  for (const r of items) {
    await tx.execute(sql`
      update info_requests set items = ${JSON.stringify(redactPayload(r.items))}::jsonb, message = ${REDACTED},
        answer = case when answer is null then null else ${REDACTED} end
      where id = ${r.id}`);
  }
  await tx.execute(sql`
    update consultations set question = ${REDACTED}, answer = case when answer is null then null else ${REDACTED} end where complaint_id = ${id}`);
  const proposals = (await tx.execute<{ id: string; implementation: unknown }>(sql`
    select id, implementation from proposals where complaint_id = ${id}`)).rows;
  for (const p of proposals) {
    await tx.execute(sql`
      update proposals set description = ${REDACTED}, decision_note = case when decision_note is null then null else ${REDACTED} end,
        implementation = ${p.implementation === null ? null : JSON.stringify(redactPayload(p.implementation))}::jsonb
      where id = ${p.id}`);
  }
  // A survey not sent yet is not sent; the links of those sent stop working (a new nonce).
  await tx.execute(sql`delete from surveys where complaint_id = ${id} and sent_at is null`);
  await tx.execute(sql`update surveys set comment = null, link_nonce = md5(random()::text || id::text) where complaint_id = ${id}`);
  await tx.execute(sql`
    update escalations set reason = ${REDACTED}, outcome = case when outcome is null then null else ${REDACTED} end,
      dossier_pdf_sha256 = null, dossier_zip_sha256 = null
    where complaint_id = ${id}`);
  await tx.execute(sql`
    update calls set caller_e164 = null, recording_url = null, notes = case when notes is null then null else ${REDACTED} end
    where complaint_id = ${id}`);
  // Staff's reminders stay (they still say when to look again), their lines about the customer go.
  await tx.execute(sql`update reminders set note = ${REDACTED} where complaint_id = ${id} and note <> ''`);
  const notes = (await tx.execute<{ id: number; payload: unknown }>(sql`select id, payload from notifications where complaint_id = ${id}`)).rows;
  for (const n of notes) {
    await tx.execute(sql`update notifications set payload = ${JSON.stringify(redactPayload(n.payload))}::jsonb where id = ${n.id}`);
  }
  await appendEvent(
    tx,
    { id, eventCount: Number(c.event_count), lastEventHash: c.last_event_hash as string },
    opts.actor,
    ANONYMISED_EVENT,
    { reason: opts.reason, redacted: changed.map((x) => ({ seq: x.seq, hash: x.hash })), ...(opts.note ? { note: opts.note } : {}) },
    at,
  );
  return changed.length;
}

interface Contacts {
  phones: string[];
  emails: string[];
}

/** The phones and emails on the customer's record and those they gave with their complaints (kept unconfirmed). */
async function contactsOf(tx: Tx, ids: string[], customer: Row): Promise<Contacts> {
  const phones = new Set<string>(customer.phone_e164 ? [customer.phone_e164 as string] : []);
  const emails = new Set<string>(customer.email ? [customer.email as string] : []);
  if (ids.length) {
    const r = await tx.execute<{ kind: string; value: string }>(sql`select kind, value from unconfirmed_contacts where complaint_id in ${inList(ids)}`);
    for (const c of r.rows) (c.kind === 'phone' ? phones : emails).add(c.value);
  }
  return { phones: [...phones], emails: [...emails] };
}

const textList = (xs: string[]) =>
  sql`(${sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  )})`;

/**
 * Where their contacts are kept outside their complaints: idempotency keys of their mails (the sender's
 * address is part of the key), calls not linked to a complaint, contacts noted on other people's complaints,
 * and their requests about their data — of which the record that they were dealt with stays (which, when, the
 * outcome) once closed; an open one keeps how to reach them until it is closed (see closeDataRequest).
 */
async function eraseElsewhere(tx: Tx, customerId: string, ids: string[], contacts: Contacts): Promise<void> {
  if (ids.length) {
    await tx.execute(sql`update idempotency_keys set key = encode(sha256(convert_to(key, 'UTF8')), 'hex') where complaint_id in ${inList(ids)} and key like '%@%'`);
  }
  const values = [...contacts.phones, ...contacts.emails];
  // Staff writes' answers kept a day for retries (request-claim.ts) that show them: their complaint, their contacts.
  const marks = [customerId, ...ids, ...values];
  await tx.execute(sql`
    delete from idempotency_keys k where k.scope like 'http:%' and k.response_body is not null
      and (exists (select 1 from unnest(${sql`array[${sql.join(marks.map((m) => sql`${m}`), sql`, `)}]::text[]`}) m where position(m in k.response_body) > 0)
        or exists (select 1 from complaints c where c.customer_id = ${customerId} and position(c.code in k.response_body) > 0))`);
  if (contacts.phones.length) {
    await tx.execute(sql`
      update calls set caller_e164 = null, recording_url = null, notes = case when notes is null then null else ${REDACTED} end
      where complaint_id is null and caller_e164 in ${textList(contacts.phones)}`);
  }
  if (values.length) {
    await tx.execute(sql`delete from unconfirmed_contacts where value in ${textList(values)}`);
    // An open request found by one of their contacts becomes theirs, so that closing it erases who asked.
    await tx.execute(sql`update data_requests set customer_id = ${customerId} where status = 'open' and customer_id is null and contact in ${textList(values)}`);
    // What was done (outcome_note, staff's words) stays with the record, as when one is closed later.
    await tx.execute(sql`
      update data_requests set requester_name = ${REDACTED}, contact = ${REDACTED}, details = ${REDACTED},
        extension_reason = case when extension_reason is null then null else ${REDACTED} end,
        reply_note = case when reply_note is null then null else ${REDACTED} end
      where status <> 'open' and (customer_id = ${customerId} or contact in ${textList(values)})`);
  }
}

/** Mails set aside (not made into complaints) from the customer's addresses, or made into theirs: deleted. */
async function eraseSetAside(tx: Tx, ids: string[], emails: string[]): Promise<string[]> {
  const conditions = [
    ...(ids.length ? [sql`converted_complaint_id in ${inList(ids)}`] : []),
    ...(emails.length ? [sql`lower(from_address) in ${textList(emails)}`] : []),
  ];
  if (!conditions.length) return [];
  const r = await tx.execute<{ raw_sha256: string }>(sql`delete from inbound_rejects where ${sql.join(conditions, sql` or `)} returning raw_sha256`);
  return r.rows.map((x) => x.raw_sha256);
}

/**
 * A file written or stored again this recently is not deleted yet: an upload of the same bytes may have
 * stored it and not yet committed the row that refers to it. The retention job tries again later.
 */
export const RECENT_FILE_MS = 60_000;

/** Of these files, those no customer not erased refers to (evidence, raw mail, set-aside mail, dossiers). */
async function unreferencedFiles(database: Database, shas: string[]): Promise<Set<string>> {
  const r = await database.pool.query<{ sha: string }>(
    `select s as sha from unnest($1::text[]) s
     where not exists (select 1 from attachments a join complaints c on c.id = a.complaint_id join customers cu on cu.id = c.customer_id
                       where a.sha256 = s and cu.anonymised_at is null)
       and not exists (select 1 from mail_messages m left join complaints c on c.id = m.complaint_id left join customers cu on cu.id = c.customer_id
                       where m.raw_sha256 = s and cu.anonymised_at is null)
       and not exists (select 1 from inbound_rejects r where r.raw_sha256 = s)
       and not exists (select 1 from escalations e where e.dossier_pdf_sha256 = s or e.dossier_zip_sha256 = s)`,
    [shas],
  );
  return new Set(r.rows.map((x) => x.sha));
}

/**
 * Deletes from the file store the queued files of erased customers (file_deletions) that nothing else
 * still refers to — the same bytes may be another customer's evidence too, and those are kept — and takes
 * them off the queue. One written in the last minute stays queued (RECENT_FILE_MS); one whose deletion
 * fails stays queued with the error. Safe to run again and in several processes: a file already gone is done.
 */
export async function purgeFiles(database: Database, files: FileStore, shas: string[], now = new Date()): Promise<number> {
  const unique = [...new Set(shas)].filter((s) => /^[0-9a-f]{64}$/.test(s));
  if (!unique.length) return 0;
  const unreferenced = await unreferencedFiles(database, unique);
  let deleted = 0;
  const done: string[] = [];
  const failed: { sha: string; error: string }[] = [];
  for (const sha of unique) {
    // Another customer's too: kept, and no longer ours to delete.
    if (!unreferenced.has(sha)) {
      done.push(sha);
      continue;
    }
    try {
      // Stored in the last minute, or referred to since the question above (an upload of the same bytes that
      // committed meanwhile): kept for now; the next round asks again.
      const outcome = await files.removeUnlessTouched(sha, now.getTime() - RECENT_FILE_MS, async () => (await unreferencedFiles(database, [sha])).has(sha));
      if (outcome === 'kept') continue;
      if (outcome === 'removed') deleted += 1;
      done.push(sha);
    } catch (err) {
      failed.push({ sha, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (done.length) await database.pool.query('delete from file_deletions where sha256 = any($1::text[])', [done]);
  if (failed.length) {
    await database.pool.query(
      `update file_deletions d set attempts = attempts + 1, last_error = f.error
       from unnest($1::text[], $2::text[]) as f(sha, error) where d.sha256 = f.sha`,
      [failed.map((f) => f.sha), failed.map((f) => f.error)],
    );
  }
  return deleted;
}

/**
 * The queued deletions (a round's worth) for the retention job to try again: those tried least first, then the
 * oldest, so that a file the disk keeps refusing does not hold back the others.
 */
export async function queuedFileDeletions(database: Database, limit = 1000): Promise<string[]> {
  const r = await database.pool.query<{ sha256: string }>('select sha256 from file_deletions order by attempts, queued_at, sha256 limit $1', [limit]);
  return r.rows.map((x) => x.sha256);
}
