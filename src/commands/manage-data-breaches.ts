import { isUuid } from '../domain/ids';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findDataBreach, type DataBreachRow } from '../db/queries/personal-data';
import { AppError, type FieldError } from '../domain/errors';
import { breachNoticeDue } from '../domain/personal-data';
import type { Actor } from './actor';
import { inTransaction, type Tx } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

export interface DataBreachInput {
  discoveredAt?: Date;
  description: string;
  dataKinds?: string;
  affectedCount?: number | null;
  measures?: string;
}

function text(v: string | undefined, field: string, max: number, fields: FieldError[], required: boolean): string {
  const t = withoutCardNumbers(v?.trim() ?? '');
  if (!t && required) fields.push({ field, code: 'required' });
  else if (t.length > max) fields.push({ field, code: 'too_long' });
  return t;
}

const notFuture = (at: Date, now: Date) => !Number.isNaN(at.getTime()) && at.getTime() <= now.getTime() + 60_000;

/**
 * Ghi nhận sự cố dữ liệu cá nhân — records a breach when it is discovered; its notice to the authority (A05)
 * is due 72 hours later, and every admin is told at once (see runDataRequestSweep).
 */
export async function recordDataBreach(opts: { database: Database; actor: Actor; input: DataBreachInput; now?: Date }): Promise<DataBreachRow> {
  const now = opts.now ?? new Date();
  const fields: FieldError[] = [];
  const description = text(opts.input.description, 'description', 4000, fields, true);
  const dataKinds = text(opts.input.dataKinds, 'dataKinds', 1000, fields, false);
  const measures = text(opts.input.measures, 'measures', 4000, fields, false);
  const discoveredAt = opts.input.discoveredAt ?? now;
  if (!notFuture(discoveredAt, now)) fields.push({ field: 'discoveredAt', code: 'invalid_date' });
  const count = opts.input.affectedCount ?? null;
  if (count !== null && (!Number.isInteger(count) || count < 0)) fields.push({ field: 'affectedCount', code: 'must_be_integer' });
  else if (count !== null && count > 2_000_000_000) fields.push({ field: 'affectedCount', code: 'out_of_range' });
  if (fields.length) throw new AppError('validation_failed', { fields });
  const id = await inTransaction(opts.database, async (tx) => {
    const r = await tx.execute<{ id: string }>(sql`
      insert into data_breaches (discovered_at, description, data_kinds, affected_count, measures, notice_due_at, created_by)
      values (${discoveredAt.toISOString()}, ${description}, ${dataKinds}, ${count}, ${measures}, ${breachNoticeDue(discoveredAt).toISOString()}, ${opts.actor.id})
      returning id`);
    return r.rows[0].id;
  });
  return (await findDataBreach(opts.database, id))!;
}

async function lockOpen(tx: Tx, id: string): Promise<{ notified_at: string | Date | null; discovered_at: string | Date }> {
  if (!isUuid(id)) throw new AppError('data_breach_not_found');
  const r = await tx.execute<{ status: string; notified_at: string | Date | null; discovered_at: string | Date }>(sql`
    select status, notified_at, discovered_at from data_breaches where id = ${id} for update`);
  const row = r.rows[0];
  if (!row) throw new AppError('data_breach_not_found');
  if (row.status !== 'open') throw new AppError('data_breach_closed');
  return row;
}

/** Thông báo cơ quan chức năng — records when the notice went to A05 and its reference, once. */
export async function recordBreachNotice(opts: { database: Database; actor: Actor; id: string; notifiedAt?: Date; noticeRef: string; now?: Date }): Promise<DataBreachRow> {
  const now = opts.now ?? new Date();
  const fields: FieldError[] = [];
  const ref = text(opts.noticeRef, 'noticeRef', 200, fields, true);
  const at = opts.notifiedAt ?? now;
  if (!notFuture(at, now)) fields.push({ field: 'notifiedAt', code: 'invalid_date' });
  if (fields.length) throw new AppError('validation_failed', { fields });
  await inTransaction(opts.database, async (tx) => {
    const row = await lockOpen(tx, opts.id);
    if (row.notified_at) throw new AppError('data_breach_notified');
    // A notice cannot precede the discovery (that would make a late one look on time).
    if (at < new Date(row.discovered_at)) throw new AppError('validation_failed', { fields: [{ field: 'notifiedAt', code: 'invalid_date' }] });
    await tx.execute(sql`update data_breaches set notified_at = ${at.toISOString()}, notice_ref = ${ref} where id = ${opts.id}`);
  });
  return (await findDataBreach(opts.database, opts.id))!;
}

/** Đóng sự cố — closes it with what was done (measures taken, customers told). */
export async function closeDataBreach(opts: { database: Database; actor: Actor; id: string; note: string; now?: Date }): Promise<DataBreachRow> {
  const fields: FieldError[] = [];
  const note = text(opts.note, 'note', 4000, fields, true);
  if (fields.length) throw new AppError('validation_failed', { fields });
  const at = opts.now ?? new Date();
  await inTransaction(opts.database, async (tx) => {
    await lockOpen(tx, opts.id);
    await tx.execute(sql`update data_breaches set status = 'closed', closed_at = ${at.toISOString()}, outcome_note = ${note} where id = ${opts.id}`);
  });
  return (await findDataBreach(opts.database, opts.id))!;
}
