import { Type, type Static } from '@sinclair/typebox';
import { CHANNELS } from '../../../domain/vocabulary';
import { CORRECTIVE_ACTION_STATUSES, GROUP_BYS, REPORT_NAMES } from '../../../domain/reports';

/** Shapes of step 5's API (surveys, reopening, root causes, corrective actions, reports), written once. */

const literalUnion = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

const TContact = Type.String({ minLength: 3, maxLength: 254 });
const TRating = Type.Integer({ minimum: 1, maximum: 5 });
const TComment = Type.String({ maxLength: 2000 });
const TReason = Type.String({ minLength: 1, maxLength: 2000 });
const TUuid = Type.String({ format: 'uuid' });
const TDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const TCodes = Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 50 });

export const TCodeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });
export const TIdParams = Type.Object({ id: TUuid });
/** A signed token is longer than the router's 100-character limit on a path parameter: the rest of the path is taken as a wildcard. */
export const TTokenParams = Type.Object({ '*': Type.String({ minLength: 1, maxLength: 1000 }) });

/** Khảo sát — the customer's answer by link: a rating 1–5 and an optional comment. */
export const TSurveyAnswerInput = Type.Object({ rating: TRating, comment: Type.Optional(TComment) }, { additionalProperties: false });
export type SurveyAnswerInput = Static<typeof TSurveyAnswerInput>;
/** The same answer from the status page, after proving the contact on file. */
export const TPortalSurveyInput = Type.Object(
  { contact: TContact, rating: TRating, comment: Type.Optional(TComment) },
  { additionalProperties: false },
);
export const TContactQuery = Type.Object({ contact: TContact }, { additionalProperties: false });

/** Mở lại — from the status page. */
export const TPortalReopenInput = Type.Object({ contact: TContact, reason: TReason }, { additionalProperties: false });
/** Mở lại — by a supervisor; `channel` is where the customer asked (used if a new complaint must be opened). */
export const TReopenInput = Type.Object(
  { reason: TReason, channel: Type.Optional(literalUnion(CHANNELS)) },
  { additionalProperties: false },
);

export const TRootCauseInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.Optional(Type.String({ maxLength: 200 })),
    slug: Type.Optional(Type.String({ maxLength: 60 })),
  },
  { additionalProperties: false },
);
export const TRootCausePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    nameEn: Type.Optional(Type.String({ maxLength: 200 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const TRootCauseQuery = Type.Object(
  { active: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) },
  { additionalProperties: false },
);
export const TComplaintRootCauseInput = Type.Object({ rootCauseId: TUuid }, { additionalProperties: false });

const TActionStatus = literalUnion(CORRECTIVE_ACTION_STATUSES);
export const TCorrectiveActionInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Type.String({ maxLength: 20000 })),
    ownerId: Type.Optional(Type.Union([TUuid, Type.Null()])),
    rootCauseId: Type.Optional(Type.Union([TUuid, Type.Null()])),
    dueDate: Type.Optional(Type.Union([TDate, Type.Null()])),
    status: Type.Optional(TActionStatus),
    /** Opened from a complaint: its code (it is linked, and lends its root cause when none is given). */
    complaintCodes: Type.Optional(TCodes),
  },
  { additionalProperties: false },
);
export type CorrectiveActionBody = Static<typeof TCorrectiveActionInput>;
export const TCorrectiveActionPatch = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    description: Type.Optional(Type.String({ maxLength: 20000 })),
    ownerId: Type.Optional(Type.Union([TUuid, Type.Null()])),
    rootCauseId: Type.Optional(Type.Union([TUuid, Type.Null()])),
    dueDate: Type.Optional(Type.Union([TDate, Type.Null()])),
    status: Type.Optional(TActionStatus),
    linkComplaints: Type.Optional(TCodes),
    unlinkComplaints: Type.Optional(TCodes),
  },
  { additionalProperties: false },
);
export const TCorrectiveActionQuery = Type.Object(
  {
    status: Type.Optional(TActionStatus),
    rootCauseId: Type.Optional(TUuid),
    /** A complaint code: the actions linked to it. */
    complaint: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

/** Every report: a period of whole days in Vietnam time (default the last 30), cut by day, week or month. */
export const TReportQuery = Type.Object(
  {
    from: Type.Optional(TDate),
    to: Type.Optional(TDate),
    groupBy: Type.Optional(literalUnion(GROUP_BYS)),
    /** Days before and after each corrective action compared (default 30); its whole weeks start the weekly trend. */
    windowDays: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
    /** Language of the labels and of the exports' headers and values; wins over Accept-Language (default vi). */
    lang: Type.Optional(literalUnion(['vi', 'en'] as const)),
  },
  { additionalProperties: false },
);
export const TReportFileParams = Type.Object({
  file: Type.String({ pattern: `^(${REPORT_NAMES.join('|')})\\.(csv|xlsx)$` }),
});
