import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { toReminder, type Reminder } from '../db/queries/reminders';
import { normalizeComplaintCode } from '../domain/codes';
import { AppError } from '../domain/errors';
import { checkReminder, MAX_PENDING_REMINDERS, reminderPresets, type ReminderPreset } from '../domain/reminders';
import { loadSlaContext } from '../db/queries/settings';
import { inTransaction, type Tx } from './transaction';

/**
 * Nhắc tôi — a staff member asks Sen to remind them of a complaint at a time (after now, within two years), with
 * a line to themselves. One more than MAX_PENDING_REMINDERS waiting is refused; so is a complaint whose
 * customer was erased (nothing new is recorded about them). Nothing of the complaint changes.
 */
export async function setReminder(opts: {
  database: Database;
  staffId: string;
  code: string;
  input: { at: Date; note?: string };
  now?: Date;
}): Promise<Reminder> {
  const checked = checkReminder(opts.input, opts.now ?? new Date());
  if (Array.isArray(checked)) throw new AppError('validation_failed', { fields: checked });
  return inTransaction(opts.database, async (tx) => {
    // Shared: an erasure (which takes the row for update) is either done, and seen below, or waits for this.
    const c = await tx.execute<{ id: string; customer_id: string }>(
      sql`select id, customer_id from complaints where code = ${normalizeComplaintCode(opts.code)} for share`,
    );
    const complaint = c.rows[0];
    if (!complaint) throw new AppError('complaint_not_found');
    const erased = await tx.execute(sql`select 1 from customers where id = ${complaint.customer_id} and anonymised_at is not null`);
    if (erased.rows.length) throw new AppError('customer_anonymised');
    await claimReminderRoom(tx, opts.staffId, 'at');
    const r = await tx.execute<Record<string, unknown>>(sql`
      with r as (
        insert into reminders (staff_id, complaint_id, remind_at, note)
        values (${opts.staffId}, ${complaint.id}, ${checked.at.toISOString()}, ${checked.note})
        returning id, complaint_id, remind_at, note, created_at, fired_at, call_back)
      select r.*, c.code, c.subject, c.status from r join complaints c on c.id = r.complaint_id`);
    return toReminder(r.rows[0]!);
  });
}

/**
 * Nhắc lại sau — moves one of one's own reminders, waiting or told, to one of the quick choices' times (computed
 * now, on the working calendar): told again then. Another's, or none, is 404; one told that would make more than
 * MAX_PENDING_REMINDERS waiting is refused.
 */
export async function snoozeReminder(opts: { database: Database; staffId: string; id: string; preset: ReminderPreset; now?: Date }): Promise<Reminder> {
  const now = opts.now ?? new Date();
  const sla = await loadSlaContext(opts.database);
  const at = reminderPresets(now, sla.cal).find((p) => p.key === opts.preset)?.at;
  if (!at) throw new AppError('validation_failed', { fields: [{ field: 'preset', code: 'invalid_value' }] });
  return inTransaction(opts.database, async (tx) => {
    await tx.execute(sql`select 1 from staff_users where id = ${opts.staffId} for update`);
    const own = await tx.execute<{ fired_at: unknown }>(sql`select fired_at from reminders where id::text = ${opts.id} and staff_id = ${opts.staffId} for update`);
    if (!own.rows[0]) throw new AppError('not_found');
    if (own.rows[0].fired_at !== null) await claimReminderRoom(tx, opts.staffId, 'preset');
    const r = await tx.execute<Record<string, unknown>>(sql`
      with r as (
        update reminders set remind_at = ${at.toISOString()}, fired_at = null where id::text = ${opts.id}
        returning id, complaint_id, remind_at, note, created_at, fired_at, call_back)
      select r.*, c.code, c.subject, c.status from r join complaints c on c.id = r.complaint_id`);
    return toReminder(r.rows[0]!);
  });
}

/** Bỏ nhắc — deletes one of one's own reminders, waiting or told; another's, or none, is 404. */
export async function cancelReminder(opts: { database: Database; staffId: string; id: string }): Promise<void> {
  const r = await opts.database.db.execute(sql`delete from reminders where id::text = ${opts.id} and staff_id = ${opts.staffId} returning id`);
  if (!r.rows.length) throw new AppError('not_found');
}

/**
 * Room for one more waiting reminder of `staffId` (a reminder, a snoozed one told, a promised call back): their row is locked,
 * so that two set at once cannot both pass the count; one more than MAX_PENDING_REMINDERS is refused on `field`.
 */
export async function claimReminderRoom(tx: Tx, staffId: string, field: string): Promise<void> {
  await tx.execute(sql`select 1 from staff_users where id = ${staffId} for update`);
  const n = await tx.execute<{ n: number }>(sql`select count(*)::int as n from reminders where staff_id = ${staffId} and fired_at is null`);
  if ((n.rows[0]?.n ?? 0) >= MAX_PENDING_REMINDERS) throw new AppError('validation_failed', { fields: [{ field, code: 'too_many_reminders' }] });
}
