import { STAFF_ROLES, type StaffRole } from './lifecycle';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { STATUSES } from './lifecycle';
import { PRESENCE_ACTIVITIES } from './presence';
import { MAX_REMINDER_NOTE, REMINDER_PRESETS } from './reminders';
import { CHANNELS, LANGUAGES, MAX_BULK_ASSIGN, MAX_NOTE_MENTIONS, PRIORITIES, VULNERABLE_GROUPS } from './vocabulary';

/** Shapes of what crosses the API, written once and used by routes, OpenAPI and the web forms. */

export { CHANNELS, PRIORITIES, type Channel, type Priority } from './vocabulary';

/** A string enum that AJV checks with one `enum` keyword, so the error names the field once. */
const literalUnion = <T extends readonly string[]>(values: T) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

export const TStatus = literalUnion(STATUSES);
export const TChannel = literalUnion(CHANNELS);
export const TPriority = literalUnion(PRIORITIES);
export const TVulnerableGroup = literalUnion(VULNERABLE_GROUPS);
export const TLanguage = literalUnion(LANGUAGES);
/** A yes/no query parameter (`?mine=1`, `?all=true`): query strings carry no booleans. */
export const TQueryFlag = literalUnion(['1', '0', 'true', 'false'] as const);
export const queryFlag = (value: string | undefined): boolean => value === '1' || value === 'true';

/** A field a client may leave out or send as null, both meaning not given (intake's rules then apply). */
const optionalOrNull = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

export const TCustomerInput = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    phone: optionalOrNull(Type.String({ maxLength: 40 })),
    email: optionalOrNull(Type.String({ maxLength: 254 })),
    /** Tỉnh/thành phố where the customer lives (one of the 34, written any usual way); decides the competent Sở Công Thương. */
    province: optionalOrNull(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const TPortalComplaintInput = Type.Object(
  {
    customer: TCustomerInput,
    subject: Type.String({ maxLength: 300 }),
    description: Type.String({ maxLength: 20000 }),
    orderRef: Type.Optional(Type.String({ maxLength: 100 })),
    product: Type.Optional(Type.String({ maxLength: 200 })),
    consent: Type.Optional(Type.Boolean()),
    /** The customer's own word that they belong to a vulnerable group (Art. 8): handled first. */
    vulnerableGroup: optionalOrNull(TVulnerableGroup),
    /** The language to write to the customer in (mails, status link, receipt): the form's; when not given, Accept-Language's. */
    language: optionalOrNull(TLanguage),
    /** Honeypot: a field people never see; must stay empty. */
    website: Type.Optional(Type.String({ maxLength: 500 })),
    /** Milliseconds between showing the form and sending it; a person takes more than a few seconds. */
    fillMs: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type PortalComplaintInput = Static<typeof TPortalComplaintInput>;

export const TStaffComplaintInput = Type.Object(
  {
    customer: TCustomerInput,
    subject: Type.String({ maxLength: 300 }),
    description: Type.String({ maxLength: 20000 }),
    orderRef: Type.Optional(Type.String({ maxLength: 100 })),
    product: Type.Optional(Type.String({ maxLength: 200 })),
    channel: TChannel,
    categoryId: Type.Optional(Type.String({ format: 'uuid' })),
    priority: Type.Optional(TPriority),
    consent: Type.Optional(Type.Boolean()),
    vulnerableGroup: optionalOrNull(TVulnerableGroup),
    /** The language to write to the customer in (mails, status link, receipt); Vietnamese when not given. */
    language: optionalOrNull(TLanguage),
  },
  { additionalProperties: false },
);
export type StaffComplaintInput = Static<typeof TStaffComplaintInput>;

export const TTransitionInput = Type.Object(
  {
    to: TStatus,
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    /** With `to: merged`: the code of the complaint this one duplicates (it carries on). */
    mergedInto: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export const TAssignInput = Type.Object(
  {
    assigneeId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    teamId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  },
  { additionalProperties: false },
);
/** Phân công hàng loạt: the complaints ticked in the queue, given to one staff member and/or team. */
export const TBulkAssignInput = Type.Object(
  {
    codes: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: MAX_BULK_ASSIGN }),
    assigneeId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    teamId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  },
  { additionalProperties: false },
);
/** Mẫu trả lời (domain/reply-templates.ts checks the rest: names, placeholders). */
export const TReplyTemplateInput = Type.Object(
  {
    name: Type.String({ maxLength: 500 }),
    language: Type.Optional(TLanguage),
    body: Type.String({ maxLength: 20000 }),
  },
  { additionalProperties: false },
);
/** A routing rule (domain/routing.ts): what it looks at (each left out: any) and where it sends the complaint. */
const routingRuleFields = {
  name: Type.String({ maxLength: 500 }),
  active: Type.Boolean(),
  channels: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 }),
  categoryId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  keywords: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }),
  vulnerableOnly: Type.Boolean(),
  teamId: Type.String({ format: 'uuid' }),
  assigneeId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  priority: Type.Union([Type.String({ maxLength: 20 }), Type.Null()]),
  /** Its place in the order (1 first); left out: last. */
  position: Type.Integer({ minimum: 1, maximum: 1000 }),
};
export const TRoutingRuleInput = Type.Object(
  {
    name: routingRuleFields.name,
    teamId: routingRuleFields.teamId,
    active: Type.Optional(routingRuleFields.active),
    channels: Type.Optional(routingRuleFields.channels),
    categoryId: Type.Optional(routingRuleFields.categoryId),
    keywords: Type.Optional(routingRuleFields.keywords),
    vulnerableOnly: Type.Optional(routingRuleFields.vulnerableOnly),
    assigneeId: Type.Optional(routingRuleFields.assigneeId),
    priority: Type.Optional(routingRuleFields.priority),
    position: Type.Optional(routingRuleFields.position),
  },
  { additionalProperties: false },
);
export const TRoutingRulePatch = Type.Partial(Type.Object(routingRuleFields), { additionalProperties: false });
export const TReplyTemplatePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 500 })),
    language: Type.Optional(TLanguage),
    body: Type.Optional(Type.String({ maxLength: 20000 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const TNoteInput = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: 20000 }),
    /** Colleagues named in the note (staff ids): each is told in the app and by mail. */
    mentions: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: MAX_NOTE_MENTIONS, uniqueItems: true })),
  },
  { additionalProperties: false },
);
/** A saved queue view (domain/saved-views.ts): a name and the queue's address query. */
export const TSavedViewInput = Type.Object(
  { name: Type.String({ maxLength: 200 }), query: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false },
);
/** Nhắc tôi (domain/reminders.ts): when to be reminded of a complaint, and a line to oneself. */
export const TReminderInput = Type.Object(
  { at: Type.String({ format: 'date-time' }), note: Type.Optional(Type.String({ maxLength: MAX_REMINDER_NOTE })) },
  { additionalProperties: false },
);
/** Nhắc lại sau: one of the quick choices' times (domain/reminders.ts REMINDER_PRESETS). */
export const TReminderSnoozeInput = Type.Object({ preset: literalUnion(REMINDER_PRESETS) }, { additionalProperties: false });
/** A heartbeat of an open complaint page (commands/mark-presence.ts): reading it, or writing to the customer. */
export const TPresenceInput = Type.Object({ activity: literalUnion(PRESENCE_ACTIVITIES) }, { additionalProperties: false });
/** An agent's message to the customer, sent by email (commands/reply-to-customer.ts). */
export const TReplyInput = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: 10000 }),
    /**
     * The last timeline event the writer had seen (its seq): a contact with the customer by a colleague after it
     * refuses the reply once (409 reply_collision); sent again without it, the reply goes.
     */
    afterEvent: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Files of the complaint to send with the mail, by SHA-256 (the last part of their download address): at most 10, 15 MB in all. */
    attachments: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$' }), { maxItems: 10 })),
  },
  { additionalProperties: false },
);
/** An agent's text to the customer's phone (commands/text-customer.ts): folded to plain letters, at most two SMS parts. */
export const TSmsInput = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 1000 }),
    afterEvent: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export const TComplaintPatch = Type.Object(
  {
    categoryId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    priority: Type.Optional(TPriority),
    product: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    /** The customer's province as recorded on this complaint; null clears it. */
    customerProvince: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    /** Corrections of the complaint's own text, as long as intake takes them; the order number's null or "" removes it. */
    subject: Type.Optional(Type.String({ maxLength: 300 })),
    description: Type.Optional(Type.String({ maxLength: 20000 })),
    orderRef: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    /** The consumer's vulnerable group (Art. 8); null clears it. */
    vulnerableGroup: Type.Optional(Type.Union([TVulnerableGroup, Type.Null()])),
    /** The language Sen writes to the customer in from now on. */
    language: Type.Optional(TLanguage),
  },
  { additionalProperties: false },
);
/** A correction of a customer's record (at least one of name, phone, email); a phone or email sent null or "" is removed. */
/** Gộp hồ sơ — the other record of the same person (its id, a complaint code of it, its phone or its email), and why. */
export const TCustomerMerge = Type.Object(
  {
    from: Type.String({ minLength: 3, maxLength: 254 }),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const TCustomerPatch = Type.Object(
  {
    name: Type.Optional(TCustomerInput.properties.name),
    phone: Type.Optional(Type.Union([TCustomerInput.properties.phone.anyOf[0], Type.Null()])),
    email: Type.Optional(Type.Union([TCustomerInput.properties.email.anyOf[0], Type.Null()])),
    /** Why (the customer asked, a typo at the hotline): kept in the timeline. */
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type CustomerPatch = Static<typeof TCustomerPatch>;
export const TLoginInput = Type.Object(
  { email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 1000 }) },
  { additionalProperties: false },
);
export const TCategoryInput = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), nameEn: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export const TCategoryPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    nameEn: Type.Optional(Type.String({ maxLength: 200 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** `limit` of a list page, as a query string: 1 to 999 (a route caps it); 0 or a sign is a field error, not a page of one. */
export const TPageLimit = Type.String({ pattern: '^[1-9][0-9]{0,2}$' });

/** The query of a route that takes no parameters: an unknown one is a field error, as on every route with a query. */
export const TNoQuery = Type.Object({}, { additionalProperties: false });

export const TListQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 300 })),
    assigneeId: Type.Optional(Type.String({ maxLength: 40 })),
    teamId: Type.Optional(Type.String({ format: 'uuid' })),
    channel: Type.Optional(TChannel),
    categoryId: Type.Optional(Type.String({ format: 'uuid' })),
    priority: Type.Optional(TPriority),
    dueBefore: Type.Optional(Type.String({ format: 'date-time' })),
    /** overdue: a running clock is past its due; on_time: none is. */
    sla: Type.Optional(Type.Union([Type.Literal('overdue'), Type.Literal('on_time')])),
    /** me: only the complaints the caller follows (theo dõi). */
    following: Type.Optional(Type.Literal('me')),
    /** due: nearest running deadline first (default); newest: most recently received first. */
    sort: Type.Optional(Type.Union([Type.Literal('due'), Type.Literal('newest')])),
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'Code, phone (any format), email, order number, a phrase of the subject or description, or words starting the words of a customer\'s name ("long", "nguyen long"); diacritics and case ignored. Two letters search names only; one is 422 too_short.',
      }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(TPageLimit),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof TListQuery>;

export const TTeamInput = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const TStaffUserInput = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Unsafe<StaffRole>({ type: 'string', enum: [...STAFF_ROLES] }),
    password: Type.String({ maxLength: 1000 }),
    teamId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    language: Type.Optional(TLanguage),
  },
  { additionalProperties: false },
);

export const TStaffUserPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(Type.Unsafe<StaffRole>({ type: 'string', enum: [...STAFF_ROLES] })),
    teamId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    active: Type.Optional(Type.Boolean()),
    language: Type.Optional(TLanguage),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** A staff member's own settings: the console's language (and their mails'). */
export const TOwnSettings = Type.Object(
  { language: Type.Optional(TLanguage), mailDigest: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);

export const TPasswordChange = Type.Object(
  { currentPassword: Type.String({ maxLength: 1000 }), newPassword: Type.String({ maxLength: 1000 }) },
  { additionalProperties: false },
);

/** Cách liên hệ — how staff reached the customer; the first contact stops the acknowledgement clock. */
export const CONTACT_METHODS = ['call', 'email', 'sms', 'meeting', 'other'] as const;
export const TContactInput = Type.Object(
  {
    method: Type.Union(CONTACT_METHODS.map((m) => Type.Literal(m))),
    summary: Type.String({ minLength: 1, maxLength: 20000 }),
    /** Hẹn gọi lại: when the agent promised to call the customer back (a reminder for them, shown on the complaint). */
    callBackAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
/** A due date set by hand beside the SLA clocks; null removes it. */
export const TDueDateInput = Type.Object(
  { dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) },
  { additionalProperties: false },
);
/** A message from the customer on the status page, after proving the contact on file. */
export const TCustomerMessageInput = Type.Object(
  {
    contact: Type.String({ minLength: 3, maxLength: 200 }),
    message: Type.String({ minLength: 1, maxLength: 20000 }),
  },
  { additionalProperties: false },
);

/** Rút khiếu nại — the customer withdraws their complaint from the status page, saying why. */
export const TCustomerWithdrawInput = Type.Object(
  {
    contact: Type.String({ minLength: 3, maxLength: 200 }),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

/** Liên kết tra cứu — the token of a status-page link from a mail, and the code the page was opened with. */
export const TStatusLinkInput = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 2000 }),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type StatusLinkInput = Static<typeof TStatusLinkInput>;
/** What a valid status-page link proves: the status page looks the complaint up with these two. */
export const TVerifiedStatusLink = Type.Object({ code: Type.String(), contact: Type.String() }, { additionalProperties: false });
export type VerifiedStatusLink = Static<typeof TVerifiedStatusLink>;

/** Cuộc gọi — an agent's record of a hotline call: attached to a complaint, or opening a new one. */
export const TCallInput = Type.Object(
  {
    caller: Type.String({ minLength: 3, maxLength: 40 }),
    startedAt: Type.String({ format: 'date-time' }),
    endedAt: Type.Optional(Type.String({ format: 'date-time' })),
    notes: Type.String({ minLength: 1, maxLength: 20000 }),
    /** Attach to this complaint… */
    complaintCode: Type.Optional(Type.String({ maxLength: 40 })),
    /** …or open a new one from the call. */
    complaint: Type.Optional(
      Type.Object(
        {
          customerName: Type.String({ minLength: 1, maxLength: 200 }),
          email: Type.Optional(Type.String({ maxLength: 254 })),
          /** The caller's province (one of the 34, any usual spelling). */
          province: Type.Optional(Type.String({ maxLength: 100 })),
          subject: Type.String({ maxLength: 300 }),
          description: Type.String({ maxLength: 20000 }),
          orderRef: Type.Optional(Type.String({ maxLength: 100 })),
          categoryId: Type.Optional(Type.String({ format: 'uuid' })),
          priority: Type.Optional(TPriority),
          /** The caller's vulnerable group (Art. 8), when they say so: handled first. */
          vulnerableGroup: optionalOrNull(TVulnerableGroup),
          /** The language to write to the customer in (mails, status link, receipt); Vietnamese when not given. */
          language: optionalOrNull(TLanguage),
          /** The caller agreed, after the agent read them the consent text, to the processing of their data. */
          consent: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    /** A call the call-centre system already reported (from GET /api/v1/calls/recent). */
    callId: Type.Optional(Type.String({ format: 'uuid' })),
    /** Hẹn gọi lại: when the agent promised to call the caller back (a reminder for them, shown on the complaint). */
    callBackAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type CallInput = Static<typeof TCallInput>;

/** A call-centre event, signed with HMAC-SHA256 over "<timestamp>.<body>". */
export const TCallCenterEvent = Type.Object(
  {
    event: Type.Union([Type.Literal('call.started'), Type.Literal('call.ended')]),
    callId: Type.String({ minLength: 1, maxLength: 200 }),
    caller: Type.String({ minLength: 3, maxLength: 40 }),
    agent: Type.Optional(Type.String({ maxLength: 254 })),
    startedAt: Type.Optional(Type.String({ format: 'date-time' })),
    endedAt: Type.Optional(Type.String({ format: 'date-time' })),
    durationSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400 })),
    recordingUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })),
  },
  { additionalProperties: true },
);
export type CallCenterEvent = Static<typeof TCallCenterEvent>;
