// Shapes of step 5's API (theo dõi và cải tiến): reports, root causes, corrective actions,
// authorities, the workflow policy and the satisfaction survey, as the web app reads them.
// The report's own shape is the server's, imported as a type only (nothing of src/ is bundled).

export type {
  ClockOutcome,
  CorrectiveActionEffect,
  CountBy,
  GroupBy,
  RepeatCustomer,
  ReportName,
  ReportSummary,
  SeriesPoint,
  WorkingTimeStats,
} from '../../src/domain/reports';
export type { WorkflowPolicy } from '../../src/domain/workflow';

/** Nguyên nhân gốc — one entry of the taxonomy. */
export interface RootCause {
  id: string;
  slug: string | null;
  name: string;
  nameEn: string | null;
  active: boolean;
}

export const CORRECTIVE_ACTION_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type CorrectiveActionStatus = (typeof CORRECTIVE_ACTION_STATUSES)[number];

/** Hành động khắc phục. */
export interface CorrectiveAction {
  id: string;
  title: string;
  description: string;
  status: CorrectiveActionStatus;
  owner: { id: string; name: string } | null;
  rootCause: { id: string; name: string; nameEn: string | null } | null;
  /** YYYY-MM-DD. */
  dueDate: string | null;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  doneAt: string | null;
  complaints: { code: string; subject: string; status: string }[];
}

export interface CorrectiveActionInput {
  title: string;
  description?: string;
  ownerId?: string | null;
  rootCauseId?: string | null;
  dueDate?: string | null;
  status?: CorrectiveActionStatus;
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

export const AUTHORITY_KINDS = [
  'department_of_industry_trade',
  'consumer_association',
  'mediation',
  'arbitration',
  'court',
  'other',
] as const;
export type AuthorityKind = (typeof AUTHORITY_KINDS)[number];

/** Cơ quan có thẩm quyền — one entry of the directory. */
export interface Authority {
  id: string;
  kind: AuthorityKind;
  kindLabel: { vi: string; en: string };
  name: string;
  province: string | null;
  address: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  active: boolean;
}

export interface AuthorityInput {
  kind?: AuthorityKind;
  name?: string;
  province?: string | null;
  address?: string | null;
  email?: string | null;
  phone?: string | null;
  website?: string | null;
  active?: boolean;
}

/** GET /api/v1/public/surveys/{token}. */
export interface SurveyView {
  code: string;
  subject: string;
  resolutionNo: number;
  question: { vi: string; en: string };
  answered: boolean;
  rating: number | null;
  comment: string | null;
  answeredAt: string | null;
  expiresAt: string | null;
}

/** 201 of POST /api/v1/public/surveys/{token}. */
export interface SurveyAnswer {
  code: string;
  resolutionNo: number;
  rating: number;
  comment: string | null;
  answeredAt: string;
  status: string;
}
