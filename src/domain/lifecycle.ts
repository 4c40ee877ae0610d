/**
 * The complaint lifecycle (vòng đời khiếu nại): states, allowed transitions and who may make each.
 * The API, UI, jobs and tests all ask this module; no other file lists transitions.
 */

export const STATUSES = [
  'received',
  'acknowledged',
  'investigating',
  'awaiting_customer',
  'proposed',
  'resolved',
  'closed',
  'escalated',
  'rejected',
  'withdrawn',
  'merged',
  'reopened',
] as const;
export type Status = (typeof STATUSES)[number];

/** Each status as people read it: Vietnamese (the wording of documents Sen prints) and English. */
export const STATUS_LABELS: Record<Status, { vi: string; en: string }> = {
  received: { vi: 'Đã tiếp nhận', en: 'Received' },
  acknowledged: { vi: 'Đã xác nhận tiếp nhận', en: 'Acknowledged' },
  investigating: { vi: 'Đang xác minh', en: 'Investigating' },
  awaiting_customer: { vi: 'Chờ khách hàng bổ sung', en: 'Awaiting customer' },
  proposed: { vi: 'Đã đề xuất phương án', en: 'Solution proposed' },
  resolved: { vi: 'Đã giải quyết', en: 'Resolved' },
  closed: { vi: 'Đã đóng', en: 'Closed' },
  escalated: { vi: 'Chuyển cơ quan có thẩm quyền', en: 'Escalated to authority' },
  rejected: { vi: 'Không thụ lý', en: 'Not admissible' },
  withdrawn: { vi: 'Khách hàng rút khiếu nại', en: 'Withdrawn' },
  merged: { vi: 'Gộp vào khiếu nại khác', en: 'Merged' },
  reopened: { vi: 'Mở lại', en: 'Reopened' },
};

/** `department`: a member of an internal department who sees only the consultations addressed to it. */
export const STAFF_ROLES = ['agent', 'supervisor', 'admin', 'auditor', 'department'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** Who acts: a staff role, the customer themselves, or Sen's own jobs. */
export type ActorKind = StaffRole | 'customer' | 'system';

const WORKERS: readonly ActorKind[] = ['agent', 'supervisor', 'admin'];
const LEADS: readonly ActorKind[] = ['supervisor', 'admin'];

/**
 * Moves that only their own action makes, because the move stands for something recorded with it:
 * an information request (due date, checklist), a proposal offered, a proposal carried out, an
 * escalation with its dossier, a refusal told to the customer, a reopening within the window.
 */
export const TRANSITION_ACTIONS = ['information_request', 'proposal', 'implementation', 'escalation', 'rejection', 'reopen'] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

interface TransitionRule {
  to: Status;
  by: readonly ActorKind[];
  /** A reason must be given and is told to the customer (e.g. why a complaint is not admissible). */
  needsReason?: boolean;
  /** Made only by this action, never by a plain status change. */
  via?: TransitionAction;
}

const OPEN_EXITS = (extra: TransitionRule[]): TransitionRule[] => [
  ...extra,
  { to: 'withdrawn', by: [...WORKERS, 'customer'], needsReason: true },
];

const TRANSITIONS: Record<Status, TransitionRule[]> = {
  received: OPEN_EXITS([
    { to: 'acknowledged', by: WORKERS },
    { to: 'rejected', by: LEADS, needsReason: true, via: 'rejection' },
    { to: 'merged', by: WORKERS },
  ]),
  acknowledged: OPEN_EXITS([
    { to: 'investigating', by: WORKERS },
    { to: 'rejected', by: LEADS, needsReason: true, via: 'rejection' },
    { to: 'merged', by: WORKERS },
  ]),
  investigating: OPEN_EXITS([
    { to: 'awaiting_customer', by: WORKERS, via: 'information_request' },
    { to: 'proposed', by: WORKERS, via: 'proposal' },
    { to: 'escalated', by: LEADS, needsReason: true, via: 'escalation' },
    { to: 'rejected', by: LEADS, needsReason: true, via: 'rejection' },
    { to: 'merged', by: WORKERS },
  ]),
  awaiting_customer: OPEN_EXITS([
    // The customer's answer, its expiry, or the agent cancelling the request.
    { to: 'investigating', by: [...WORKERS, 'customer', 'system'], via: 'information_request' },
    { to: 'proposed', by: WORKERS, via: 'proposal' },
    { to: 'escalated', by: LEADS, needsReason: true, via: 'escalation' },
    { to: 'merged', by: WORKERS },
  ]),
  proposed: OPEN_EXITS([
    // Resolved once the accepted proposal is carried out (refund paid, replacement shipped).
    { to: 'resolved', by: WORKERS, via: 'implementation' },
    // The customer's rejection, or the agent taking the offer back to negotiate again.
    { to: 'investigating', by: [...WORKERS, 'customer'] },
    { to: 'escalated', by: LEADS, needsReason: true, via: 'escalation' },
  ]),
  resolved: [
    { to: 'closed', by: [...WORKERS, 'system'] },
    { to: 'reopened', by: [...LEADS, 'customer'], needsReason: true, via: 'reopen' },
  ],
  closed: [{ to: 'reopened', by: [...LEADS, 'customer'], needsReason: true, via: 'reopen' }],
  escalated: [{ to: 'closed', by: [...WORKERS, 'system'] }],
  reopened: OPEN_EXITS([{ to: 'investigating', by: WORKERS }]),
  rejected: [],
  withdrawn: [],
  merged: [],
};

/** States in which no clock runs and no further work is expected. */
export const TERMINAL_STATUSES: readonly Status[] = ['closed', 'rejected', 'withdrawn', 'merged'];
/** States that count as "open" in the queue. */
export const OPEN_STATUSES: readonly Status[] = STATUSES.filter(
  (s) => !TERMINAL_STATUSES.includes(s) && s !== 'resolved' && s !== 'escalated',
);

/**
 * Whether the customer may still send messages and files on the status page: while the complaint is open, and
 * while it is with an authority (what they add may be evidence for it; their email replies are taken then too).
 * Resolved, they reopen it first; over, they file a new one.
 */
export function takesCustomerMessages(status: Status): boolean {
  return OPEN_STATUSES.includes(status) || status === 'escalated';
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** Every state reachable from `from` in one step, whoever acts. */
export function nextStatuses(from: Status): Status[] {
  return TRANSITIONS[from].map((t) => t.to);
}

/** The states this actor may move a complaint to from `from`. */
export function allowedTransitions(from: Status, actor: ActorKind): Status[] {
  return TRANSITIONS[from].filter((t) => t.by.includes(actor)).map((t) => t.to);
}

/** The action that alone makes the move from `from` to `to`, or null for a plain status change. */
export function transitionAction(from: Status, to: Status): TransitionAction | null {
  return TRANSITIONS[from].find((t) => t.to === to)?.via ?? null;
}

/** The moves this actor may make with a plain status change (the others need their own action). */
export function plainTransitions(from: Status, actor: ActorKind): Status[] {
  return TRANSITIONS[from].filter((t) => t.by.includes(actor) && !t.via).map((t) => t.to);
}

export type TransitionCheck =
  | { ok: true; needsReason: boolean }
  | { ok: false; reason: 'invalid_transition' | 'forbidden_transition' | 'reason_required'; allowed: Status[] };

/** Whether moving from `from` to `to` must say why (withdrawing, merging …): forms mark the reason required. */
export function transitionNeedsReason(from: Status, to: Status): boolean {
  return TRANSITIONS[from].find((t) => t.to === to)?.needsReason ?? false;
}

/** Decides whether `actor` may move a complaint from `from` to `to`, and why not. */
export function checkTransition(from: Status, to: Status, actor: ActorKind, reason?: string): TransitionCheck {
  const rule = TRANSITIONS[from].find((t) => t.to === to);
  const allowed = allowedTransitions(from, actor);
  if (!rule) return { ok: false, reason: 'invalid_transition', allowed };
  if (!rule.by.includes(actor)) return { ok: false, reason: 'forbidden_transition', allowed };
  if (rule.needsReason && !reason?.trim()) return { ok: false, reason: 'reason_required', allowed };
  return { ok: true, needsReason: rule.needsReason ?? false };
}

/** Whether a complaint in this state still waits for its acknowledgement (first human contact). */
export function awaitsAcknowledgement(status: Status): boolean {
  return status === 'received';
}

/** Whether the resolution promise still runs in this state. */
export function resolutionRunning(status: Status): boolean {
  return !TERMINAL_STATUSES.includes(status) && status !== 'resolved' && status !== 'escalated';
}
