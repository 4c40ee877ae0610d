import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { formatComplaintCode, vietnamYear } from '../domain/codes';
import { nationalPhone } from '../domain/contacts';
import { AppError } from '../domain/errors';
import { CONSENT_VERSION, normalizeIntake, type RawIntake } from '../domain/intake';
import type { Channel, Priority } from '../domain/schemas';
import { complaintSearchText } from '../domain/search-text';
import { initialDeadlines, nearestDue } from '../domain/sla';
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
}

export interface CreatedComplaint {
  id: string;
  code: string;
  replayed: boolean;
}

/** Tiếp nhận khiếu nại — records a new complaint with its customer, code, deadlines and first event. */
export async function createComplaint(opts: CreateComplaintOptions): Promise<CreatedComplaint> {
  const intake = normalizeIntake(opts.input, { requireConsent: opts.requireConsent });
  const requestHash = createHash('sha256')
    .update(canonicalJson({ channel: opts.channel, input: opts.input }))
    .digest('hex');
  const scope = opts.idempotencyScope ?? 'default';
  return inTransaction(opts.database, async (tx) => {
    if (opts.idempotencyKey) {
      const replay = await claimIdempotencyKey(tx, scope, opts.idempotencyKey, requestHash);
      if (replay) return replay;
    }
    const customer = await upsertCustomer(tx, intake.customer);
    if (opts.input.categoryId) {
      const found = await tx.execute(sql`select 1 from categories where id = ${opts.input.categoryId}`);
      if (!found.rowCount) throw new AppError('validation_failed', { fields: [{ field: 'categoryId', code: 'not_found' }] });
    }
    const receivedAt = opts.now ?? new Date();
    const year = vietnamYear(receivedAt);
    const { acknowledgementDueAt, resolutionDueAt } = initialDeadlines(receivedAt);
    const status = 'received' as const;
    const id = randomUUID();
    const payload = {
      channel: opts.channel,
      subject: intake.subject,
      ...(intake.orderRef ? { orderRef: intake.orderRef } : {}),
    };
    // The number is taken last: its row lock is held until commit and serialises intakes of the year.
    const seqRow = await tx.execute<{ last_value: number }>(sql`
      insert into complaint_sequences (year, last_value) values (${year}, 1)
      on conflict (year) do update set last_value = complaint_sequences.last_value + 1
      returning last_value`);
    const code = formatComplaintCode(year, seqRow.rows[0].last_value);
    const event = {
      complaintId: id,
      seq: 1,
      type: 'complaint.created',
      actorType: opts.actor.kind,
      actorId: opts.actor.id,
      channel: opts.channel,
      payload,
      createdAt: receivedAt,
      prevHash: '',
    };
    const hash = eventHash(event);
    const searchText = complaintSearchText({
      code,
      subject: intake.subject,
      description: intake.description,
      customerName: customer.name,
      phoneE164: customer.phoneE164,
      phoneNational: customer.phoneE164 ? nationalPhone(customer.phoneE164) : null,
      email: customer.email,
      orderRef: intake.orderRef,
    });
    const at = receivedAt.toISOString();
    await tx.execute(sql`
      with c as (
        insert into complaints (id, code, status, channel, priority, subject, description, order_ref, customer_id,
          category_id, consent_at, consent_version, received_at, acknowledgement_due_at, resolution_due_at, sort_due,
          search_text, event_count, last_event_hash, created_at, updated_at)
        values (${id}, ${code}, ${status}, ${opts.channel}, ${opts.input.priority ?? 'normal'}, ${intake.subject},
          ${intake.description}, ${intake.orderRef}, ${customer.id}, ${opts.input.categoryId ?? null},
          ${intake.consent ? at : null}, ${intake.consent ? CONSENT_VERSION : null}, ${at},
          ${acknowledgementDueAt.toISOString()}, ${resolutionDueAt.toISOString()},
          ${nearestDue({ status, acknowledgementDueAt, resolutionDueAt })}, ${searchText}, 1, ${hash}, ${at}, ${at})
        returning id
      ), e as (
        insert into timeline_events (complaint_id, seq, type, actor_type, actor_id, channel, payload, created_at, prev_hash, hash)
        select id, 1, ${event.type}, ${event.actorType}, ${event.actorId}, ${event.channel},
               ${JSON.stringify(payload)}::jsonb, ${at}, '', ${hash} from c
      )
      update idempotency_keys set complaint_id = (select id from c)
      where scope = ${scope} and key = ${opts.idempotencyKey ?? ''}`);
    return { id, code, replayed: false };
  });
}

/**
 * Takes the idempotency key for this transaction. A concurrent holder makes the insert wait for its
 * commit; if it committed, its complaint is returned instead of creating a second one.
 */
async function claimIdempotencyKey(
  tx: Tx,
  scope: string,
  key: string,
  requestHash: string,
): Promise<CreatedComplaint | null> {
  const inserted = await tx.execute(sql`
    insert into idempotency_keys (scope, key, request_hash) values (${scope}, ${key}, ${requestHash})
    on conflict do nothing returning key`);
  if (inserted.rowCount) return null;
  const existing = await tx.execute<{ request_hash: string; complaint_id: string | null; code: string | null }>(sql`
    select k.request_hash, k.complaint_id, c.code from idempotency_keys k
    left join complaints c on c.id = k.complaint_id
    where k.scope = ${scope} and k.key = ${key}`);
  const row = existing.rows[0];
  if (!row || !row.complaint_id || !row.code) throw new AppError('conflict');
  if (row.request_hash !== requestHash) throw new AppError('idempotency_key_reused');
  return { id: row.complaint_id, code: row.code, replayed: true };
}

interface CustomerRow {
  id: string;
  name: string;
  phoneE164: string | null;
  email: string | null;
}

/**
 * Finds the customer by phone, else by email, creating them if new. A known customer keeps their
 * record and gains the contact they lacked, unless that contact belongs to someone else.
 */
async function upsertCustomer(
  tx: Tx,
  c: { name: string; phoneE164: string | null; email: string | null },
): Promise<CustomerRow> {
  const found = await tx.execute<{ id: string; name: string; phone_e164: string | null; email: string | null }>(sql`
    select id, name, phone_e164, email from customers
    where (phone_e164 = ${c.phoneE164}) or (email = ${c.email})
    order by (phone_e164 = ${c.phoneE164}) is true desc limit 1`);
  const row = found.rows[0];
  if (!row) {
    const ins = await tx.execute<{ id: string }>(sql`
      insert into customers (name, phone_e164, email) values (${c.name}, ${c.phoneE164}, ${c.email}) returning id`);
    return { id: ins.rows[0].id, name: c.name, phoneE164: c.phoneE164, email: c.email };
  }
  const customer: CustomerRow = { id: row.id, name: row.name, phoneE164: row.phone_e164, email: row.email };
  const addPhone = c.phoneE164 && !row.phone_e164 && (await contactFree(tx, 'phone_e164', c.phoneE164));
  const addEmail = c.email && !row.email && (await contactFree(tx, 'email', c.email));
  if (addPhone || addEmail) {
    if (addPhone) customer.phoneE164 = c.phoneE164;
    if (addEmail) customer.email = c.email;
    await tx.execute(sql`update customers set phone_e164 = ${customer.phoneE164}, email = ${customer.email},
      updated_at = now() where id = ${row.id}`);
  }
  return customer;
}

async function contactFree(tx: Tx, column: 'phone_e164' | 'email', value: string): Promise<boolean> {
  const r = await tx.execute(sql`select 1 from customers where ${sql.identifier(column)} = ${value}`);
  return r.rowCount === 0;
}
