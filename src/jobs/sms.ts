import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { inTransaction } from '../commands/transaction';
import { statusUrlOf } from '../commands/create-complaint';
import { receiptSms, smsOutcome } from '../domain/sms';
import { withoutForbiddenCharacters } from '../domain/text';
import type { Language } from '../domain/vocabulary';

/** The SMS gateway (config.sms): where texts are posted, with its token and the brand name they go out under. */
export interface SmsGateway {
  url: string;
  token?: string;
  sender?: string;
}

/** How far back receipts are owed: a day (a complaint received while the gateway was being set up still gets one). */
const LOOK_BACK_MS = 24 * 3_600_000;

/**
 * Tin nhắn xác nhận — queues the receipt SMS of each complaint of the last day whose customer has a phone and got no
 * receipt mail (no email given), once per complaint (its dedupe key), so that they too have the code and the promised
 * contact time in writing. The intake is untouched: this runs after it, as the routing sweep does.
 */
export async function queueSmsReceipts(opts: { database: Database; baseUrl: string; companyName: string; now?: Date }): Promise<number> {
  const now = opts.now ?? new Date();
  const rows = (
    await opts.database.db.execute<{ id: string; code: string; received_at: Date; acknowledgement_due_at: Date; language: string; phone_e164: string }>(sql`
      select c.id, c.code, c.received_at, c.acknowledgement_due_at, c.language, cu.phone_e164
      from complaints c join customers cu on cu.id = c.customer_id
      where c.received_at > ${new Date(now.getTime() - LOOK_BACK_MS).toISOString()}::timestamptz
        and cu.phone_e164 is not null and cu.email is null and cu.anonymised_at is null
        and not exists (select 1 from outbound_messages o where o.dedupe_key = 'receipt:' || c.id::text)
        and not exists (select 1 from sms_messages s where s.dedupe_key = 'receipt:' || c.id::text)
      order by c.received_at limit 500`)
  ).rows;
  let queued = 0;
  for (const r of rows) {
    const text = receiptSms({
      code: r.code,
      companyName: opts.companyName,
      receivedAt: new Date(r.received_at),
      acknowledgementDueAt: new Date(r.acknowledgement_due_at),
      lookupUrl: statusUrlOf(opts.baseUrl, r.code),
      language: (r.language === 'en' ? 'en' : 'vi') as Language,
    });
    const q = await opts.database.db.execute(sql`
      insert into sms_messages (complaint_id, to_phone, text, kind, dedupe_key)
      values (${r.id}, ${r.phone_e164}, ${text}, 'receipt', ${`receipt:${r.id}`}) on conflict (dedupe_key) do nothing`);
    queued += q.rowCount ?? 0;
  }
  return queued;
}

/** Retries back off: 1, 2, 4 … minutes, up to this many attempts, then the text is marked failed. */
const MAX_ATTEMPTS = 8;
/** A claimed text not recorded within this time (the process died) is tried again. */
const LEASE_MS = 5 * 60_000;
/** A gateway that does not answer within this time is tried again later. */
const TIMEOUT_MS = 15_000;

const errorText = (e: string) => [...withoutForbiddenCharacters(e, ' ')].slice(0, 500).join('');

/**
 * Sends queued texts through the gateway: each claimed first (SKIP LOCKED, and a lease) so two Sen processes never
 * send the same one, then posted as JSON (`to` in E.164, `text`, `sender`, `reference`: Sen's id of the text, for the
 * gateway to drop a repeat) and its outcome recorded. A 2xx is sent; 408, 429, a 5xx, a timeout or no answer are tried
 * again with back-off; any other refusal (a wrong number, a blocked brand name) is final and kept with its reason.
 */
export async function deliverQueuedSms(
  database: Database,
  gateway: SmsGateway,
  now: Date = new Date(),
  batch = 20,
): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (;;) {
    const claimed = await inTransaction(database, async (tx) =>
      (
        await tx.execute<{ id: string; to_phone: string; text: string; attempts: number; created_at: Date }>(sql`
          update sms_messages m set attempts = m.attempts + 1, next_attempt_at = ${new Date(now.getTime() + LEASE_MS).toISOString()}
          where m.id in (
            -- The database's clock too: a text queued this very millisecond has a later time than \`now\` cut to milliseconds.
            select id from sms_messages where status = 'queued' and next_attempt_at <= greatest(now(), ${now.toISOString()}::timestamptz)
            order by next_attempt_at limit ${batch} for update skip locked)
          returning m.id, m.to_phone, m.text, m.attempts, m.created_at`)
      ).rows,
    );
    // Sent in the order they were written (an update returns its rows in no order): the receipt before a later text.
    const rows = claimed.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime());
    for (const m of rows) {
      let outcome: 'sent' | 'refused' | 'retry';
      let error: string | null = null;
      let ref: string | null = null;
      try {
        const res = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(gateway.token ? { authorization: `Bearer ${gateway.token}` } : {}) },
          body: JSON.stringify({ to: m.to_phone, text: m.text, ...(gateway.sender ? { sender: gateway.sender } : {}), reference: m.id }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const body = await res.text();
        outcome = smsOutcome(res.status);
        if (outcome === 'sent') {
          try {
            const id = (JSON.parse(body) as { id?: unknown }).id;
            ref = typeof id === 'string' || typeof id === 'number' ? String(id) : null;
          } catch {
            ref = null;
          }
        } else error = errorText(`${res.status} ${body}`);
      } catch (err) {
        outcome = 'retry';
        error = errorText(err instanceof Error ? err.message : String(err));
      }
      if (outcome === 'sent') {
        sent += 1;
        // An erasure meanwhile blanked the number: the text went, but nothing of it is kept.
        await database.db.execute(sql`
          update sms_messages set status = 'sent', sent_at = now(), last_error = null, provider_ref = ${ref} where id = ${m.id} and to_phone <> ''`);
      } else {
        failed += 1;
        const status = outcome === 'refused' || m.attempts >= MAX_ATTEMPTS ? 'failed' : 'queued';
        await database.db.execute(sql`
          update sms_messages set status = ${status}, last_error = ${error},
            next_attempt_at = ${new Date(now.getTime() + 60_000 * 2 ** (m.attempts - 1)).toISOString()} where id = ${m.id}`);
      }
    }
    if (rows.length < batch) break;
  }
  return { sent, failed };
}
