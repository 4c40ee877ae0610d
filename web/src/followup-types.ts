// Shapes of step 5's API (theo dõi và cải tiến): reports, root causes, corrective actions,
// authorities, the workflow policy and the satisfaction survey, as the web app reads them.
// Every shape is the server's own, imported as a type only (nothing of the server is bundled);
// the corrective-action states come from the pure domain vocabulary, as types.ts does for STATUSES.
import type { AuthorityKind } from '../../src/db/queries/resolution';
import type { AuthorityInput as ServerAuthorityInput } from '../../src/commands/manage-authorities';

export type {
  AgentFigures,
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
export type { RootCause } from '../../src/commands/manage-root-causes';

export { CORRECTIVE_ACTION_STATUSES, type CorrectiveActionStatus } from '../../src/domain/reports';

/** Hành động khắc phục. */
export type { CorrectiveActionRow as CorrectiveAction } from '../../src/db/queries/reports';
export type { CorrectiveActionInput, CorrectiveActionPatch } from '../../src/commands/manage-corrective-actions';

export type { AuthorityKind } from '../../src/db/queries/resolution';
/** The kinds offered in the directory's form and filter; `satisfies` keeps them to the server's list. */
export const AUTHORITY_KINDS = [
  'department_of_industry_trade',
  'consumer_association',
  'mediation',
  'arbitration',
  'court',
  'other',
] as const satisfies readonly AuthorityKind[];

/** Cơ quan có thẩm quyền — one entry of the directory, as the server presents it. */
export type { AuthorityView as Authority } from '../../src/presenters/resolution';

/** Body of POST (kind and name required there) and PATCH /api/v1/authorities. */
export type AuthorityInput = Partial<ServerAuthorityInput>;

/** GET /api/v1/public/surveys/{token}; 201 of POST /api/v1/public/surveys/{token}. */
export type { SurveyAnswer, SurveyView } from '../../src/commands/answer-survey';
