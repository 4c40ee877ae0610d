import { logAccess } from '../../access-log';
import { findComplaintById } from '../../../db/queries/complaints';
import { logOutsidePartyAccess } from '../../../db/queries/personal-data';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Upload } from '../../../commands/add-attachments';
import { answerConsultation, answerConsultationByLink, checkConsultationLink, mayAnswerConsultation } from '../../../commands/answer-consultation';
import { answerInformationRequest } from '../../../commands/answer-information-request';
import { cancelConsultation, MAX_SHARED_FILES, requestConsultation, resendConsultation } from '../../../commands/request-consultation';
import { cancelInformationRequest, INFO_REQUEST_ITEM_KINDS, requestInformation } from '../../../commands/request-information';
import { VERIFICATION_STATUSES, verifyEvidence } from '../../../commands/verify-evidence';
import { findComplaint, findComplaintForContact, listEvents } from '../../../db/queries/complaints';
import {
  findConsultation,
  findConsultationFile,
  findOpenInfoRequest,
  listComplaintConsultations,
  listConsultationFiles,
  listConsultationSharedFiles,
  listConsultations,
  listEvidence,
  listInfoRequests,
  type ConsultationRow,
  type EvidenceRow,
} from '../../../db/queries/investigation';
import { AppError } from '../../../domain/errors';
import { queryFlag, TQueryFlag } from '../../../domain/schemas';
import { loadSlaContext } from '../../../db/queries/settings';
import { type FileStore } from '../../../files/store';
import { openFileStore } from '../../../files/open';
import { presentComplaintForCustomer } from '../../../presenters/complaint';
import {
  presentConsultationForDepartment,
  presentConsultationForParty,
  presentConsultationForStaff,
  presentInformationRequestForCustomer,
  presentInvestigationForStaff,
} from '../../../presenters/investigation';
import type { StaffUser } from '../../../commands/staff-accounts';
import type { RouteDeps } from '../../app';
import { requireAbility, staffActor } from '../../auth';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf } from '../../idempotency';
import { readCustomerUploads, readUploads } from '../../uploads';
import { contentDisposition } from '../../content-disposition';

/** A string enum checked with one `enum` keyword, so the error names the field once. */
const literalUnion = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

/** Yêu cầu bổ sung thông tin — what the agent's form sends. */
export const TInformationRequestInput = Type.Object(
  {
    items: Type.Array(
      Type.Object({ kind: literalUnion(INFO_REQUEST_ITEM_KINDS), text: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      { maxItems: 10 },
    ),
    message: Type.Optional(Type.String({ maxLength: 5000 })),
    /** Working days to answer (default: the workflow policy's infoRequestDays). */
    dueDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    /** One per form submission: a double click returns the first request (the Idempotency-Key header works too). */
    clientKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type InformationRequestInput = Static<typeof TInformationRequestInput>;

/**
 * Tham vấn — to a team (`internal`, teamId) or an outside party (`external`, partyName + partyEmail),
 * sharing some of the complaint's files (`shareFileIds`: evidence ids). Sent as JSON, or as
 * multipart/form-data with the same fields (`shareFileIds` comma-separated) and new files under "files".
 */
export const TConsultationInput = Type.Object(
  {
    kind: literalUnion(['internal', 'external'] as const),
    teamId: Type.Optional(Type.String({ maxLength: 36 })),
    partyName: Type.Optional(Type.String({ maxLength: 200 })),
    partyEmail: Type.Optional(Type.String({ maxLength: 254 })),
    question: Type.String({ maxLength: 10_000 }),
    dueDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    clientKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** The complaint's files to share with the department or party (the `id` of each evidence file). */
    shareFileIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: MAX_SHARED_FILES })),
  },
  { additionalProperties: false },
);
export type ConsultationInput = Static<typeof TConsultationInput>;

/**
 * The text fields of a multipart consultation form as the JSON body would carry them, so one schema
 * validates both: `dueDays` as a number, `shareFileIds` split on commas, empty optional fields left out.
 */
function consultationBodyOf(fields: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'question' || name === 'kind') body[name] = value;
    else if (value.trim() === '') continue;
    else if (name === 'dueDays') body[name] = /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
    else if (name === 'shareFileIds') body[name] = value.split(',').map((id) => id.trim()).filter(Boolean);
    else body[name] = value;
  }
  return body;
}

export const TVerificationInput = Type.Object(
  { status: literalUnion(VERIFICATION_STATUSES), note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export type VerificationInput = Static<typeof TVerificationInput>;

const TReasonInput = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
const TCodeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });
const TIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/**
 * A signed token is longer than the router's 100-character limit on a path parameter, so the reply
 * routes take the rest of the path (`/api/v1/public/consultations/<token>`) as a wildcard.
 */
const TTokenParams = Type.Object({ '*': Type.String({ minLength: 1, maxLength: 2000 }) });
const SHA256 = Type.String({ pattern: '^[0-9a-f]{64}$' });

/** Files sent with a consultation's question, read with its form (after authentication) for the handler. */
const questionUploads = new WeakMap<FastifyRequest, Upload[]>();

/**
 * A preValidation hook after the ability check: a multipart consultation form becomes the body the
 * schema validates, and its files wait for the handler. A JSON body passes through untouched.
 */
async function readConsultationForm(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  const { fields, uploads } = await readUploads(request);
  questionUploads.set(request, uploads);
  request.body = consultationBodyOf(fields);
}

/** Sends a stored file as a download that the browser never renders in the app's origin. */
async function sendFile(reply: FastifyReply, files: FileStore, file: EvidenceRow) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', contentDisposition(file.filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(await files.get(file.sha256));
}

/** Step 3 (xác minh): information requests, evidence verification, consultations. */
export const investigationRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database, config }) => {
  const files = openFileStore(config, database);
  const mail = { baseUrl: config.baseUrl, companyName: config.companyName };

  const investigation = async (code: string) => {
    const row = await findComplaint(database, code);
    if (!row) throw new AppError('complaint_not_found');
    const [requests, consultations, evidence, sla] = await Promise.all([
      listInfoRequests(database, row.id),
      listComplaintConsultations(database, row.id),
      listEvidence(database, row.id),
      loadSlaContext(database),
    ]);
    // The forms' "leave empty for the default" hints show the admin's current defaults to every role.
    const defaults = { infoRequestDays: sla.workflow.infoRequestDays, consultationDays: sla.workflow.consultationDays };
    return { ...presentInvestigationForStaff(row.code, requests, consultations, evidence), defaults };
  };

  /**
   * A consultation as this staff member may see it: a department member gets the narrow view of their
   * team's only, with the files shared with it and those of its answer.
   */
  const consultationView = async (user: StaffUser, k: ConsultationRow) => {
    if (!mayAnswerConsultation(user, k)) throw new AppError('consultation_not_found');
    const answerFiles = await listConsultationFiles(database, k.id);
    const sharedFiles = await listConsultationSharedFiles(database, k.id);
    if (user.role === 'department') return presentConsultationForDepartment(k, answerFiles, sharedFiles);
    return presentConsultationForStaff(k, [...sharedFiles, ...answerFiles]);
  };

  /** The outside party's view through a checked link: the question and the files shared with them. */
  const partyView = async (k: ConsultationRow, token: string) =>
    presentConsultationForParty(k, config.companyName, await listConsultationSharedFiles(database, k.id), token);

  // —— Staff: the verification step of one complaint ——

  app.get(
    '/api/v1/complaints/:code/investigation',
    {
      preValidation: requireAbility(database, 'complaint.read'),
      schema: { tags: ['investigation'], summary: 'Information requests, consultations and evidence verification of a complaint', params: TCodeParams },
    },
    async (request) => investigation(request.params.code),
  );

  app.post(
    '/api/v1/complaints/:code/information-requests',
    {
      preValidation: requireAbility(database, 'info_request.manage'),
      config: { idempotency: 'own' },
      schema: {
        tags: ['investigation'],
        summary: 'Ask the customer for information by a due date (working days); the complaint awaits the customer and its resolution clock pauses',
        params: TCodeParams,
        headers: IDEMPOTENCY_HEADER,
        body: TInformationRequestInput,
      },
    },
    async (request, reply) => {
      const created = await requestInformation({
        database,
        actor: staffActor(request),
        code: request.params.code,
        items: request.body.items,
        message: request.body.message ?? '',
        dueDays: request.body.dueDays,
        clientKey: request.body.clientKey ?? idempotencyKeyOf(request),
        mail,
      });
      const view = await investigation(request.params.code);
      return reply.status(created.replayed ? 200 : 201).send({ request: view.infoRequests.find((r) => r.id === created.id)!, investigation: view });
    },
  );

  app.post(
    '/api/v1/complaints/:code/information-requests/:id/cancel',
    {
      preValidation: requireAbility(database, 'info_request.manage'),
      schema: {
        tags: ['investigation'],
        summary: 'Cancel an open information request; a complaint waiting only on it goes back to investigation',
        params: Type.Object({ code: Type.String({ maxLength: 40 }), id: Type.String({ format: 'uuid' }) }),
        body: TReasonInput,
      },
    },
    async (request) => {
      await cancelInformationRequest({ database, actor: staffActor(request), code: request.params.code, requestId: request.params.id, reason: request.body.reason });
      return investigation(request.params.code);
    },
  );

  app.post(
    '/api/v1/complaints/:code/attachments/:sha256/verification',
    {
      preValidation: requireAbility(database, 'evidence.verify'),
      schema: {
        tags: ['investigation'],
        summary: 'Record that an evidence file was verified or is disputed, with a note',
        params: Type.Object({ code: Type.String({ maxLength: 40 }), sha256: SHA256 }),
        body: TVerificationInput,
      },
    },
    async (request) => {
      await verifyEvidence({
        database,
        actor: staffActor(request),
        code: request.params.code,
        sha256: request.params.sha256,
        status: request.body.status,
        note: request.body.note,
      });
      return investigation(request.params.code);
    },
  );

  app.post(
    '/api/v1/complaints/:code/consultations',
    {
      // The form (with its files) is read only after the caller's ability is checked.
      preValidation: [requireAbility(database, 'consultation.manage'), readConsultationForm],
      config: { idempotency: 'own' },
      schema: {
        tags: ['investigation'],
        summary:
          'Consult an internal department (in-app) or an outside party (email with a signed reply link), sharing some of the complaint’s files ' +
          '(shareFileIds) and new ones (multipart/form-data: the same fields, shareFileIds comma-separated, files under "files"; checked as every upload)',
        params: TCodeParams,
        headers: IDEMPOTENCY_HEADER,
        consumes: ['application/json', 'multipart/form-data'],
        body: TConsultationInput,
      },
    },
    async (request, reply) => {
      const b = request.body;
      const created = await requestConsultation({
        database,
        actor: staffActor(request),
        code: request.params.code,
        target: b.kind === 'internal' ? { kind: 'internal', teamId: b.teamId ?? '' } : { kind: 'external', name: b.partyName ?? '', email: b.partyEmail ?? '' },
        question: b.question,
        dueDays: b.dueDays,
        clientKey: b.clientKey ?? idempotencyKeyOf(request),
        shareFileIds: b.shareFileIds,
        uploads: questionUploads.get(request) ?? [],
        files,
        mail,
      });
      const view = await investigation(request.params.code);
      return reply
        .status(created.replayed ? 200 : 201)
        .send({ consultation: view.consultations.find((k) => k.id === created.id)!, investigation: view });
    },
  );

  // —— Consultations across complaints: the department inbox ——

  app.get(
    '/api/v1/consultations',
    {
      preValidation: requireAbility(database, 'consultation.answer'),
      schema: {
        tags: ['investigation'],
        summary: 'Consultations: a department member sees only those addressed to their team; mine=1 limits anyone to their team',
        querystring: Type.Object(
          {
            mine: Type.Optional(TQueryFlag),
            status: Type.Optional(literalUnion(['open', 'answered', 'cancelled'] as const)),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const user = staffActor(request).user;
      const mine = queryFlag(request.query.mine);
      const teamOnly = user.role === 'department' || mine;
      const rows = await listConsultations(database, { teamId: teamOnly ? user.teamId : undefined, status: request.query.status, limit: 200 });
      return { items: await Promise.all(rows.map((k) => consultationView(user, k))) };
    },
  );

  app.get(
    '/api/v1/consultations/:id',
    {
      preValidation: requireAbility(database, 'consultation.answer'),
      schema: { tags: ['investigation'], summary: 'One consultation (a department member: only their team’s)', params: TIdParams },
    },
    async (request) => {
      const k = await findConsultation(database, request.params.id);
      if (!k) throw new AppError('consultation_not_found');
      return consultationView(staffActor(request).user, k);
    },
  );

  app.get(
    '/api/v1/consultations/:id/files/:sha256',
    {
      preValidation: requireAbility(database, 'consultation.answer'),
      schema: {
        tags: ['investigation'],
        summary: 'Download a file shared with a consultation or given with its answer (any other file of the complaint: 404)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), sha256: SHA256 }),
      },
    },
    async (request, reply) => {
      const k = await findConsultation(database, request.params.id);
      if (!k || !mayAnswerConsultation(staffActor(request).user, k)) throw new AppError('consultation_not_found');
      const file = await findConsultationFile(database, k.id, request.params.sha256, { sharedOnly: false });
      if (!file) throw new AppError('not_found');
      const owner = await findComplaintById(database, k.complaintId);
      if (owner) await logAccess(database, request, { customerId: owner.customer.id, complaintId: owner.id }, 'attachment.download');
      return sendFile(reply, files, file);
    },
  );

  app.post(
    '/api/v1/consultations/:id/answer',
    {
      preValidation: requireAbility(database, 'consultation.answer'),
      schema: {
        tags: ['investigation'],
        summary: 'Answer a consultation (multipart/form-data: field "answer" and files); once only',
        params: TIdParams,
        consumes: ['multipart/form-data'],
      },
    },
    async (request, reply) => {
      const actor = staffActor(request);
      const { fields, uploads } = await readUploads(request);
      const k = await answerConsultation({ database, files, user: actor.user, actor, id: request.params.id, answer: fields.answer ?? '', uploads });
      return reply.status(201).send(await consultationView(actor.user, k));
    },
  );

  app.post(
    '/api/v1/consultations/:id/resend',
    {
      preValidation: requireAbility(database, 'consultation.manage'),
      schema: {
        tags: ['investigation'],
        summary: 'Send an outside party a new reply link (optionally to another address); earlier links stop working',
        params: TIdParams,
        body: Type.Object({ partyEmail: Type.Optional(Type.String({ maxLength: 254 })) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const actor = staffActor(request);
      await resendConsultation({ database, actor, id: request.params.id, email: request.body.partyEmail, mail });
      return consultationView(actor.user, (await findConsultation(database, request.params.id))!);
    },
  );

  app.post(
    '/api/v1/consultations/:id/cancel',
    {
      preValidation: requireAbility(database, 'consultation.manage'),
      schema: { tags: ['investigation'], summary: 'Cancel an open consultation; its reply link stops working', params: TIdParams, body: TReasonInput },
    },
    async (request) => {
      const actor = staffActor(request);
      await cancelConsultation({ database, actor, id: request.params.id, reason: request.body.reason });
      return consultationView(actor.user, (await findConsultation(database, request.params.id))!);
    },
  );

  // —— Customer (portal): the open information request and the answer ——

  app.get(
    '/api/v1/portal/complaints/:code/information',
    {
      config: { rateLimit: { max: config.rateLimits.publicLookup, timeWindow: '1 minute' } },
      schema: {
        tags: ['portal'],
        summary: 'The information the customer is asked for, if any (needs the phone or email the complaint was filed with)',
        params: TCodeParams,
        querystring: Type.Object({ contact: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const row = await findComplaintForContact(database, request.params.code, request.query.contact);
      if (!row) throw new AppError('complaint_not_found');
      return presentInformationRequestForCustomer(row, await findOpenInfoRequest(database, row.id));
    },
  );

  app.post(
    '/api/v1/portal/complaints/:code/information',
    {
      config: { rateLimit: { max: config.rateLimits.publicIntake, timeWindow: '1 minute' } },
      schema: {
        tags: ['portal'],
        summary: 'Answer an information request (multipart/form-data: contact, requestId, message and files)',
        params: TCodeParams,
        consumes: ['multipart/form-data'],
      },
    },
    async (request, reply) => {
      const { fields, uploads } = await readCustomerUploads(request, database, request.params.code);
      const contact = fields.contact ?? '';
      const { replayed } = await answerInformationRequest({
        database,
        files,
        code: request.params.code,
        contact,
        requestId: fields.requestId ?? '',
        message: fields.message ?? '',
        uploads,
      });
      const row = await findComplaintForContact(database, request.params.code, contact);
      if (!row) throw new AppError('complaint_not_found');
      return reply.status(replayed ? 200 : 201).send(presentComplaintForCustomer(row, await listEvents(database, row.id)));
    },
  );

  // —— Outside party (signed link, no account) ——

  const linkRoute = { config: { rateLimit: { max: config.rateLimits.publicIntake, timeWindow: '1 minute' } } };

  app.get(
    '/api/v1/public/consultations/*',
    {
      ...linkRoute,
      schema: {
        tags: ['public'],
        summary: 'The question an outside party is asked and the files shared with them (signed link; 410 expired or replaced, 403 invalid)',
        params: TTokenParams,
      },
    },
    async (request) => {
      const k = await checkConsultationLink(database, request.params['*']);
      // The question and the shared files' names speak of the customer: logged before they are shown.
      await logOutsidePartyAccess(database, { consultationId: k.id, action: 'consultation.party_view' });
      return partyView(k, request.params['*']);
    },
  );

  app.get(
    '/api/v1/public/consultation-files/:sha256/*',
    {
      ...linkRoute,
      schema: {
        tags: ['public'],
        summary: 'Download a file shared with an outside party (the signed link’s token after the hash; any other file: 404; link as for the question)',
        params: Type.Object({ sha256: SHA256, '*': Type.String({ minLength: 1, maxLength: 2000 }) }),
      },
    },
    async (request, reply) => {
      const k = await checkConsultationLink(database, request.params['*']);
      const file = await findConsultationFile(database, k.id, request.params.sha256, { sharedOnly: true });
      if (!file) throw new AppError('not_found');
      await logOutsidePartyAccess(database, { consultationId: k.id, action: 'consultation.party_download' });
      return sendFile(reply, files, file);
    },
  );

  app.post(
    '/api/v1/public/consultations/*',
    {
      ...linkRoute,
      schema: {
        tags: ['public'],
        summary: 'An outside party answers (multipart/form-data: "answer" and files); once only (409 after)',
        params: TTokenParams,
        consumes: ['multipart/form-data'],
      },
    },
    async (request, reply) => {
      // The link is checked before the upload is read: a refused link stores nothing.
      await checkConsultationLink(database, request.params['*']);
      const { fields, uploads } = await readUploads(request);
      const k = await answerConsultationByLink({ database, files, token: request.params['*'], answer: fields.answer ?? '', uploads });
      return reply.status(201).send(await partyView(k, request.params['*']));
    },
  );
};
