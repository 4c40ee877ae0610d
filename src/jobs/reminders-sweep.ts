import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { inTransaction } from '../commands/transaction';
import type { Language } from '../domain/vocabulary';
import { queueMail } from '../mail/outbox';
import { reminderDueMail } from '../mail/reminder-due';
import { rolesWith } from '../policies';

/** Who may keep reminders: one whose role lost that (moved to a department, made an auditor) is told none. */
const REMINDER_ROLES = `{${rolesWith('reminder.own').join(',')}}`;

/** Job `reminders.sweep`: tells each staff member of the reminders they set that have come due, each once. */
export interface ReminderSweepOptions {
  database: Database;
  baseUrl: string;
  mailDomain: string;
  now?: Date;
  batch?: number;
}

type DueRow = {
  id: string;
  complaint_id: string;
  staff_id: string;
  remind_at: Date | string;
  note: string;
  code: string;
  subject: string;
  name: string;
  email: string;
  language: Language;
  active: boolean;
  call_back: boolean;
};

/**
 * Claims the reminders due (FOR UPDATE SKIP LOCKED, so that two Sen processes never take the same one) and, in
 * one transaction with marking each told, stores its notification (`reminder.due`, with the note) and queues its
 * mail (in the member's language). One that came due while Sen was down is told once when it is back; one of a
 * member no longer active, or no longer in a role that keeps reminders, is marked told and tells nobody.
 */
export async function runReminderSweep(opts: ReminderSweepOptions): Promise<{ told: number }> {
  const now = opts.now ?? new Date();
  const batch = opts.batch ?? 100;
  let told = 0;
  for (;;) {
    const claimed = await inTransaction(opts.database, async (tx) => {
      const rows = (
        await tx.execute<DueRow>(sql`
          select r.id, r.complaint_id, r.staff_id, r.remind_at, r.note, r.call_back, c.code, c.subject, s.name, s.email, s.language,
            s.active and s.role = any(${REMINDER_ROLES}::text[]) as active
          from reminders r join complaints c on c.id = r.complaint_id join staff_users s on s.id = r.staff_id
          where r.fired_at is null and r.remind_at <= ${now.toISOString()}
          order by r.remind_at limit ${batch} for update of r skip locked`)
      ).rows;
      for (const r of rows) {
        if (!r.active) continue;
        const at = new Date(r.remind_at);
        // One key per reminder and time: a snoozed reminder is told again at its new time, a retried sweep never twice.
        const key = `reminder:${r.id}:${at.toISOString()}`;
        const payload = { code: r.code, subject: r.subject, note: r.note, at: at.toISOString(), reminderId: r.id, ...(r.call_back ? { callBack: true } : {}) };
        await tx.execute(sql`
          insert into notifications (staff_id, complaint_id, kind, payload, dedupe_key)
          values (${r.staff_id}, ${r.complaint_id}, 'reminder.due', ${JSON.stringify(payload)}::jsonb, ${key})
          on conflict (staff_id, dedupe_key) do nothing`);
        const mail = reminderDueMail({
          to: r.email,
          staffName: r.name,
          code: r.code,
          subject: r.subject,
          at,
          callBack: r.call_back,
          link: `${opts.baseUrl}/staff/complaints/${r.code}`,
          locale: r.language,
        });
        await queueMail(tx, mail, { dedupeKey: key, complaintId: r.complaint_id, domain: opts.mailDomain });
        told += 1;
      }
      if (rows.length) {
        await tx.execute(sql`update reminders set fired_at = ${now.toISOString()} where id = any(${`{${rows.map((r) => r.id).join(',')}}`}::uuid[])`);
      }
      return rows.length;
    });
    if (claimed < batch) break;
  }
  return { told };
}
