import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError, type FieldError } from '../domain/errors';
import { CORRECTIVE_ACTION_STATUSES, type CorrectiveActionStatus } from '../domain/reports';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { activeRootCause } from './manage-root-causes';
import { appendEvent } from './timeline';
import { inTransaction, type Tx } from './transaction';
import { isUuid } from '../domain/ids';
import { normalizeComplaintCode } from '../domain/codes';
import { withoutCardNumbers } from '../domain/payment-cards';

export interface CorrectiveActionInput {
  title: string;
  description?: string;
  ownerId?: string | null;
  rootCauseId?: string | null;
  /** YYYY-MM-DD. */
  dueDate?: string | null;
  status?: CorrectiveActionStatus;
  /** Complaints that showed the need (opened from a complaint: that one). */
  complaintCodes?: string[];
}

export interface CorrectiveActionPatch {
  title?: string;
  description?: string;
  ownerId?: string | null;
  rootCauseId?: string | null;
  dueDate?: string | null;
  status?: CorrectiveActionStatus;
  linkComplaints?: string[];
  unlinkComplaints?: string[];
}


function checkDate(value: string | null | undefined, fields: FieldError[]): void {
  if (value == null) return;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  if (!m || !d || d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    fields.push({ field: 'dueDate', code: 'invalid_date' });
  }
}

function checkText(input: { title?: string; description?: string; status?: string }, fields: FieldError[], creating: boolean): void {
  if (creating || input.title !== undefined) {
    const title = input.title?.trim() ?? '';
    if (!title) fields.push({ field: 'title', code: 'required' });
    else if (title.length > 300) fields.push({ field: 'title', code: 'too_long' });
  }
  if (input.description !== undefined && input.description.length > 20_000) fields.push({ field: 'description', code: 'too_long' });
  if (input.status !== undefined && !(CORRECTIVE_ACTION_STATUSES as readonly string[]).includes(input.status)) {
    fields.push({ field: 'status', code: 'invalid_value' });
  }
}

async function checkOwner(tx: Tx, ownerId: string | null | undefined, fields: FieldError[]): Promise<void> {
  if (ownerId == null) return;
  const r = isUuid(ownerId) ? await tx.execute(sql`select 1 from staff_users where id = ${ownerId} and active`) : { rows: [] };
  if (!r.rows.length) fields.push({ field: 'ownerId', code: 'not_found' });
}

/** The complaints of `codes`, locked in code order (so two actions linking the same complaints never deadlock). */
async function lockComplaints(tx: Tx, codes: string[], field: string) {
  const unique = [...new Set(codes.map(normalizeComplaintCode))].sort();
  const locked = [];
  for (const code of unique) {
    try {
      locked.push(await lockComplaint(tx, code));
    } catch (err) {
      if (err instanceof AppError && err.code === 'complaint_not_found') {
        throw new AppError('validation_failed', { fields: [{ field: `${field}[${codes.findIndex((c) => normalizeComplaintCode(c) === code)}]`, code: 'not_found' }] });
      }
      throw err;
    }
  }
  return locked;
}

/**
 * Mở hành động khắc phục — opens a corrective action (what, owner, due date, root cause), from a
 * complaint (linked to it, and taking its root cause unless another is given) or from a report.
 * Each linked complaint gets a `corrective_action.linked` event, in the same transaction.
 */
export async function createCorrectiveAction(opts: {
  database: Database;
  actor: Actor;
  input: CorrectiveActionInput;
  now?: Date;
}): Promise<{ id: string }> {
  const { input } = opts;
  const at = opts.now ?? new Date();
  const fields: FieldError[] = [];
  checkText(input, fields, true);
  checkDate(input.dueDate, fields);
  if (fields.length) throw new AppError('validation_failed', { fields });
  return inTransaction(opts.database, async (tx) => {
    await checkOwner(tx, input.ownerId, fields);
    if (fields.length) throw new AppError('validation_failed', { fields });
    const complaints = await lockComplaints(tx, input.complaintCodes ?? [], 'complaintCodes');
    let rootCauseId = input.rootCauseId ?? null;
    if (rootCauseId) await activeRootCause(tx, rootCauseId);
    else if (complaints.length && input.rootCauseId === undefined) {
      const r = await tx.execute<{ root_cause_id: string | null }>(sql`
        select root_cause_id from complaints where id in (${sql.join(complaints.map((c) => sql`${c.id}`), sql`, `)})
        and root_cause_id is not null order by received_at limit 1`);
      rootCauseId = r.rows[0]?.root_cause_id ?? null;
    }
    const status = input.status ?? 'open';
    const r = await tx.execute<{ id: string }>(sql`
      insert into corrective_actions (title, description, owner_id, root_cause_id, due_date, status, created_by, created_at, done_at)
      values (${withoutCardNumbers(input.title.trim())}, ${withoutCardNumbers(input.description?.trim() ?? '')}, ${input.ownerId ?? null}, ${rootCauseId}, ${input.dueDate ?? null},
              ${status}, ${staffId(opts.actor)}, ${at.toISOString()}, ${status === 'done' ? at.toISOString() : null})
      returning id`);
    const id = r.rows[0].id;
    for (const c of complaints) await link(tx, id, withoutCardNumbers(input.title.trim()), c, opts.actor, at);
    return { id };
  });
}

/** Sửa hành động khắc phục — changes any field, moves its status (done records when), links or unlinks complaints. */
export async function updateCorrectiveAction(opts: {
  database: Database;
  actor: Actor;
  id: string;
  patch: CorrectiveActionPatch;
  now?: Date;
}): Promise<{ id: string }> {
  const { patch } = opts;
  const at = opts.now ?? new Date();
  const fields: FieldError[] = [];
  checkText(patch, fields, false);
  checkDate(patch.dueDate, fields);
  if (fields.length) throw new AppError('validation_failed', { fields });
  if (!isUuid(opts.id)) throw new AppError('corrective_action_not_found');
  return inTransaction(opts.database, async (tx) => {
    const found = await tx.execute<{ title: string; status: string }>(sql`select title, status from corrective_actions where id = ${opts.id} for update`);
    const current = found.rows[0];
    if (!current) throw new AppError('corrective_action_not_found');
    await checkOwner(tx, patch.ownerId, fields);
    if (fields.length) throw new AppError('validation_failed', { fields });
    if (patch.rootCauseId) await activeRootCause(tx, patch.rootCauseId);
    const set = [
      patch.title !== undefined ? sql`title = ${withoutCardNumbers(patch.title.trim())}` : null,
      patch.description !== undefined ? sql`description = ${withoutCardNumbers(patch.description.trim())}` : null,
      patch.ownerId !== undefined ? sql`owner_id = ${patch.ownerId}` : null,
      patch.rootCauseId !== undefined ? sql`root_cause_id = ${patch.rootCauseId}` : null,
      patch.dueDate !== undefined ? sql`due_date = ${patch.dueDate}` : null,
      patch.status !== undefined ? sql`status = ${patch.status}` : null,
      // Done records when (once); leaving done forgets it.
      patch.status !== undefined && patch.status !== current.status
        ? sql`done_at = ${patch.status === 'done' ? at.toISOString() : null}`
        : null,
    ].filter((x) => x !== null);
    if (set.length) await tx.execute(sql`update corrective_actions set ${sql.join(set, sql`, `)} where id = ${opts.id}`);
    const title = patch.title === undefined ? current.title : withoutCardNumbers(patch.title.trim());
    const toLink = await lockComplaints(tx, patch.linkComplaints ?? [], 'linkComplaints');
    for (const c of toLink) await link(tx, opts.id, title, c, opts.actor, at);
    const toUnlink = await lockComplaints(tx, patch.unlinkComplaints ?? [], 'unlinkComplaints');
    for (const c of toUnlink) {
      const r = await tx.execute(sql`delete from corrective_action_complaints where action_id = ${opts.id} and complaint_id = ${c.id}`);
      if (r.rowCount) await appendEvent(tx, c, opts.actor, 'corrective_action.unlinked', { actionId: opts.id, title }, at);
    }
    return { id: opts.id };
  });
}

/** Links one locked complaint to an action, with its timeline event; linking twice changes nothing. */
async function link(tx: Tx, actionId: string, title: string, c: Awaited<ReturnType<typeof lockComplaint>>, actor: Actor, at: Date): Promise<void> {
  const r = await tx.execute(sql`
    insert into corrective_action_complaints (action_id, complaint_id) values (${actionId}, ${c.id}) on conflict do nothing`);
  if (r.rowCount) await appendEvent(tx, c, actor, 'corrective_action.linked', { actionId, title }, at);
}

function staffId(actor: Actor): string | null {
  return actor.kind !== 'customer' && actor.kind !== 'system' && actor.id && isUuid(actor.id) ? actor.id : null;
}
