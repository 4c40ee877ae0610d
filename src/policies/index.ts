import type { StaffRole } from '../domain/lifecycle';

/** Who may do what: every route names one of these abilities; nothing else decides access. */
const ABILITIES = {
  'complaint.read': ['agent', 'supervisor', 'admin', 'auditor'],
  'complaint.create': ['agent', 'supervisor', 'admin'],
  'complaint.update': ['agent', 'supervisor', 'admin'],
  'complaint.assign': ['agent', 'supervisor', 'admin'],
  'complaint.note': ['agent', 'supervisor', 'admin'],
  'complaint.transition': ['agent', 'supervisor', 'admin'],
  'customer.read': ['agent', 'supervisor', 'admin', 'auditor'],
  /** Correcting a customer's name, phone or email: whoever may update their complaints. */
  'customer.update': ['agent', 'supervisor', 'admin'],
  /** Gộp hồ sơ: two records of one person become one. */
  'customer.merge': ['supervisor', 'admin'],
  /** Who opened which customer's data (the access log). */
  'personal_data.audit': ['admin', 'auditor'],
  /** A customer's data exported for them, or erased (on request or at the end of the retention period). */
  'personal_data.manage': ['admin'],
  'category.read': ['agent', 'supervisor', 'admin', 'auditor'],
  'category.manage': ['admin'],
  'staff.read': ['agent', 'supervisor', 'admin', 'auditor'],
  'staff.manage': ['admin'],
  /** A staff account's audit trail: who created it, changed its role, reset its password… */
  'staff_audit.read': ['admin', 'auditor'],
  'token.create': ['agent', 'supervisor', 'admin', 'auditor'],
  'audit.verify': ['admin', 'auditor'],
  'complaint.contact': ['agent', 'supervisor', 'admin'],
  'complaint.due_date': ['agent', 'supervisor', 'admin'],
  'settings.read': ['supervisor', 'admin', 'auditor'],
  'settings.manage': ['admin'],
  /** Backups of the embedded database: their list and "back up now". */
  'backup.manage': ['admin'],
  'notification.read': ['agent', 'supervisor', 'admin', 'auditor', 'department'],
  /** Every logged-in role may ask who they are. */
  'session.read': ['agent', 'supervisor', 'admin', 'auditor', 'department'],
  /** The workflow defaults forms show (e.g. days given to answer an information request). */
  'workflow.read': ['agent', 'supervisor', 'admin', 'auditor'],
  // Steps 3–5 of the policy.
  'info_request.manage': ['agent', 'supervisor', 'admin'],
  'evidence.verify': ['agent', 'supervisor', 'admin'],
  'consultation.manage': ['agent', 'supervisor', 'admin'],
  /** A department member answers the consultations addressed to their team, and sees only those. */
  'consultation.answer': ['department', 'agent', 'supervisor', 'admin'],
  'proposal.manage': ['agent', 'supervisor', 'admin'],
  'proposal.approve': ['supervisor', 'admin'],
  'escalation.manage': ['supervisor', 'admin'],
  'authority.read': ['agent', 'supervisor', 'admin', 'auditor'],
  'authority.manage': ['admin'],
  'root_cause.read': ['agent', 'supervisor', 'admin', 'auditor'],
  'root_cause.manage': ['admin'],
  /** Mẫu trả lời: agents insert them into replies; supervisors keep the team's wording. */
  'reply_template.read': ['agent', 'supervisor', 'admin', 'auditor'],
  'reply_template.manage': ['supervisor', 'admin'],
  /** Phân công tự động: the rules giving new complaints to teams; auditors read them. */
  'routing.read': ['supervisor', 'admin', 'auditor'],
  'routing.manage': ['supervisor', 'admin'],
  /** Bộ lọc đã lưu: everyone with a queue keeps their own. */
  'view.own': ['agent', 'supervisor', 'admin', 'auditor'],
  /** Nhắc tôi: one's own reminders on complaints (those who work them). */
  'reminder.own': ['agent', 'supervisor', 'admin'],
  'corrective_action.read': ['agent', 'supervisor', 'admin', 'auditor'],
  'corrective_action.manage': ['supervisor', 'admin'],
  'report.read': ['supervisor', 'admin', 'auditor'],
  'complaint.reopen': ['supervisor', 'admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Ability = keyof typeof ABILITIES;

export const ABILITY_NAMES = Object.keys(ABILITIES) as Ability[];

/** The roles that have `ability`, in the table's order. */
export function rolesWith(ability: Ability): readonly StaffRole[] {
  return ABILITIES[ability];
}

export function can(role: StaffRole, ability: Ability): boolean {
  return (ABILITIES[ability] as readonly StaffRole[]).includes(role);
}

/** Assignment beyond oneself is a supervisor's call; an agent may take a complaint or hand back. */
export function canAssignTo(role: StaffRole, actorId: string, assigneeId: string | null | undefined): boolean {
  if (role === 'supervisor' || role === 'admin') return true;
  return role === 'agent' && (assigneeId === actorId || assigneeId === null || assigneeId === undefined);
}
