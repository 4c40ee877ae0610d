import { createHash, randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/open';
import { formatComplaintCode, vietnamYear } from '../domain/codes';
import { nationalPhone } from '../domain/contacts';
import { AppError } from '../domain/errors';
import { CONSENT_VERSION, normalizeIntake, type NormalizedIntake, type RawIntake } from '../domain/intake';
import type { Channel, Priority } from '../domain/schemas';
import { clocksToJson, nearestRunningDue, nextAlertAt, openingClocks } from '../domain/clocks';
import { complaintSearchText, foldText } from '../domain/search-text';
import { loadSlaContext, type SlaContext } from '../db/queries/settings';
import { receiptMail } from '../mail/receipt';
import { signStatusLink } from '../domain/signed-links';
import { canonicalJson, eventHash } from '../domain/timeline-hash';
import type { Actor } from './actor';
import { inTransaction, type Tx } from './transaction';

export interface CreateComplaintOptions {
  database: Database;
  actor: Actor;
  channel: Channel;
  input: RawIntake & { categoryId?: string; priority?: Priority };
  /** Customers must tick consent themselves; staff record it when given. */
  requireConsent: boolean;
  idempotencyKey?: string;
  /** Separates key spaces, e.g. the portal and each staff user. */
  idempotencyScope?: string;
  now?: Date;
  /** Send the customer a receipt by email (when they gave one), queued in the same transaction. */
  receipt?: ReceiptSettings;
}

export interface ReceiptSettings {
  baseUrl: string;
  companyName: string;
  locale: 'vi' | 'en';
}

export interface CreatedComplaint {
  id: string;
  code: string;
  replayed: boolean;
  /** The promise made at intake; absent on a replay, whose complaint may have moved on since. */
  created?: { receivedAt: Date; acknowledgementDueAt: Date; resolutionDueAt: Date };
}

/** Tiếp nhận khiếu nại — records a new complaint with its customer, code, deadlines and first event. */
export async function createComplaint(opts: CreateComplaintOptions): Promise<CreatedComplaint> {
  const intake = normalizeIntake(opts.input, { requireConsent: opts.requireConsent });
  const requestHash = createHash('sha256')
    .update(canonicalJson({ channel: opts.channel, input: opts.input }))
    .digest('hex');
  return batcherOf(opts.database).submit({ opts, intake, requestHash, scope: opts.idempotencyScope ?? 'default' });
}

interface IntakeJob {
  opts: CreateComplaintOptions;
  intake: NormalizedIntake;
  requestHash: string;
  scope: string;
}

/** A job that passed its checks and waits for its number. */
interface PreparedIntake {
  job: IntakeJob;
  customer: CustomerRow;
  receivedAt: Date;
  year: number;
}

const MAX_BATCH = 64;
/**
 * Batches written at once. Overlapping a second batch's lock-free part with the first one's commit
 * was measured (bench/profile-intake.ts, PostgreSQL, 2 cores): 1 in flight 1,925/s, 2: 1,864/s,
 * 4: 1,485/s — the machine is CPU-bound, so overlap only adds lock waits. Kept as a knob.
 */
const MAX_IN_FLIGHT = 1;
const batchers = new WeakMap<Database, IntakeBatcher>();

function batcherOf(database: Database): IntakeBatcher {
  let b = batchers.get(database);
  if (!b) batchers.set(database, (b = new IntakeBatcher(database)));
  return b;
}

/**
 * Group commit for intakes. Gap-free codes need the year's counter locked until commit, which
 * serialises intakes; so the intakes that arrive while one transaction commits are written together
 * in the next one, sharing its lock and its disk flush. Each intake either succeeds whole or writes nothing, and a fault fails the whole transaction, so
 * no caller is told "stored" for a lost record.
 */
class IntakeBatcher {
  private queue: { job: IntakeJob; resolve: (r: CreatedComplaint) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(private readonly database: Database) {}

  submit(job: IntakeJob): Promise<CreatedComplaint> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  /** PGlite runs one transaction at a time anyway; PostgreSQL overlaps two. */
  private get maxInFlight(): number {
    return this.database.kind === 'pglite' ? 1 : MAX_IN_FLIGHT;
  }

  private pump(): void {
    while (this.queue.length && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async run(batch: IntakeBatcher['queue']): Promise<void> {
    let outcomes: Outcome[];
    try {
      const sla = await loadSlaContext(this.database);
      outcomes = await inTransaction(this.database, (tx) => writeBatch(tx, batch.map((b) => b.job), sla));
    } catch (err) {
      outcomes = batch.map(() => ({ ok: false, error: err }));
    }
    batch.forEach((b, i) => {
      const o = outcomes[i];
      if (o.ok) b.resolve(o.value);
      else b.reject(o.error);
    });
  }
}

/** Writes a batch of intakes in one transaction; a job refused for its own reason writes nothing. */
async function writeBatch(tx: Tx, jobs: IntakeJob[], sla: SlaContext) {
  const outcomes: Outcome[] = [];
  const prepared: { index: number; p: PreparedIntake }[] = [];
  // A key repeated inside one batch is answered from its first use once that is written.
  const firstUse = new Map<string, number>();
  const repeats: { index: number; first: number }[] = [];
  const outcome = (i: number, o: (typeof outcomes)[number]) => (outcomes[i] = o);
  jobs.forEach((job, i) => {
    outcomes.push(UNSET);
    const keyId = job.opts.idempotencyKey ? `${job.scope}\u0000${job.opts.idempotencyKey}` : null;
    const first = keyId ? firstUse.get(keyId) : undefined;
    if (first !== undefined) repeats.push({ index: i, first });
    else if (keyId) firstUse.set(keyId, i);
  });
  const repeated = new Set(repeats.map((r) => r.index));
  let live = jobs.map((_, i) => i).filter((i) => !repeated.has(i));

  // Phase 1, before the counter is locked, a few set-wise statements for the whole batch.
  const categoryIds = [...new Set(live.map((i) => jobs[i].opts.input.categoryId).filter((x): x is string => !!x))];
  if (categoryIds.length) {
    const found = await tx.execute<{ id: string }>(sql`select id::text as id from categories where ${inList(sql`id::text`, categoryIds)}`);
    const known = new Set(found.rows.map((r) => r.id));
    live = live.filter((i) => {
      const id = jobs[i].opts.input.categoryId;
      if (!id || known.has(id)) return true;
      outcome(i, { ok: false, error: new AppError('validation_failed', { fields: [{ field: 'categoryId', code: 'not_found' }] }) });
      return false;
    });
  }
  const replays = await claimIdempotencyKeys(tx, live.map((i) => jobs[i]));
  live = live.filter((i) => {
    const r = replays.get(jobs[i]);
    if (!r) return true;
    outcome(i, r);
    return false;
  });
  const customers = await upsertCustomers(tx, live.map((i) => jobs[i].intake.customer));
  live.forEach((i, n) => {
    const receivedAt = jobs[i].opts.now ?? new Date();
    prepared.push({ index: i, p: { job: jobs[i], customer: customers[n], receivedAt, year: vietnamYear(receivedAt) } });
  });
  const answerRepeats = () => {
    for (const { index, first } of repeats) {
      const o = outcomes[first];
      if (!o.ok) outcomes[index] = o;
      else if (jobs[index].requestHash !== jobs[first].requestHash) {
        outcomes[index] = { ok: false, error: new AppError('idempotency_key_reused') };
      } else outcomes[index] = { ok: true, value: { ...o.value, replayed: true } };
    }
    return outcomes;
  };
  if (!prepared.length) return answerRepeats();
  // Phase 2: take the numbers (the lock is held until commit) and write every complaint in one statement.
  // One statement per year takes the numbers: it locks the counter until commit and moves it on.
  const perYear = new Map<number, number>();
  for (const { p } of prepared) perYear.set(p.year, (perYear.get(p.year) ?? 0) + 1);
  const next = new Map<number, number>();
  for (const [year, count] of perYear) {
    const r = await tx.execute<{ last_value: number }>(sql`
      insert into complaint_sequences (year, last_value) values (${year}, ${count})
      on conflict (year) do update set last_value = complaint_sequences.last_value + ${count}
      returning last_value`);
    next.set(year, r.rows[0].last_value - count);
  }
  const rows = prepared.map(({ index, p }) => {
    const seq = next.get(p.year)! + 1;
    next.set(p.year, seq);
    const row = buildComplaintRow(p, formatComplaintCode(p.year, seq), sla);
    const created = { receivedAt: p.receivedAt, acknowledgementDueAt: row.acknowledgementDueAt, resolutionDueAt: row.resolutionDueAt };
    outcomes[index] = { ok: true, value: { id: row.id, code: row.code, replayed: false, created } };
    return row;
  });
  await insertComplaints(tx, rows);
  await queueReceipts(tx, rows, sla);
  return answerRepeats();
}

interface ComplaintInsert {
  id: string;
  code: string;
  job: IntakeJob;
  customer: CustomerRow;
  at: string;
  acknowledgementDueAt: Date;
  resolutionDueAt: Date;
  sortDue: string;
  clocksJson: string;
  nextAlertAt: string | null;
  searchText: string;
  payload: Record<string, unknown>;
  hash: string;
}

function buildComplaintRow(p: PreparedIntake, code: string, sla: SlaContext): ComplaintInsert {
  const { opts, intake } = p.job;
  const id = randomUUID();
  const clocks = openingClocks(p.receivedAt, sla.policy, sla.cal);
  const acknowledgementDueAt = clocks.acknowledgement!.dueAt;
  const resolutionDueAt = clocks.resolution!.dueAt;
  const alertAt = nextAlertAt(clocks, sla.thresholds, sla.cal);
  const payload = {
    channel: opts.channel,
    subject: intake.subject,
    ...(intake.orderRef ? { orderRef: intake.orderRef } : {}),
  };
  const hash = eventHash({
    complaintId: id,
    seq: 1,
    type: 'complaint.created',
    actorType: opts.actor.kind,
    actorId: opts.actor.id,
    channel: opts.channel,
    payload,
    createdAt: p.receivedAt,
    prevHash: '',
  });
  return {
    id,
    code,
    job: p.job,
    customer: p.customer,
    at: p.receivedAt.toISOString(),
    acknowledgementDueAt,
    resolutionDueAt,
    sortDue: nearestRunningDue(Object.values(clocks)),
    clocksJson: JSON.stringify(clocksToJson(clocks)),
    nextAlertAt: alertAt ? alertAt.toISOString() : null,
    searchText: complaintSearchText({
      code,
      subject: intake.subject,
      description: intake.description,
      phoneE164: p.customer.phoneE164,
      phoneNational: p.customer.phoneE164 ? nationalPhone(p.customer.phoneE164) : null,
      email: p.customer.email,
      orderRef: intake.orderRef,
    }),
    payload,
    hash,
  };
}

/**
 * One statement for the whole batch: complaints, their first events, and their idempotency keys.
 * Columns go as arrays through unnest(), so the statement has a fixed shape and ~25 parameters
 * whatever the batch size (cheap to build, and PostgreSQL parses the same text each time).
 */
async function insertComplaints(tx: Tx, rows: ComplaintInsert[]): Promise<void> {
  // sql.param keeps an array one parameter (a bare array would be spread into a list).
  const col = <T>(f: (r: ComplaintInsert) => T) => sql.param(rows.map(f));
  const keyed = rows.filter((r) => r.job.opts.idempotencyKey);
  await tx.execute(sql`
    with c as (
      insert into complaints (id, code, status, channel, priority, subject, description, order_ref, customer_id,
        category_id, consent_at, consent_version, received_at, acknowledgement_due_at, resolution_due_at, sort_due,
        search_text, event_count, last_event_hash, created_at, updated_at, clocks, next_alert_at, product)
      select id, code, 'received', channel, priority, subject, description, order_ref, customer_id, category_id,
        case when consent then received_at end, case when consent then ${CONSENT_VERSION} end, received_at, ack_due, res_due,
        sort_due, search_text, 1, hash, received_at, received_at, clocks, next_alert_at, product
      from unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.code)}::text[], ${col((r) => r.job.opts.channel)}::text[],
        ${col((r) => r.job.opts.input.priority ?? 'normal')}::text[], ${col((r) => r.job.intake.subject)}::text[],
        ${col((r) => r.job.intake.description)}::text[], ${col((r) => r.job.intake.orderRef ?? null)}::text[],
        ${col((r) => r.customer.id)}::uuid[], ${col((r) => r.job.opts.input.categoryId ?? null)}::uuid[],
        ${col((r) => !!r.job.intake.consent)}::boolean[], ${col((r) => r.at)}::timestamptz[],
        ${col((r) => r.acknowledgementDueAt.toISOString())}::timestamptz[], ${col((r) => r.resolutionDueAt.toISOString())}::timestamptz[],
        ${col((r) => r.sortDue)}::timestamptz[], ${col((r) => r.searchText)}::text[], ${col((r) => r.hash)}::text[],
        ${col((r) => r.clocksJson)}::jsonb[], ${col((r) => r.nextAlertAt)}::timestamptz[], ${col((r) => r.job.intake.product)}::text[])
        as v(id, code, channel, priority, subject, description, order_ref, customer_id, category_id, consent, received_at,
             ack_due, res_due, sort_due, search_text, hash, clocks, next_alert_at, product)
      returning id
    ), e as (
      insert into timeline_events (complaint_id, seq, type, actor_type, actor_id, channel, payload, created_at, prev_hash, hash)
      select id, 1, 'complaint.created', actor_type, actor_id, channel, payload, created_at, '', hash
      from unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.job.opts.actor.kind)}::text[], ${col((r) => r.job.opts.actor.id)}::text[],
        ${col((r) => r.job.opts.channel)}::text[], ${col((r) => JSON.stringify(r.payload))}::jsonb[], ${col((r) => r.at)}::timestamptz[],
        ${col((r) => r.hash)}::text[]) as v(id, actor_type, actor_id, channel, payload, created_at, hash)
    )
    ${
      keyed.length
        ? sql`update idempotency_keys k set complaint_id = v.cid
              from unnest(${sql.param(keyed.map((r) => r.job.scope))}::text[], ${sql.param(keyed.map((r) => r.job.opts.idempotencyKey!))}::text[],
                          ${sql.param(keyed.map((r) => r.id))}::uuid[]) as v(scope, key, cid)
              where k.scope = v.scope and k.key = v.key`
        : sql`select count(*) from c`
    }`);
}

/**
 * The receipt mail of each new complaint whose customer gave an email, into the outbox in the same
 * transaction (so it is sent if and only if the complaint is stored), recorded with its Message-ID
 * so that the customer's reply threads back onto the complaint.
 */
async function queueReceipts(tx: Tx, rows: ComplaintInsert[], sla: SlaContext): Promise<void> {
  const wanted = rows.filter((r) => r.job.opts.receipt && r.customer.email);
  if (!wanted.length) return;
  const mails = wanted.map((r) => {
    const settings = r.job.opts.receipt!;
    const mail = receiptMail({
      to: r.customer.email!,
      customerName: r.customer.name,
      code: r.code,
      subject: r.job.intake.subject,
      receivedAt: new Date(r.at),
      acknowledgementDueAt: r.acknowledgementDueAt,
      resolutionDueAt: r.resolutionDueAt,
      statusUrl: mailedStatusUrlOf(settings.baseUrl, r.code, r.customer.email!, new Date(r.at), sla),
      companyName: settings.companyName,
      locale: settings.locale,
      template: sla.mailTemplates.receipt?.[settings.locale],
    });
    const domain = new URL(settings.baseUrl).hostname;
    return { r, mail, messageId: `${randomUUID()}@${domain}` };
  });
  const col = <T>(f: (m: (typeof mails)[number]) => T) => sql.param(mails.map(f));
  await tx.execute(sql`
    with o as (
      insert into outbound_messages (complaint_id, to_address, subject, text, html, locale, message_id, dedupe_key)
      select * from unnest(${col((m) => m.r.id)}::uuid[], ${col((m) => m.mail.to)}::text[], ${col((m) => m.mail.subject)}::text[],
        ${col((m) => m.mail.text)}::text[], ${col((m) => m.mail.html)}::text[], ${col((m) => m.mail.locale)}::text[],
        ${col((m) => `<${m.messageId}>`)}::text[], ${col((m) => `receipt:${m.r.id}`)}::text[])
      on conflict (dedupe_key) do nothing
    )
    insert into mail_messages (complaint_id, direction, message_id, from_address, subject, body_hash)
    select id, 'out', mid, '', subject, 'receipt' from unnest(${col((m) => m.r.id)}::uuid[], ${col((m) => m.messageId)}::text[],
      ${col((m) => m.mail.subject)}::text[]) as v(id, mid, subject)`);
}

/** The customer's status page for a complaint; with a status-link token it opens without typing the contact. */
export function statusUrlOf(baseUrl: string, code: string, token?: string): string {
  const url = `${baseUrl}/tra-cuu?code=${encodeURIComponent(code)}`;
  return token ? `${url}&t=${encodeURIComponent(token)}` : url;
}

/**
 * The status-page link of a mail to the customer at `to`: signed for this complaint and that address
 * (one HMAC, the secret from the cached context), valid `linkValidityDays` from `at`.
 */
export function mailedStatusUrlOf(baseUrl: string, code: string, to: string, at: Date, sla: Pick<SlaContext, 'linkSecret' | 'workflow'>): string {
  return statusUrlOf(baseUrl, code, signStatusLink(sla.linkSecret, { code, contact: to }, at, sla.workflow.linkValidityDays));
}

/** `column in (…)`, or false for an empty list (drizzle spreads arrays into separate parameters). */
function inList(column: SQL, values: string[]): SQL {
  return values.length ? sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})` : sql`false`;
}

type Outcome = { ok: true; value: CreatedComplaint } | { ok: false; error: unknown };
/** Every job gets an outcome before the batch ends; this one is only a placeholder until then. */
const UNSET: Outcome = { ok: false, error: undefined };

/**
 * Takes the idempotency keys of the batch. A key held by a concurrent transaction makes the insert
 * wait for its commit; a key already used answers with its complaint instead of creating a second one.
 */
async function claimIdempotencyKeys(tx: Tx, jobs: IntakeJob[]): Promise<Map<IntakeJob, Outcome>> {
  const answers = new Map<IntakeJob, Outcome>();
  const keyed = jobs.filter((j) => j.opts.idempotencyKey);
  if (!keyed.length) return answers;
  const values = keyed.map((j) => sql`(${j.scope}, ${j.opts.idempotencyKey}, ${j.requestHash})`);
  const inserted = await tx.execute<{ scope: string; key: string }>(sql`
    insert into idempotency_keys (scope, key, request_hash) values ${sql.join(values, sql`, `)}
    on conflict do nothing returning scope, key`);
  const fresh = new Set(inserted.rows.map((r) => `${r.scope}\u0000${r.key}`));
  const used = keyed.filter((j) => !fresh.has(`${j.scope}\u0000${j.opts.idempotencyKey}`));
  if (!used.length) return answers;
  const existing = await tx.execute<{ scope: string; key: string; request_hash: string; complaint_id: string | null; code: string | null }>(sql`
    select k.scope, k.key, k.request_hash, k.complaint_id, c.code from idempotency_keys k
    left join complaints c on c.id = k.complaint_id
    where (k.scope, k.key) in (${sql.join(used.map((j) => sql`(${j.scope}, ${j.opts.idempotencyKey})`), sql`, `)})`);
  for (const j of used) {
    const row = existing.rows.find((r) => r.scope === j.scope && r.key === j.opts.idempotencyKey);
    if (!row || !row.complaint_id || !row.code) answers.set(j, { ok: false, error: new AppError('conflict') });
    else if (row.request_hash !== j.requestHash) answers.set(j, { ok: false, error: new AppError('idempotency_key_reused') });
    else answers.set(j, { ok: true, value: { id: row.complaint_id, code: row.code, replayed: true } });
  }
  return answers;
}

interface CustomerRow {
  id: string;
  name: string;
  phoneE164: string | null;
  email: string | null;
}

/**
 * Finds each complainant by phone, else by email, creating the new ones. A known customer keeps
 * their record and gains the contact they lacked, unless that contact belongs to someone else.
 * Works on the whole batch with one look-up and one insert.
 */
async function upsertCustomers(
  tx: Tx,
  wanted: { name: string; phoneE164: string | null; email: string | null }[],
): Promise<CustomerRow[]> {
  if (!wanted.length) return [];
  const phones = [...new Set(wanted.map((c) => c.phoneE164).filter((x): x is string => !!x))];
  const emails = [...new Set(wanted.map((c) => c.email).filter((x): x is string => !!x))];
  const found = await tx.execute<{ id: string; name: string; phone_e164: string | null; email: string | null }>(sql`
    select id, name, phone_e164, email from customers
    where ${inList(sql`phone_e164`, phones)} or ${inList(sql`email`, emails)}`);
  const byPhone = new Map<string, CustomerRow>();
  const byEmail = new Map<string, CustomerRow>();
  const index = (c: CustomerRow) => {
    if (c.phoneE164) byPhone.set(c.phoneE164, c);
    if (c.email) byEmail.set(c.email, c);
  };
  for (const r of found.rows) index({ id: r.id, name: r.name, phoneE164: r.phone_e164, email: r.email });
  const created: CustomerRow[] = [];
  const changed = new Set<CustomerRow>();
  const result = wanted.map((w) => {
    const known = (w.phoneE164 && byPhone.get(w.phoneE164)) || (w.email && byEmail.get(w.email)) || null;
    if (!known) {
      const c: CustomerRow = { id: randomUUID(), name: w.name, phoneE164: w.phoneE164, email: w.email };
      created.push(c);
      index(c);
      return c;
    }
    if (w.phoneE164 && !known.phoneE164 && !byPhone.has(w.phoneE164)) {
      known.phoneE164 = w.phoneE164;
      changed.add(known);
    }
    if (w.email && !known.email && !byEmail.has(w.email)) {
      known.email = w.email;
      changed.add(known);
    }
    index(known);
    return known;
  });
  if (created.length) {
    await tx.execute(sql`insert into customers (id, name, phone_e164, email, search_name) values ${sql.join(
      created.map((c) => sql`(${c.id}::uuid, ${c.name}, ${c.phoneE164}, ${c.email}, ${foldText(c.name)})`),
      sql`, `,
    )}`);
  }
  for (const c of changed) {
    if (created.includes(c)) continue;
    await tx.execute(sql`update customers set phone_e164 = ${c.phoneE164}, email = ${c.email}, updated_at = now() where id = ${c.id}`);
  }
  return result;
}
