import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import type { Language } from '../domain/vocabulary';
import { withoutCardNumbers } from '../domain/payment-cards';
import { noteMentionMail } from '../mail/note-mention';
import { queueMail } from '../mail/outbox';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction, type Tx } from './transaction';

/** Roles that open complaints: the ones a note may name (a department member sees only their consultations). */
const MENTIONABLE_ROLES = ['agent', 'supervisor', 'admin', 'auditor'];

type Mentioned = {
  id: string;
  name: string;
  email: string;
  language: Language;
};

/**
 * Ghi chú nội bộ — a note for staff only; the customer's view never shows it. Colleagues named in it
 * (nhắc tên) are told in the app and by mail in their language, once each, in the note's transaction; a
 * name that is not an active colleague who works on complaints refuses the note, and nothing is written.
 */
export async function addInternalNote(opts: {
  database: Database;
  actor: Actor;
  code: string;
  body: string;
  mentions?: string[];
  mail?: { baseUrl: string };
}): Promise<void> {
  const body = withoutCardNumbers(opts.body.trim());
  if (!body) throw new AppError('validation_failed', { fields: [{ field: 'body', code: 'required' }] });
  const ids = [...new Set(opts.mentions ?? [])];
  await inTransaction(opts.database, async (tx) => {
    const mentioned = ids.length ? await mentionable(tx, ids) : [];
    const c = await lockComplaint(tx, opts.code);
    const head = await appendEvent(tx, c, opts.actor, 'note.added', ids.length ? { body, mentions: ids } : { body });
    const told = mentioned.filter((m) => m.id !== opts.actor.id);
    if (!told.length) return;
    const info = await tx.execute<{ subject: string; by: string | null }>(sql`
      select c.subject, (select name from staff_users where id = ${opts.actor.id}) as by from complaints c where c.id = ${c.id}`);
    const subject = info.rows[0]?.subject ?? '';
    const byName = info.rows[0]?.by ?? '';
    // One key per note and colleague: the notification and the mail are never sent twice.
    const key = `note:${c.id}:${head.eventCount}`;
    for (const m of told) {
      await tx.execute(sql`
        insert into notifications (staff_id, complaint_id, kind, payload, dedupe_key)
        values (${m.id}, ${c.id}, 'note.mentioned', ${JSON.stringify({ code: c.code, subject, by: byName, seq: head.eventCount })}::jsonb, ${key})
        on conflict (staff_id, dedupe_key) do nothing`);
      if (!opts.mail) continue;
      const mail = noteMentionMail({
        to: m.email,
        staffName: m.name,
        byName,
        code: c.code,
        subject,
        link: `${opts.mail.baseUrl}/staff/complaints/${c.code}`,
        locale: m.language,
      });
      await queueMail(tx, mail, { dedupeKey: `${key}:${m.id}`, complaintId: c.id, domain: new URL(opts.mail.baseUrl).hostname });
    }
  });
}

/** The colleagues named, each active and working on complaints; a field error naming the first that is not. */
async function mentionable(tx: Tx, ids: string[]): Promise<Mentioned[]> {
  const r = await tx.execute<Mentioned & { role: string; active: boolean }>(sql`
    select id, name, email, language, role, active from staff_users where id = any(${`{${ids.join(',')}}`}::uuid[])`);
  const found = new Map(r.rows.map((row) => [row.id, row]));
  const wrong = ids.findIndex((id) => {
    const s = found.get(id);
    return !s || !s.active || !MENTIONABLE_ROLES.includes(s.role);
  });
  if (wrong >= 0) throw new AppError('validation_failed', { fields: [{ field: `mentions[${wrong}]`, code: 'not_mentionable' }] });
  return ids.map((id) => found.get(id)!);
}
