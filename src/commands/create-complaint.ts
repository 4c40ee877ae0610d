import { createHash, randomUUID } from 'node:crypto';
import { priorityFor } from '../domain/vulnerability';
import type { Language } from '../domain/vocabulary';
import type pg from 'pg';
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
import type { StoredFile } from './answer-information-request';
import { retrying } from './transaction';
import { requireUsableCategory } from './manage-categories';
import { isUnavailable, toAppError } from '../db/errors';
import { newRowId } from '../db/row-id';
import { binaryJsonbArray, binaryTextArray } from '../db/binary-array';

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
  /**
   * The language when the input names none, and not part of what makes a retry the same request (the portal: its form's,
   * else its Accept-Language); Vietnamese when neither names one.
   */
  defaultLanguage?: Language;
  /** Send the customer a receipt by email (when they gave one), queued in the same transaction. */
  receipt?: ReceiptSettings;
  /** Evidence that came with the complaint (an email's attachments), already in the file store: listed with an `attachments.added` event. */
  files?: StoredFile[];
  /** The email the complaint is made of, recorded for threading and de-duplication. */
  inboundMail?: InboundMailRecord;
  /** A complaint that is over, which this one continues (step 5): linked, with a `complaint.linked` event. */
  previous?: { id: string; code: string };
  /** Further events of how it came to be (e.g. `email.converted`), by the same actor, after those above. */
  events?: { type: string; payload: Record<string, unknown> }[];
}

export interface InboundMailRecord {
  messageId: string;
  from: string;
  subject: string;
  bodyHash: string;
  rawSha256: string;
}

/** Where mail to the customer links to and who signs it; the mail's language is the complaint's own. */
export interface ReceiptSettings {
  baseUrl: string;
  companyName: string;
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
  const intake = normalizeIntake({ ...opts.input, language: opts.input.language ?? opts.defaultLanguage }, { requireConsent: opts.requireConsent });
  // The request as Sen reads it: a retry that writes the same phone or email another way ("An@Example.com",
  // "0912 345 678" for "+84912345678") is the same request, not another one under a reused key. The language is part
  // of it when the input names one (an agent's choice), not when it is the default (the portal's).
  const { language: _language, ...asked } = intake;
  const said = opts.input.language ? { language: intake.language } : {};
  const requestHash = createHash('sha256')
    .update(canonicalJson({ channel: opts.channel, intake: { ...asked, ...said }, categoryId: opts.input.categoryId, priority: opts.input.priority }))
    .digest('hex');
  const receivedAt = opts.now ?? new Date();
  const categoryId = opts.input.categoryId;
  if (categoryId) await retrying(() => requireUsableCategory(opts.database.db, categoryId));
  return batcherOf(opts.database).submit({ opts, intake, requestHash, scope: opts.idempotencyScope ?? 'default', receivedAt, year: vietnamYear(receivedAt) });
}

interface IntakeJob {
  opts: CreateComplaintOptions;
  intake: NormalizedIntake;
  requestHash: string;
  scope: string;
  /** When it came in (its complaint's time of receipt), and the year whose numbers it takes (Asia/Ho_Chi_Minh). */
  receivedAt: Date;
  year: number;
}

/** A job that passed its checks and waits for its number. */
interface PreparedIntake {
  job: IntakeJob;
  /** The complaint's id, which its idempotency key already names. */
  id: string;
  customer: CustomerRow;
  /** Contacts given with the complaint that its (known) customer's record does not have and did not gain. */
  unconfirmed: UnconfirmedContacts | null;
  receivedAt: Date;
  year: number;
}

const MAX_BATCH = 64;
/**
 * Batches under way at once, at most (PostgreSQL): one written while the next is built and waits behind it.
 * With three, batches were smaller and the intake slower (more fixed work per batch): bench/README.md.
 */
const MAX_IN_FLIGHT = 2;
const batchers = new WeakMap<Database, IntakeBatcher>();

function batcherOf(database: Database): IntakeBatcher {
  let b = batchers.get(database);
  if (!b) batchers.set(database, (b = new IntakeBatcher(database)));
  return b;
}

interface Waiting {
  job: IntakeJob;
  /** Arrival order: numbers are handed out in it, also to intakes put back after a batch that failed. */
  order: number;
  resolve: (r: CreatedComplaint) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for intakes. Gap-free codes need the year's counter locked until commit, which
 * serialises intakes; so the intakes that arrive while a transaction runs are written together in the
 * next one, sharing its lock and its disk flush. Each intake either succeeds whole or writes nothing,
 * and a fault fails the whole transaction, so no caller is told "stored" for a lost record.
 *
 * On PostgreSQL the batches go one after another down one connection of their own, in the driver's
 * pipeline mode, and once the batcher knows each year's counter it does not wait for one batch's answer
 * before sending the next: a batch expects its numbers to follow those of the batch before it, reads its
 * customers on another connection, and is sent in one go (claim, write, commit); its write checks the
 * claim went as expected (sen_intake_expect) and fails whole otherwise. So PostgreSQL writes a batch while
 * the app builds the next, instead of each waiting for the other (bench/README.md). A batch that failed
 * for a reason that left nothing written (out of step, a new customer taken meanwhile, a customer
 * erased meanwhile, a key used before) is put back and written the careful way, alone: claim, then
 * build on what the claim found, then write; as every batch on PGlite, whose one connection staff
 * pages share.
 */
class IntakeBatcher {
  private queue: Waiting[] = [];
  private arrivals = 0;
  private held: pg.PoolClient | null = null;
  private broken = false;
  /** Batches started and not finished. */
  private inFlight = 0;
  /** A careful batch runs: nothing else starts. */
  private careful = false;
  /** A batch reads its customers and builds its rows: the next one waits until it is sent. */
  private preparing = false;
  /** Each year's counter once every batch sent so far has committed; null when not known. */
  private expected: Map<number, number> | null = null;
  /** The customers that batches in flight create or give a contact, which the next batches must find. */
  private pendingCustomers = new Set<CustomerRow[]>();

  constructor(private readonly database: Database) {}

  submit(job: IntakeJob): Promise<CreatedComplaint> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, order: this.arrivals++, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (!this.queue.length || this.careful || this.preparing) return;
    const expected = this.expected;
    const fast = !!this.database.intakePool && !!expected && this.queue.slice(0, MAX_BATCH).every((w) => expected.has(w.job.year));
    if (fast && this.inFlight < MAX_IN_FLIGHT) void this.runFast(this.queue.splice(0, MAX_BATCH));
    else if (!fast && this.inFlight === 0) void this.runCareful(this.queue.splice(0, MAX_BATCH));
  }

  private connection(): Promise<pg.PoolClient> | pg.PoolClient {
    return this.held ?? (this.database.intakePool ?? this.database.pool).connect().then((c) => (this.held = c));
  }

  /** Ends a batch: its connection goes back to the pool when nothing else is under way and no intake waits. */
  private finish(): void {
    this.inFlight -= 1;
    // On PGlite after every batch, since its pool has one connection, which staff pages and the settings
    // the next batch reads need too; elsewhere when no intake waits, so that closing the pool never waits for it.
    if (this.inFlight === 0 && (this.broken || !this.queue.length || this.database.kind === 'pglite')) {
      this.held?.release(this.broken);
      this.held = null;
      this.broken = false;
    }
    this.pump();
  }

  private putBack(batch: Waiting[]): void {
    this.queue = [...batch, ...this.queue].sort((a, b) => a.order - b.order);
  }

  private async runCareful(batch: Waiting[]): Promise<void> {
    this.inFlight += 1;
    this.careful = true;
    let outcomes: Outcome[];
    try {
      const sla = await loadSlaContext(this.database);
      const jobs = batch.map((b) => b.job);
      const done = await retrying(async () => {
        const client = await this.connection();
        try {
          return await writeBatch(client, jobs, sla, this.database.kind);
        } catch (err) {
          await client.query('rollback').catch(() => (this.broken = true));
          throw err;
        }
      });
      outcomes = done.outcomes;
      // Kept for the other years (an intake dated in another year, at New Year, takes this way too).
      if (done.counters) this.expected = new Map([...(this.expected ?? []), ...done.counters]);
    } catch (err) {
      this.expected = null;
      outcomes = batch.map(() => ({ ok: false, error: err }));
    }
    this.careful = false;
    settle(batch, outcomes);
    this.finish();
  }

  private async runFast(batch: Waiting[]): Promise<void> {
    this.inFlight += 1;
    this.preparing = true;
    let sent: Promise<Outcome[]> | undefined;
    let customers: CustomerRow[] = [];
    try {
      const sla = await loadSlaContext(this.database);
      const client = await this.connection();
      const prep = prepareBatch(batch.map((b) => b.job));
      const read = await findCustomers(this.database.intakePool!, prep);
      // A batch sent before failed meanwhile: the numbers are no longer known.
      if (this.expected) {
        const built = buildFastBatch(prep, withPending(read, this.pendingCustomers), this.expected, sla);
        customers = built.customers;
        this.pendingCustomers.add(customers);
        sent = sendFastBatch(client, built);
      }
    } catch (err) {
      settle(batch, batch.map(() => ({ ok: false, error: toAppError(err) })));
      batch = [];
    } finally {
      this.preparing = false;
    }
    if (!sent) {
      this.putBack(batch);
      return this.finish();
    }
    this.pump();
    try {
      settle(batch, await sent);
    } catch (err) {
      this.expected = null;
      if (wroteNothing(err)) this.putBack(batch);
      else {
        // The connection failed, maybe during the commit: whether the batch was stored is not known, so it
        // is not written again (the client's retry with its Idempotency-Key answers it either way).
        this.broken = true;
        settle(batch, batch.map(() => ({ ok: false, error: toAppError(err) })));
      }
    }
    this.pendingCustomers.delete(customers);
    this.finish();
  }
}

function settle(batch: Waiting[], outcomes: Outcome[]): void {
  batch.forEach((b, i) => {
    const o = outcomes[i];
    if (o.ok) b.resolve(o.value);
    else b.reject(o.error);
  });
}

/** An error the database answered a statement of the batch with (so its transaction wrote nothing). */
function wroteNothing(err: unknown): boolean {
  const e = err as { code?: unknown; phase?: unknown };
  return e.phase !== 'commit' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && !isUnavailable(err);
}

/**
 * A careful batch is two round trips on PostgreSQL: `begin` and the claim sent together, then the write
 * and `commit` (the intake's connection is in the driver's pipeline mode: db/open.ts), instead of four, each
 * of which waited ~1.4 ms behind the HTTP work on the event loop at 1,700 intakes/s. The values are
 * bound as parameters, never written into the statement's text, so that a failed statement that
 * PostgreSQL logs names no customer. The intake's connections force the statements' generic plan
 * (db/open.ts): PostgreSQL otherwise planned them anew for every batch, which cost it more than writing
 * the rows (CPU per intake 0.33–0.41 → 0.24 ms). Their plans do not depend on the values: every lookup is
 * by a key (primary key, unique contact, year, category id).
 */

/** The customers a phone or an email finds (erased ones find no one), in the claim and read before a batch. */
const customersByContact = (phones: string, emails: string) =>
  `select id, name, phone_e164, email from customers where (phone_e164 = any(${phones}::text[]) or email = any(${emails}::text[])) and anonymised_at is null`;

/**
 * Statement 1 of a batch: checks the categories, claims the idempotency keys (each naming the id its
 * complaint will have; the reference is checked at commit), moves each year's
 * counter on by the number of intakes that will be written (locking it until commit), and finds the
 * customers already known by phone or email. One round trip, the same text every time (prepared once
 * per connection).
 */
export const CLAIM_SQL = `
  with v as (
    select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $9::uuid[])
      as v(idx, scope, key, hash, year, category, complaint_id)
  ), ok as (
    select v.* from v where v.category is null or exists (select 1 from categories c where c.id::text = v.category)
  ), k as (
    insert into idempotency_keys (scope, key, request_hash, complaint_id)
    select scope, key, hash, complaint_id from ok where key is not null
    on conflict do nothing returning scope, key
  ), fresh as (
    select ok.idx, ok.year from ok where ok.key is null or exists (select 1 from k where k.scope = ok.scope and k.key = ok.key)
  ), s as (
    insert into complaint_sequences (year, last_value)
    select year, count(*) from fresh group by year
    on conflict (year) do update set last_value = complaint_sequences.last_value + excluded.last_value
    returning year, last_value
  ), cu as (
    ${customersByContact('$7', '$8')}
  )
  select coalesce((select array_agg(idx) from ok), '{}') as valid,
         coalesce((select array_agg(idx) from fresh), '{}') as fresh,
         coalesce((select json_agg(json_build_object('year', year, 'last', last_value)) from s), '[]') as seq,
         coalesce((select json_agg(cu) from cu), '[]') as customers`;

/**
 * Statement 2: the new customers (and contacts gained by known ones), the complaints, their first
 * events (and the events of the files, inbound mail and link they came with), the contacts given that
 * their customer's record did not gain, and the receipts with their Message-IDs —
 * one statement, columns as arrays through unnest(), so its text never changes whatever the batch.
 */
export const WRITE_SQL = `
  with nc as (
    insert into customers (id, name, phone_e164, email, search_name)
    select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
  ), uc as (
    update customers cu set phone_e164 = v.phone, email = v.email, updated_at = now()
    from unnest($6::uuid[], $7::text[], $8::text[]) as v(id, phone, email) where cu.id = v.id
  ), c as (
    insert into complaints (id, code, status, channel, priority, subject, description, order_ref, customer_id,
      category_id, consent_at, consent_version, received_at, acknowledgement_due_at, resolution_due_at, sort_due,
      search_text, event_count, last_event_hash, created_at, updated_at, clocks, next_alert_at, product, customer_province,
      previous_complaint_id, vulnerable_group, language)
    select id, code, 'received', channel, priority, subject, description, order_ref,
      -- No customer (a not-null violation, run again) for one erased after the claim read them: see ERASED_MEANWHILE.
      case when exists (select 1 from customers x where x.id = v.customer_id and x.anonymised_at is not null) then null else customer_id end,
      category_id,
      case when consent then received_at end, case when consent then $28 end, received_at, ack_due, res_due,
      sort_due, search_text, event_count, last_hash, received_at, received_at, clocks, next_alert_at, product, customer_province,
      previous_id, vulnerable_group, language
    from unnest($9::uuid[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::uuid[],
      $17::uuid[], $18::boolean[], $19::timestamptz[], $20::timestamptz[], $21::timestamptz[], $22::timestamptz[],
      $23::text[], $25::jsonb[], $26::timestamptz[], $27::text[], $41::text[], $42::int[], $43::text[], $44::uuid[], $77::text[], $78::text[])
      as v(id, code, channel, priority, subject, description, order_ref, customer_id, category_id, consent, received_at,
           ack_due, res_due, sort_due, search_text, clocks, next_alert_at, product, customer_province, event_count, last_hash, previous_id,
           vulnerable_group, language)
    returning id
  ), x as (
    insert into timeline_events (complaint_id, seq, type, actor_type, actor_id, channel, payload, created_at, prev_hash, hash)
    select complaint_id, seq, type, actor_type, actor_id, channel, payload, created_at, prev_hash, hash
    from unnest($45::uuid[], $46::int[], $47::text[], $48::text[], $49::text[], $50::text[], $51::jsonb[], $52::timestamptz[], $53::text[], $54::text[])
      as v(complaint_id, seq, type, actor_type, actor_id, channel, payload, created_at, prev_hash, hash)
  ), f as (
    insert into attachments (complaint_id, event_id, filename, content_type, size, sha256)
    select * from unnest($55::uuid[], $56::int[], $57::text[], $58::text[], $59::int[], $60::text[])
  ), mi as (
    insert into mail_messages (complaint_id, direction, message_id, from_address, subject, body_hash, raw_sha256)
    select id, 'in', mid, from_address, subject, body_hash, raw_sha256
    from unnest($61::uuid[], $62::text[], $63::text[], $64::text[], $65::text[], $66::text[]) as v(id, mid, from_address, subject, body_hash, raw_sha256)
    on conflict do nothing
  ), uc2 as (
    insert into unconfirmed_contacts (complaint_id, kind, value)
    select * from unnest($67::uuid[], $68::text[], $69::text[]) on conflict do nothing
  ), e as (
    insert into timeline_events (complaint_id, seq, type, actor_type, actor_id, channel, payload, created_at, prev_hash, hash)
    select id, 1, 'complaint.created', actor_type, actor_id, channel, payload, created_at, '', hash
    from unnest($9::uuid[], $29::text[], $30::text[], $11::text[], $31::jsonb[], $19::timestamptz[], $24::text[])
      as v(id, actor_type, actor_id, channel, payload, created_at, hash)
  ), o as (
    insert into outbound_messages (id, complaint_id, to_address, subject, text, html, locale, message_id, dedupe_key)
    select * from unnest($70::uuid[], $32::uuid[], $33::text[], $34::text[], $35::text[], $36::text[], $37::text[], $38::text[], $39::text[])
    on conflict (dedupe_key) do nothing
  ), m as (
    insert into mail_messages (id, complaint_id, direction, message_id, from_address, subject, body_hash)
    select row_id, id, 'out', mid, '', subject, 'receipt' from unnest($71::uuid[], $32::uuid[], $40::text[], $34::text[]) as v(row_id, id, mid, subject)
  ), chk as (
    -- A batch sent on expected numbers (none for a careful one): each year's counter ends where its numbers
    -- end, and every key it claimed names its complaint; else it fails whole (SN001) and is written again.
    select sen_intake_expect(
      (select count(*) from complaint_sequences q join unnest($72::int[], $73::int[]) as e(year, last) on q.year = e.year and q.last_value = e.last)
        = cardinality($72::int[])
      and (select count(*) from idempotency_keys k join unnest($74::text[], $75::text[], $76::uuid[]) as u(scope, key, id)
             on k.scope = u.scope and k.key = u.key and k.complaint_id = u.id) = cardinality($74::text[])
    ) as checked
  )
  select (select count(*)::int from c) as n, (select checked from chk) as checked`;

/** A batch's jobs, with what both ways of writing it need. */
interface PreparedBatch {
  jobs: IntakeJob[];
  outcomes: Outcome[];
  /** Jobs whose key an earlier job of the batch has: answered from its outcome. */
  repeats: { index: number; first: number }[];
  /** The other jobs (indexes into jobs). */
  live: number[];
  /** The id of each live job's complaint, which its idempotency key names from the start. */
  ids: string[];
}

function prepareBatch(jobs: IntakeJob[]): PreparedBatch {
  // A key repeated inside one batch is answered from its first use once that is written.
  const firstUse = new Map<string, number>();
  const repeats: { index: number; first: number }[] = [];
  jobs.forEach((job, i) => {
    const keyId = job.opts.idempotencyKey ? `${job.scope}\u0000${job.opts.idempotencyKey}` : null;
    const first = keyId ? firstUse.get(keyId) : undefined;
    if (first !== undefined) repeats.push({ index: i, first });
    else if (keyId) firstUse.set(keyId, i);
  });
  const repeated = new Set(repeats.map((r) => r.index));
  const live = jobs.map((_, i) => i).filter((i) => !repeated.has(i));
  return { jobs, outcomes: jobs.map(() => UNSET), repeats, live, ids: live.map(() => newRowId()) };
}

/** CLAIM_SQL's parameters; without the contacts when the customers were read beforehand. */
function claimValues(p: PreparedBatch, withCustomers: boolean): unknown[] {
  const { jobs, live } = p;
  return [
    live,
    live.map((i) => jobs[i].scope),
    live.map((i) => jobs[i].opts.idempotencyKey ?? null),
    live.map((i) => jobs[i].requestHash),
    live.map((i) => jobs[i].year),
    live.map((i) => jobs[i].opts.input.categoryId ?? null),
    ...(withCustomers ? contactsOf(p) : [[], []]),
    p.ids,
  ];
}

function answerRepeats(p: PreparedBatch): Outcome[] {
  const { jobs, outcomes } = p;
  for (const { index, first } of p.repeats) {
    const o = outcomes[first];
    if (!o.ok) outcomes[index] = o;
    else if (jobs[index].requestHash !== jobs[first].requestHash) outcomes[index] = { ok: false, error: new AppError('idempotency_key_reused') };
    else outcomes[index] = { ok: true, value: { ...o.value, replayed: true } };
  }
  return outcomes;
}

/** The careful way: claim, then build on what the claim found, then write (two round trips on PostgreSQL). */
async function writeBatch(
  client: pg.PoolClient,
  jobs: IntakeJob[],
  sla: SlaContext,
  kind: Database['kind'],
): Promise<{ outcomes: Outcome[]; counters: Map<number, number> | null }> {
  // Prepared by name on PostgreSQL (per connection). PGlite behind pglite-socket is one session shared
  // by every socket, so a name prepared by an earlier connection would clash: unnamed there.
  const named = (name: string) => (kind === 'postgres' ? name : undefined);
  const p = prepareBatch(jobs);
  const { live, outcomes } = p;

  // Statement 1 (after begin): categories, keys, numbers, known customers.
  type Claimed = { valid: number[]; fresh: number[]; seq: { year: number; last: number }[]; customers: FoundCustomer[] };
  const [, claim] = await Promise.all([
    client.query('begin'),
    client.query<Claimed>({ name: named('sen_intake_claim'), text: CLAIM_SQL, values: claimValues(p, true) }),
  ]);
  const { valid, fresh, seq, customers: found } = claim.rows[0];
  const validSet = new Set(valid);
  const freshSet = new Set(fresh);
  for (const i of live) {
    if (!validSet.has(i)) {
      outcomes[i] = { ok: false, error: new AppError('validation_failed', { fields: [{ field: 'categoryId', code: 'not_found' }] }) };
    }
  }
  const used = live.filter((i) => validSet.has(i) && !freshSet.has(i));
  if (used.length) for (const [i, o] of await answerReplays(client, used.map((i) => [i, jobs[i]] as const))) outcomes[i] = o;

  const writing = live.flatMap((i, n) => (freshSet.has(i) ? [n] : []));
  if (!writing.length) {
    await client.query('commit');
    return { outcomes: answerRepeats(p), counters: null };
  }
  // Each year's counter before this batch's numbers.
  const before = new Map(seq.map(({ year, last }) => [year, last - writing.filter((n) => jobs[live[n]].year === year).length]));
  const { values } = buildWrite(p, writing, found, before, sla, false);
  await Promise.all([client.query({ name: named('sen_intake_write'), text: WRITE_SQL, values }), client.query('commit')]).catch((err: { code?: string; table?: string; column?: string }) => {
    throw err?.code === '23502' && err.table === 'complaints' && err.column === 'customer_id' ? ERASED_MEANWHILE() : err;
  });
  return { outcomes: answerRepeats(p), counters: new Map(seq.map(({ year, last }) => [year, last])) };
}

export const FIND_CUSTOMERS_SQL = customersByContact('$1', '$2');

/** The customers known by the batch's phones and emails, read before its transaction. */
async function findCustomers(pool: pg.Pool, p: PreparedBatch): Promise<FoundCustomer[]> {
  const r = await pool.query<FoundCustomer>({ name: 'sen_intake_customers', text: FIND_CUSTOMERS_SQL, values: contactsOf(p) });
  return r.rows;
}

/** The phones and the emails given with the batch's complaints, each once. */
function contactsOf(p: PreparedBatch): [string[], string[]] {
  const contacts = p.live.map((i) => p.jobs[i].intake.customer);
  return [unique(contacts.map((c) => c.phoneE164)), unique(contacts.map((c) => c.email))];
}

/** The customers read, and those that batches in flight create or give a contact (as they will be). */
function withPending(read: FoundCustomer[], pending: Set<CustomerRow[]>): FoundCustomer[] {
  if (!pending.size) return read;
  const byId = new Map(read.map((c) => [c.id, c]));
  for (const list of pending) for (const c of list) byId.set(c.id, { id: c.id, name: c.name, phone_e164: c.phoneE164, email: c.email });
  return [...byId.values()];
}

interface FastBatch {
  p: PreparedBatch;
  claim: unknown[];
  write: unknown[];
  /** The customers it creates or gives a contact. */
  customers: CustomerRow[];
}

/**
 * The fast way: every job of the batch is expected to be new (keys unused, categories valid) and to take
 * the numbers after `expected`, which this moves on; the write checks both and fails the batch otherwise.
 */
function buildFastBatch(p: PreparedBatch, found: FoundCustomer[], expected: Map<number, number>, sla: SlaContext): FastBatch {
  const built = buildWrite(p, p.live.map((_, n) => n), found, expected, sla, true);
  for (const [year, last] of built.counters) expected.set(year, last);
  return { p, claim: claimValues(p, false), write: built.values, customers: built.customers };
}

/** Begin, claim, write and commit, sent together; resolves once committed. */
function sendFastBatch(client: pg.PoolClient, b: FastBatch): Promise<Outcome[]> {
  return Promise.all([
    client.query('begin'),
    client.query({ name: 'sen_intake_claim', text: CLAIM_SQL, values: b.claim }),
    client.query({ name: 'sen_intake_write', text: WRITE_SQL, values: b.write }),
    client.query('commit').catch((err: unknown) => {
      throw Object.assign(err as object, { phase: 'commit' });
    }),
  ]).then(() => answerRepeats(b.p));
}

/**
 * Builds the rows of the jobs at `writing` (positions in p.live) on the customers found, numbered after
 * each year's counter in `before`, and sets their outcomes. `check`: the write verifies that the counters
 * end where these numbers end and that every key names this batch's complaint.
 */
function buildWrite(p: PreparedBatch, writing: number[], found: FoundCustomer[], before: Map<number, number>, sla: SlaContext, check: boolean) {
  const { jobs, live, ids, outcomes } = p;
  const plan = matchCustomers(
    writing.map((n) => ({ ...jobs[live[n]].intake.customer, confirmed: contactsConfirmed(jobs[live[n]].opts.actor) })),
    found,
  );
  // The numbers taken, handed out in the order the intakes arrived.
  const next = new Map(before);
  const rows = writing.map((n, w) => {
    const job = jobs[live[n]];
    const number = next.get(job.year)! + 1;
    next.set(job.year, number);
    const row = buildComplaintRow(
      { job, id: ids[n], customer: plan.customers[w], unconfirmed: plan.unconfirmed[w], receivedAt: job.receivedAt, year: job.year },
      formatComplaintCode(job.year, number),
      sla,
    );
    outcomes[live[n]] = {
      ok: true,
      value: { id: row.id, code: row.code, replayed: false, created: { receivedAt: job.receivedAt, acknowledgementDueAt: row.acknowledgementDueAt, resolutionDueAt: row.resolutionDueAt } },
    };
    return row;
  });
  const keyed = check ? rows.filter((r) => r.job.opts.idempotencyKey) : [];
  const counters = check ? next : new Map<number, number>();
  const values = writeValues({
    created: plan.created,
    changed: plan.changed,
    rows,
    mails: receiptsOf(rows, sla),
    extra: rows.flatMap((r) => r.extraEvents.map((e) => ({ r, e }))),
    files: rows.flatMap((r) => (r.job.opts.files ?? []).map((f) => ({ r, f }))),
    inbound: rows.filter((r) => r.job.opts.inboundMail),
    unconfirmed: rows.flatMap((r) => [
      ...(r.unconfirmed?.phone ? [{ r, kind: 'phone', value: r.unconfirmed.phone }] : []),
      ...(r.unconfirmed?.email ? [{ r, kind: 'email', value: r.unconfirmed.email }] : []),
    ]),
    counters: [...counters],
    keyed,
  });
  return { values, counters: next, customers: [...plan.created, ...plan.changed] };
}

/** What the write's parameters are made of: one array per column (unnest), from these lists. */
interface WriteSources {
  created: CustomerRow[];
  changed: CustomerRow[];
  rows: ComplaintInsert[];
  mails: ReturnType<typeof receiptsOf>;
  extra: { r: ComplaintInsert; e: ComplaintInsert['extraEvents'][number] }[];
  files: { r: ComplaintInsert; f: StoredFile }[];
  inbound: ComplaintInsert[];
  unconfirmed: { r: ComplaintInsert; kind: string; value: string }[];
  /** Each year's counter as the batch's numbers leave it, when it was sent on expected numbers. */
  counters: [number, number][];
  /** Its complaints with an idempotency key, when it was sent on expected numbers. */
  keyed: ComplaintInsert[];
}
type WriteParam = (s: WriteSources) => unknown;
/**
 * One parameter: `get` of every item of a list. Written once, generic, rather than as 69 `.map` calls
 * in writeBatch: V8 inlined them all, took ~0.5 s of a core to optimise that one function and did it
 * again after each deoptimisation (three times in the first ten seconds of a benchmark).
 */
function column<K extends keyof WriteSources>(from: K, get: (x: WriteSources[K][number]) => unknown): WriteParam {
  return (s) => {
    const xs = s[from] as WriteSources[K][number][];
    const out = new Array<unknown>(xs.length);
    for (let i = 0; i < xs.length; i += 1) out[i] = get(xs[i]);
    return out;
  };
}
const constant = (value: unknown): WriteParam => () => value;
/**
 * A column of text (or JSON) sent as a binary `text[]` (`jsonb[]`, db/binary-array.ts): node-postgres's array
 * literal escaped every quote and backslash, and PostgreSQL read it twice, character by character — for the
 * ~5 KB of text per complaint (description, search text, receipt, payload) ~15 % of its CPU per intake. Every
 * text and jsonb column of the write goes this way; ids, numbers and times stay literals.
 */
function textColumn<K extends keyof WriteSources>(from: K, get: (x: WriteSources[K][number]) => string | null | undefined): WriteParam {
  const values = column(from, get);
  return (s) => binaryTextArray(values(s) as (string | null)[]);
}
function jsonbColumn<K extends keyof WriteSources>(from: K, get: (x: WriteSources[K][number]) => string): WriteParam {
  const values = column(from, get);
  return (s) => binaryJsonbArray(values(s) as string[]);
}

/** The parameters of WRITE_SQL, in order ($1, $2, …). */
const WRITE_PARAMS: WriteParam[] = [
  column('created', (c) => c.id), // $1
  textColumn('created', (c) => c.name), // $2
  textColumn('created', (c) => c.phoneE164), // $3
  textColumn('created', (c) => c.email), // $4
  textColumn('created', (c) => foldText(c.name)), // $5
  column('changed', (c) => c.id), // $6
  textColumn('changed', (c) => c.phoneE164), // $7
  textColumn('changed', (c) => c.email), // $8
  column('rows', (r) => r.id), // $9
  textColumn('rows', (r) => r.code), // $10
  textColumn('rows', (r) => r.job.opts.channel), // $11
  textColumn('rows', (r) => priorityFor(r.job.opts.input.priority ?? 'normal', r.job.intake.vulnerableGroup)), // $12
  textColumn('rows', (r) => r.job.intake.subject), // $13
  textColumn('rows', (r) => r.job.intake.description), // $14
  textColumn('rows', (r) => r.job.intake.orderRef ?? null), // $15
  column('rows', (r) => r.customer.id), // $16
  column('rows', (r) => r.job.opts.input.categoryId ?? null), // $17
  column('rows', (r) => !!r.job.intake.consent), // $18
  column('rows', (r) => r.at), // $19
  column('rows', (r) => r.acknowledgementDueAt.toISOString()), // $20
  column('rows', (r) => r.resolutionDueAt.toISOString()), // $21
  column('rows', (r) => r.sortDue), // $22
  textColumn('rows', (r) => r.searchText), // $23
  textColumn('rows', (r) => r.hash), // $24
  jsonbColumn('rows', (r) => r.clocksJson), // $25
  column('rows', (r) => r.nextAlertAt), // $26
  textColumn('rows', (r) => r.job.intake.product ?? null), // $27
  constant(CONSENT_VERSION), // $28
  textColumn('rows', (r) => r.job.opts.actor.kind), // $29
  textColumn('rows', (r) => r.job.opts.actor.id), // $30
  jsonbColumn('rows', (r) => JSON.stringify(r.payload)), // $31
  column('mails', (m) => m.r.id), // $32
  textColumn('mails', (m) => m.mail.to), // $33
  textColumn('mails', (m) => m.mail.subject), // $34
  textColumn('mails', (m) => m.mail.text), // $35
  textColumn('mails', (m) => m.mail.html), // $36
  textColumn('mails', (m) => m.mail.locale), // $37
  textColumn('mails', (m) => `<${m.messageId}>`), // $38
  textColumn('mails', (m) => `receipt:${m.r.id}`), // $39
  textColumn('mails', (m) => m.messageId), // $40
  textColumn('rows', (r) => r.job.intake.customer.province), // $41
  column('rows', (r) => 1 + r.extraEvents.length), // $42
  textColumn('rows', (r) => r.extraEvents.at(-1)?.hash ?? r.hash), // $43
  column('rows', (r) => r.job.opts.previous?.id ?? null), // $44
  column('extra', ({ r }) => r.id), // $45
  column('extra', ({ e }) => e.seq), // $46
  textColumn('extra', ({ e }) => e.type), // $47
  textColumn('extra', ({ r }) => r.job.opts.actor.kind), // $48
  textColumn('extra', ({ r }) => r.job.opts.actor.id), // $49
  textColumn('extra', ({ r }) => r.job.opts.channel), // $50
  jsonbColumn('extra', ({ e }) => JSON.stringify(e.payload)), // $51
  column('extra', ({ r }) => r.at), // $52
  textColumn('extra', ({ e }) => e.prevHash), // $53
  textColumn('extra', ({ e }) => e.hash), // $54
  column('files', ({ r }) => r.id), // $55
  column('files', ({ r }) => r.filesEventSeq), // $56
  textColumn('files', ({ f }) => f.filename), // $57
  textColumn('files', ({ f }) => f.contentType), // $58
  column('files', ({ f }) => f.size), // $59
  textColumn('files', ({ f }) => f.sha256), // $60
  column('inbound', (r) => r.id), // $61
  textColumn('inbound', (r) => r.job.opts.inboundMail!.messageId), // $62
  textColumn('inbound', (r) => r.job.opts.inboundMail!.from), // $63
  textColumn('inbound', (r) => r.job.opts.inboundMail!.subject), // $64
  textColumn('inbound', (r) => r.job.opts.inboundMail!.bodyHash), // $65
  textColumn('inbound', (r) => r.job.opts.inboundMail!.rawSha256), // $66
  column('unconfirmed', (c) => c.r.id), // $67
  textColumn('unconfirmed', (c) => c.kind), // $68
  textColumn('unconfirmed', (c) => c.value), // $69
  column('mails', (m) => m.outboxId), // $70
  column('mails', (m) => m.mailId), // $71
  column('counters', ([year]) => year), // $72
  column('counters', ([, last]) => last), // $73
  textColumn('keyed', (r) => r.job.scope), // $74
  textColumn('keyed', (r) => r.job.opts.idempotencyKey), // $75
  column('keyed', (r) => r.id), // $76
  textColumn('rows', (r) => r.job.intake.vulnerableGroup), // $77
  textColumn('rows', (r) => r.job.intake.language), // $78
];

function writeValues(s: WriteSources): unknown[] {
  return WRITE_PARAMS.map((p) => p(s));
}

/**
 * A customer found by the claim was erased before the write (the erasure waits for the intakes under way,
 * but the claim, which waited for it, still read the customer as they were): the write refuses the row, and
 * the batch is run again, as on a serialization failure, and then finds no one by the erased contacts.
 */
const ERASED_MEANWHILE = () => Object.assign(new Error('a customer of the batch was erased meanwhile'), { code: '40001' });

const unique = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))];

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
  /** Events 2… written with the complaint: its files, its link to the complaint it continues, the caller's own. */
  extraEvents: { seq: number; type: string; payload: Record<string, unknown>; prevHash: string; hash: string }[];
  /** The seq of the `attachments.added` event its files are listed with (null without files). */
  filesEventSeq: number | null;
  /** Contacts given with it that its customer's record did not gain: kept so that searching them finds it. */
  unconfirmed: UnconfirmedContacts | null;
}

function buildComplaintRow(p: PreparedIntake, code: string, sla: SlaContext): ComplaintInsert {
  const { opts, intake } = p.job;
  const id = p.id;
  const clocks = openingClocks(p.receivedAt, sla.policy, sla.cal);
  const acknowledgementDueAt = clocks.acknowledgement!.dueAt;
  const resolutionDueAt = clocks.resolution!.dueAt;
  const alertAt = nextAlertAt(clocks, sla.thresholds, sla.cal);
  const payload = {
    channel: opts.channel,
    subject: intake.subject,
    ...(intake.orderRef ? { orderRef: intake.orderRef } : {}),
    ...(intake.vulnerableGroup ? { vulnerableGroup: intake.vulnerableGroup } : {}),
    // Vietnamese is the default and goes unsaid (as before the field existed).
    ...(intake.language !== 'vi' ? { language: intake.language } : {}),
    ...(p.unconfirmed ? { unconfirmedContacts: p.unconfirmed } : {}),
  };
  const hashOf = (seq: number, type: string, body: Record<string, unknown>, prevHash: string) =>
    eventHash({ complaintId: id, seq, type, actorType: opts.actor.kind, actorId: opts.actor.id, channel: opts.channel, payload: body, createdAt: p.receivedAt, prevHash });
  const hash = hashOf(1, 'complaint.created', payload, '');
  const extraEvents: ComplaintInsert['extraEvents'] = [];
  const append = (type: string, body: Record<string, unknown>) => {
    const seq = extraEvents.length + 2;
    const prevHash = extraEvents.at(-1)?.hash ?? hash;
    extraEvents.push({ seq, type, payload: body, prevHash, hash: hashOf(seq, type, body, prevHash) });
    return seq;
  };
  const filesEventSeq = opts.files?.length ? append('attachments.added', { attachments: opts.files }) : null;
  if (opts.previous) append('complaint.linked', { previousCode: opts.previous.code, previousId: opts.previous.id });
  for (const e of opts.events ?? []) append(e.type, e.payload);
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
    extraEvents,
    filesEventSeq,
    unconfirmed: p.unconfirmed,
  };
}

/**
 * The receipt mail of each new complaint whose customer gave an email, written to the outbox in the
 * same statement as the complaint (so it is sent if and only if the complaint is stored), recorded
 * with its Message-ID so that the customer's reply threads back onto the complaint.
 */
function receiptsOf(rows: ComplaintInsert[], sla: SlaContext) {
  return rows
    .filter((r) => r.job.opts.receipt && r.customer.email)
    .map((r) => {
      const settings = r.job.opts.receipt!;
      const mail = receiptMail({
        to: r.customer.email!,
        customerName: r.customer.name,
        code: r.code,
        subject: r.job.intake.subject,
        receivedAt: new Date(r.at),
        acknowledgementDueAt: r.acknowledgementDueAt,
        resolutionDueAt: r.resolutionDueAt,
        acknowledgementWorkingHours: sla.policy.acknowledgementWorkingHours,
        resolutionWorkingDays: sla.policy.resolutionWorkingDays,
        statusUrl: mailedStatusUrlOf(settings.baseUrl, r.code, r.customer.email!, new Date(r.at), sla, r.job.intake.language),
        companyName: settings.companyName,
        locale: r.job.intake.language,
        template: sla.mailTemplates.receipt?.[r.job.intake.language],
      });
      const domain = new URL(settings.baseUrl).hostname;
      return { r, mail, messageId: `${randomUUID()}@${domain}`, outboxId: newRowId(), mailId: newRowId() };
    });
}

/**
 * The customer's status page for a complaint; with a status-link token it opens without typing the contact, and
 * in English for a complaint in English (the page is Vietnamese by default).
 */
export function statusUrlOf(baseUrl: string, code: string, opts: { token?: string; language?: Language } = {}): string {
  const url = `${baseUrl}/tra-cuu?code=${encodeURIComponent(code)}`;
  return `${url}${opts.token ? `&t=${encodeURIComponent(opts.token)}` : ''}${opts.language === 'en' ? '&lang=en' : ''}`;
}

/**
 * The status-page link of a mail to the customer at `to`, in the complaint's language: signed for this complaint
 * and that address (one HMAC, the secret from the cached context), valid `linkValidityDays` from `at`.
 */
export function mailedStatusUrlOf(
  baseUrl: string,
  code: string,
  to: string,
  at: Date,
  sla: Pick<SlaContext, 'linkSecret' | 'workflow'>,
  language: Language,
): string {
  return statusUrlOf(baseUrl, code, { token: signStatusLink(sla.linkSecret, { code, contact: to }, at, sla.workflow.linkValidityDays), language });
}

type Outcome = { ok: true; value: CreatedComplaint } | { ok: false; error: unknown };
/** Every job gets an outcome before the batch ends; this one is only a placeholder until then. */
const UNSET: Outcome = { ok: false, error: undefined };

/**
 * The answers for keys already used: the complaint they made (a replay), or a refusal when the same
 * key came with a different request. Rare (retries), so a second statement only when needed; it runs
 * after the claim, so it also sees a key a concurrent transaction committed meanwhile.
 */
async function answerReplays(client: pg.PoolClient, used: (readonly [number, IntakeJob])[]): Promise<Map<number, Outcome>> {
  const answers = new Map<number, Outcome>();
  const existing = await client.query<{ scope: string; key: string; request_hash: string; complaint_id: string | null; code: string | null }>(
    `select k.scope, k.key, k.request_hash, k.complaint_id, c.code from idempotency_keys k
     left join complaints c on c.id = k.complaint_id
     join unnest($1::text[], $2::text[]) as u(scope, key) on u.scope = k.scope and u.key = k.key`,
    [used.map(([, j]) => j.scope), used.map(([, j]) => j.opts.idempotencyKey!)],
  );
  for (const [i, j] of used) {
    const row = existing.rows.find((r) => r.scope === j.scope && r.key === j.opts.idempotencyKey);
    if (!row || !row.complaint_id || !row.code) answers.set(i, { ok: false, error: new AppError('conflict') });
    else if (row.request_hash !== j.requestHash) answers.set(i, { ok: false, error: new AppError('idempotency_key_reused') });
    else answers.set(i, { ok: true, value: { id: row.complaint_id, code: row.code, replayed: true } });
  }
  return answers;
}

interface CustomerRow {
  id: string;
  name: string;
  phoneE164: string | null;
  email: string | null;
}

interface FoundCustomer {
  id: string;
  name: string;
  phone_e164: string | null;
  email: string | null;
}

/** A phone or email given with a complaint that was not added to its known customer's record. */
export interface UnconfirmedContacts {
  phone?: string;
  email?: string;
  /** The name given, when it is not the record's (shown only along with a contact). */
  name?: string;
}

/**
 * Whether the contacts given with a complaint may be added to a known customer's record: only when
 * staff took it (at the counter, on the phone, from the console), not when anyone may have typed it in
 * (portal, public API, a mail's From). Otherwise a stranger giving someone's phone and their own email
 * would receive that customer's mail and open all their complaints with the email.
 */
function contactsConfirmed(actor: Actor): boolean {
  return actor.kind !== 'customer' && actor.kind !== 'system';
}

/**
 * Finds each complainant by phone, else by email, among the customers found; the others are new.
 * A known customer keeps their record; a contact they lack is added when staff confirmed it
 * (`confirmed`) and it belongs to no one else, and otherwise only noted with the complaint
 * (`unconfirmed`) for staff to check. Two intakes of one new customer in a batch make one customer.
 */
function matchCustomers(
  wanted: { name: string; phoneE164: string | null; email: string | null; confirmed: boolean }[],
  found: FoundCustomer[],
): { customers: CustomerRow[]; created: CustomerRow[]; changed: CustomerRow[]; unconfirmed: (UnconfirmedContacts | null)[] } {
  const byPhone = new Map<string, CustomerRow>();
  const byEmail = new Map<string, CustomerRow>();
  const index = (c: CustomerRow) => {
    if (c.phoneE164) byPhone.set(c.phoneE164, c);
    if (c.email) byEmail.set(c.email, c);
  };
  for (const r of found) index({ id: r.id, name: r.name, phoneE164: r.phone_e164, email: r.email });
  const created: CustomerRow[] = [];
  const changed = new Set<CustomerRow>();
  const unconfirmed: (UnconfirmedContacts | null)[] = [];
  const customers = wanted.map((w) => {
    const known = (w.phoneE164 && byPhone.get(w.phoneE164)) || (w.email && byEmail.get(w.email)) || null;
    if (!known) {
      const c: CustomerRow = { id: newRowId(), name: w.name, phoneE164: w.phoneE164, email: w.email };
      created.push(c);
      index(c);
      unconfirmed.push(null);
      return c;
    }
    const extra: UnconfirmedContacts = {};
    if (w.phoneE164 && w.phoneE164 !== known.phoneE164) {
      if (w.confirmed && !known.phoneE164 && !byPhone.has(w.phoneE164)) {
        known.phoneE164 = w.phoneE164;
        changed.add(known);
      } else extra.phone = w.phoneE164;
    }
    if (w.email && w.email !== known.email) {
      if (w.confirmed && !known.email && !byEmail.has(w.email)) {
        known.email = w.email;
        changed.add(known);
      } else extra.email = w.email;
    }
    index(known);
    if ((extra.phone || extra.email) && w.name.trim().toLocaleLowerCase('vi') !== known.name.trim().toLocaleLowerCase('vi')) extra.name = w.name;
    unconfirmed.push(extra.phone || extra.email ? extra : null);
    return known;
  });
  return { customers, created, changed: [...changed].filter((c) => !created.includes(c)), unconfirmed };
}
