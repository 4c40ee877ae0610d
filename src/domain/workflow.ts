import { AppError, type FieldError } from './errors';

/**
 * Quy trình xử lý — the settings of steps 3–5 an admin may change: when a proposal needs a
 * supervisor, how long customers and third parties get, when surveys go and complaints close,
 * how long a customer may reopen.
 */
export interface WorkflowPolicy {
  /** Proposals above this amount (VND) need a supervisor's approval before the customer sees them. */
  proposalApprovalThresholdVnd: number;
  /** Working days a customer gets to answer an information request, unless the agent says otherwise. */
  infoRequestDays: number;
  /** Working days before an information request's due date when the customer is reminded. */
  infoRequestReminderDays: number;
  /** Working days a department or third party gets to answer a consultation, by default. */
  consultationDays: number;
  /** Hours after a resolution before the satisfaction survey is sent. */
  surveyDelayHours: number;
  /** Days after a resolution before the complaint closes by itself when the customer does not answer. */
  autoCloseDays: number;
  /** Days after a resolution during which the customer may reopen the same complaint. */
  reopenWindowDays: number;
  /** Days a signed link (survey, third-party reply, the status-page link of a mail to the customer) stays valid. */
  linkValidityDays: number;
}

export const DEFAULT_WORKFLOW: WorkflowPolicy = {
  proposalApprovalThresholdVnd: 5_000_000,
  infoRequestDays: 5,
  infoRequestReminderDays: 1,
  consultationDays: 3,
  surveyDelayHours: 2,
  autoCloseDays: 7,
  reopenWindowDays: 30,
  linkValidityDays: 14,
};

const LIMITS: Record<keyof WorkflowPolicy, [min: number, max: number]> = {
  proposalApprovalThresholdVnd: [0, 100_000_000_000],
  infoRequestDays: [1, 60],
  infoRequestReminderDays: [0, 30],
  consultationDays: [1, 60],
  surveyDelayHours: [0, 720],
  autoCloseDays: [1, 365],
  reopenWindowDays: [0, 365],
  linkValidityDays: [1, 90],
};

/** Checks a workflow policy an admin submitted, every field; whole numbers within sane bounds. */
export function parseWorkflowPolicy(input: unknown): WorkflowPolicy {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new AppError('validation_failed', { fields: [{ field: '(body)', code: 'wrong_type' }] });
  }
  const raw = input as Record<string, unknown>;
  const fields: FieldError[] = [];
  const out = { ...DEFAULT_WORKFLOW };
  for (const k of Object.keys(raw)) if (!(k in LIMITS)) fields.push({ field: k, code: 'unknown_field' });
  for (const [k, [min, max]] of Object.entries(LIMITS) as [keyof WorkflowPolicy, [number, number]][]) {
    const v = raw[k];
    if (v === undefined) {
      fields.push({ field: k, code: 'required' });
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) fields.push({ field: k, code: 'must_be_integer' });
    else if (v < min || v > max) fields.push({ field: k, code: 'out_of_range' });
    else out[k] = v;
  }
  if (fields.length) throw new AppError('validation_failed', { fields });
  return out;
}
