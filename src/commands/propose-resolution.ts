import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findProposal, PROPOSAL_KINDS, type ProposalKind, type ProposalRow } from '../db/queries/resolution';
import { loadSlaContext, type SlaContext } from '../db/queries/settings';
import { clockActionsForTransition } from '../domain/clocks';
import { AppError, type FieldError } from '../domain/errors';
import { checkTransition, type Status } from '../domain/lifecycle';
import { queueMail } from '../mail/outbox';
import type { MailMessage } from '../mail/message';
import type { MailAttachment } from '../domain/uploads';
import { proposalOfferedMail } from '../mail/proposal-offered';
import { can } from '../policies';
import type { Actor } from './actor';
import { applyClockActions, saveClocks } from './clock-store';
import { mailedStatusUrlOf, type ReceiptSettings } from './create-complaint';
import type { Language } from '../domain/vocabulary';
import { lockComplaint, type LockedComplaint } from './load';
import { recordFollowupOfTransition } from './resolve-complaint';
import { appendEvent, type ComplaintHead } from './timeline';
import { inTransaction, type Tx } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

/** Where customer mail links to and who signs it (the same settings as the receipt). */
export type CustomerMailSettings = ReceiptSettings;

/** The largest amount accepted (100 billion VND): beyond it, a typo rather than a refund. */
const MAX_AMOUNT_VND = 100_000_000_000;

export interface ProposeResolutionOptions {
  database: Database;
  actor: Actor;
  code: string;
  kind: ProposalKind;
  description: string;
  /** In VND, a whole number; required for a refund or a voucher. */
  amountVnd?: number | null;
  /** The client's Idempotency-Key: the same key on the same complaint makes one proposal. */
  clientKey?: string;
  now?: Date;
  /** Email the customer the proposal once it is offered (if they gave an email). */
  mail?: CustomerMailSettings;
}

/**
 * Đề xuất phương án giải quyết — records a proposal. Up to the approval threshold it is offered to
 * the customer at once: the complaint becomes `proposed` (which stops the negotiation clock) and the
 * customer is emailed. Above it, it waits for a supervisor (a supervisor's own proposal is approved
 * by its author). One proposal is open at a time; a retried request with the same key returns the first.
 */
export async function proposeResolution(opts: ProposeResolutionOptions): Promise<{ proposal: ProposalRow; replayed: boolean }> {
  const description = withoutCardNumbers(opts.description.trim());
  const amount = opts.amountVnd ?? null;
  const fields: FieldError[] = [];
  if (!(PROPOSAL_KINDS as readonly string[]).includes(opts.kind)) fields.push({ field: 'kind', code: 'invalid_value' });
  if (!description) fields.push({ field: 'description', code: 'required' });
  if (amount === null) {
    if (opts.kind === 'refund' || opts.kind === 'voucher') fields.push({ field: 'amountVnd', code: 'amount_required' });
  } else if (!Number.isInteger(amount)) fields.push({ field: 'amountVnd', code: 'must_be_integer' });
  else if (amount <= 0) fields.push({ field: 'amountVnd', code: 'must_be_positive' });
  else if (amount > MAX_AMOUNT_VND) fields.push({ field: 'amountVnd', code: 'out_of_range' });
  if (fields.length) throw new AppError('validation_failed', { fields });

  const sla = await loadSlaContext(opts.database);
  const result = await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    if (opts.clientKey) {
      const prior = await tx.execute<{ id: string; kind: string; description: string; amount_vnd: string | number | null }>(sql`
        select id, kind, description, amount_vnd from proposals where complaint_id = ${c.id} and client_key = ${opts.clientKey}`);
      const p = prior.rows[0];
      if (p) {
        const same = p.kind === opts.kind && p.description === description && (p.amount_vnd == null ? null : Number(p.amount_vnd)) === amount;
        if (!same) throw new AppError('idempotency_key_reused');
        return { id: p.id, complaintId: c.id, replayed: true };
      }
    }
    // An open proposal is the more useful answer (it says what to do: withdraw it first), so it is checked
    // before the move to "proposed", which an offered proposal also blocks.
    const open = await tx.execute(sql`
      select 1 from proposals where complaint_id = ${c.id} and status in ('pending_approval', 'offered', 'accepted') limit 1`);
    if (open.rows.length) throw new AppError('proposal_open');
    const check = checkTransition(c.status, 'proposed', opts.actor.kind);
    if (!check.ok) throw new AppError(check.reason === 'reason_required' ? 'invalid_transition' : check.reason, { allowed: check.allowed });

    const at = opts.now ?? new Date();
    const needsApproval = amount !== null && amount > sla.workflow.proposalApprovalThresholdVnd;
    const approver = opts.actor.kind !== 'customer' && opts.actor.kind !== 'system' && can(opts.actor.kind, 'proposal.approve');
    const selfApproved = needsApproval && approver;
    const inserted = await tx.execute<{ id: string }>(sql`
      insert into proposals (complaint_id, kind, description, amount_vnd, status, client_key, created_by, created_at, approved_by, approved_at)
      values (${c.id}, ${opts.kind}, ${description}, ${amount}, 'pending_approval', ${opts.clientKey ?? null}, ${staffId(opts.actor)},
              ${at.toISOString()}, ${selfApproved ? staffId(opts.actor) : null}, ${selfApproved ? at.toISOString() : null})
      returning id`);
    const id = inserted.rows[0].id;
    const proposal = { id, kind: opts.kind, description, amountVnd: amount };
    const head = await appendEvent(tx, c, opts.actor, 'proposal.created', { proposalId: id, ...withoutNull(proposal), needsApproval, ...(selfApproved ? { approvedByAuthor: true } : {}) }, at);
    if (!needsApproval || selfApproved) await offerProposal(tx, { head, complaint: c, proposal, actor: opts.actor, at, sla, mail: opts.mail });
    return { id, complaintId: c.id, replayed: false };
  });
  const proposal = await findProposal(opts.database, result.complaintId, result.id);
  if (!proposal) throw new AppError('internal');
  return { proposal, replayed: result.replayed };
}

/** The staff id of an actor, or null (the customer, the system). */
export function staffId(actor: Actor): string | null {
  return actor.kind === 'customer' || actor.kind === 'system' ? null : actor.id;
}

function withoutNull<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

/**
 * Offers a proposal to the customer, inside the caller's transaction and row lock: the proposal
 * becomes `offered`, the complaint `proposed` (clocks per the lifecycle), and the customer is emailed.
 */
export async function offerProposal(
  tx: Tx,
  o: {
    head: ComplaintHead;
    complaint: LockedComplaint;
    proposal: { id: string; kind: ProposalKind; description: string; amountVnd: number | null };
    actor: Actor;
    at: Date;
    sla: SlaContext;
    mail?: CustomerMailSettings;
  },
): Promise<ComplaintHead> {
  const c = o.complaint;
  const check = checkTransition(c.status, 'proposed', o.actor.kind);
  if (!check.ok) throw new AppError(check.reason === 'reason_required' ? 'invalid_transition' : check.reason, { allowed: check.allowed });
  await tx.execute(sql`update proposals set status = 'offered', offered_at = ${o.at.toISOString()} where id = ${o.proposal.id}`);
  let head = await appendEvent(tx, o.head, o.actor, 'proposal.offered', { proposalId: o.proposal.id, ...withoutNull(o.proposal) }, o.at);
  head = await changeStatus(tx, { head, complaint: c, to: 'proposed', actor: o.actor, at: o.at, sla: o.sla, cause: 'proposal_offered' });
  if (o.mail) {
    const to = await customerOf(tx, c.id);
    if (to.email) {
      const message = proposalOfferedMail({
        to: to.email,
        customerName: to.name,
        code: c.code,
        proposal: o.proposal,
        offeredAt: o.at,
        statusUrl: mailedStatusUrlOf(o.mail.baseUrl, c.code, to.email, o.at, o.sla, to.language),
        companyName: o.mail.companyName,
        locale: to.language,
      });
      await queueCustomerMail(tx, c.id, message, `proposal-offered:${o.proposal.id}`, o.mail.baseUrl);
    }
  }
  return head;
}

/**
 * Moves a locked complaint to `to` (already checked against the lifecycle by the caller): the status,
 * the clocks the move starts or stops, what step 5 records with it, and the `status.changed` event.
 */
export async function changeStatus(
  tx: Tx,
  o: {
    head: ComplaintHead;
    complaint: LockedComplaint;
    to: Status;
    actor: Actor;
    at: Date;
    sla: SlaContext;
    reason?: string;
    cause?: string;
    rootCauseId?: string;
    clocks?: LockedComplaint['clocks'];
  },
): Promise<ComplaintHead> {
  const c = o.complaint;
  const followup = await recordFollowupOfTransition(tx, c, o.to, { actor: o.actor, rootCauseId: o.rootCauseId, at: o.at, workflow: o.sla.workflow });
  await tx.execute(sql`update complaints set status = ${o.to} where id = ${c.id}`);
  const { clocks, changed } = applyClockActions(o.clocks ?? c.clocks, clockActionsForTransition(c.status, o.to, o.sla.policy), o.at, o.sla);
  await saveClocks(tx, c.id, clocks, o.sla);
  const payload = {
    from: c.status,
    to: o.to,
    ...(o.reason ? { reason: o.reason } : {}),
    ...(o.cause ? { cause: o.cause } : {}),
    ...(changed.length ? { clocks: changed } : {}),
    ...followup,
  };
  // The caller's view of the complaint moves on with it.
  c.status = o.to;
  c.clocks = clocks;
  return appendEvent(tx, o.head, o.actor, 'status.changed', payload, o.at);
}

/** The customer's name and email, and the language of the complaint, for mail about it. */
export async function customerOf(tx: Tx, complaintId: string): Promise<{ name: string; email: string | null; subject: string; language: Language }> {
  const r = await tx.execute<{ name: string; email: string | null; subject: string; language: Language }>(sql`
    select cu.name, cu.email, c.subject, c.language from complaints c join customers cu on cu.id = c.customer_id where c.id = ${complaintId}`);
  return r.rows[0];
}

/**
 * Queues a mail to the customer in the caller's transaction; queueMail records its Message-ID on the
 * complaint, so that the customer's reply threads back onto it.
 */
export async function queueCustomerMail(
  tx: Tx,
  complaintId: string,
  message: MailMessage,
  dedupeKey: string,
  baseUrl: string,
  attachments?: readonly MailAttachment[],
): Promise<void> {
  await queueMail(tx, message, { dedupeKey, complaintId, domain: new URL(baseUrl).hostname, attachments });
}

/**
 * Withdraws the proposals still open (awaiting a supervisor or the customer, or accepted but not yet
 * carried out) when the complaint leaves negotiation (back to investigating, rejected as not
 * admissible, escalated, withdrawn): nobody can accept or carry them out any more.
 */
export async function withdrawOpenProposals(tx: Tx, head: ComplaintHead, actor: Actor, at: Date, cause: string): Promise<ComplaintHead> {
  const r = await tx.execute<{ id: string; status: string }>(sql`
    update proposals p set status = 'withdrawn' from (select id, status from proposals where complaint_id = ${head.id}
      and status in ('pending_approval', 'offered', 'accepted') for update) old
    where p.id = old.id returning p.id, old.status`);
  let h = head;
  for (const p of r.rows) h = await appendEvent(tx, h, actor, 'proposal.withdrawn', { proposalId: p.id, from: p.status, cause }, at);
  return h;
}
