import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { approveProposal } from '../../../commands/approve-proposal';
import { decideProposal } from '../../../commands/decide-proposal';
import { escalateComplaint } from '../../../commands/escalate-complaint';
import { implementProposal } from '../../../commands/implement-proposal';
import { createAuthority, updateAuthority } from '../../../commands/manage-authorities';
import { proposeResolution } from '../../../commands/propose-resolution';
import { recordAuthorityOutcome } from '../../../commands/record-authority-outcome';
import { rejectComplaint } from '../../../commands/reject-complaint';
import { findComplaint, findComplaintForContact, listEvents, listOutbound } from '../../../db/queries/complaints';
import { listAttachments } from '../../../db/queries/attachments';
import {
  AUTHORITY_KINDS,
  complaintRootCause,
  findEscalation,
  listAuthorities,
  listEscalations,
  listProposals,
  PROPOSAL_KINDS,
} from '../../../db/queries/resolution';
import { loadSlaContext } from '../../../db/queries/settings';
import { dossierPdfName } from '../../../documents/dossier-zip';
import { logAccess } from '../../access-log';
import { AppError } from '../../../domain/errors';
import { openFileStore } from '../../../files/open';
import { presentComplaintForStaff } from '../../../presenters/complaint';
import {
  presentAuthority,
  presentEscalation,
  presentProposalForStaff,
  presentProposalsForCustomer,
  presentResolutionForStaff,
} from '../../../presenters/resolution';
import type { RouteDeps } from '../../app';
import { requireAbility, staffActor } from '../../auth';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf } from '../../idempotency';
import { contentDisposition } from '../../content-disposition';

const enumOf = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

const TCodeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });
const TProposalParams = Type.Object({ code: Type.String({ maxLength: 40 }), id: Type.String({ maxLength: 40 }) });

/** Phương án giải quyết: amount in whole VND, required for a refund or a voucher. */
export const TProposalInput = Type.Object(
  {
    kind: enumOf(PROPOSAL_KINDS),
    description: Type.String({ minLength: 1, maxLength: 5000 }),
    amountVnd: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  },
  { additionalProperties: false },
);
export const TApprovalInput = Type.Object(
  { decision: enumOf(['approve', 'reject'] as const), note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
/** The customer's answer given to staff (phone, office, email), with when they gave it. */
export const TStaffDecisionInput = Type.Object(
  {
    decision: enumOf(['accept', 'reject'] as const),
    channel: enumOf(['hotline', 'office', 'email'] as const),
    at: Type.String({ format: 'date-time' }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export const TPortalDecisionInput = Type.Object(
  {
    contact: Type.String({ minLength: 3, maxLength: 254 }),
    decision: enumOf(['accept', 'reject'] as const),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export const TImplementationInput = Type.Object(
  {
    refundReference: Type.Optional(Type.String({ maxLength: 200 })),
    shipmentReference: Type.Optional(Type.String({ maxLength: 200 })),
    doneAt: Type.String({ format: 'date-time' }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    rootCauseId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);
export const TRejectInput = Type.Object({ reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false });
export const TEscalationInput = Type.Object(
  {
    authorityId: Type.Optional(Type.String({ format: 'uuid' })),
    authorityName: Type.Optional(Type.String({ maxLength: 300 })),
    reason: Type.String({ maxLength: 4000 }),
  },
  { additionalProperties: false },
);
export const TEscalationPatch = Type.Object(
  {
    handedOverAt: Type.Optional(Type.String({ format: 'date-time' })),
    referenceNo: Type.Optional(Type.String({ maxLength: 200 })),
    outcome: Type.Optional(Type.String({ maxLength: 4000 })),
    outcomeAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
const authorityFields = {
  province: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  address: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  email: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  website: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  active: Type.Optional(Type.Boolean()),
};
export const TAuthorityInput = Type.Object(
  { kind: enumOf(AUTHORITY_KINDS), name: Type.String({ minLength: 1, maxLength: 300 }), ...authorityFields },
  { additionalProperties: false },
);
export const TAuthorityPatch = Type.Object(
  { kind: Type.Optional(enumOf(AUTHORITY_KINDS)), name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })), ...authorityFields },
  { additionalProperties: false },
);
export const TAuthorityQuery = Type.Object(
  {
    kind: Type.Optional(enumOf(AUTHORITY_KINDS)),
    province: Type.Optional(Type.String({ maxLength: 200 })),
    includeInactive: Type.Optional(enumOf(['true', 'false'] as const)),
  },
  { additionalProperties: false },
);
export type ProposalInput = Static<typeof TProposalInput>;

/** Step 4 (giải quyết): proposals, refusals, escalation to an authority and its dossier. */
export const resolutionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database, config }) => {
  const files = openFileStore(config, database);
  const mail = { baseUrl: config.baseUrl, companyName: config.companyName };

  const complaintOf = async (code: string) => {
    const row = await findComplaint(database, code);
    if (!row) throw new AppError('complaint_not_found');
    return row;
  };

  const resolutionView = async (code: string) => {
    const row = await complaintOf(code);
    const [proposals, escalations, rootCause, sla] = await Promise.all([
      listProposals(database, row.id),
      listEscalations(database, row.id),
      complaintRootCause(database, row.id),
      loadSlaContext(database),
    ]);
    return presentResolutionForStaff({
      code: row.code,
      status: row.status,
      rootCause,
      approvalThresholdVnd: sla.workflow.proposalApprovalThresholdVnd,
      proposals,
      escalations,
    });
  };

  app.get(
    '/api/v1/complaints/:code/resolution',
    {
      preValidation: requireAbility(database, 'complaint.read'),
      schema: { tags: ['resolution'], summary: 'Proposals (with approval state) and escalations of a complaint', params: TCodeParams },
    },
    async (request) => resolutionView(request.params.code),
  );

  app.post(
    '/api/v1/complaints/:code/proposals',
    {
      preValidation: requireAbility(database, 'proposal.manage'),
      config: { idempotency: 'own' },
      schema: {
        tags: ['resolution'],
        summary: 'Propose a resolution; above the approval threshold it waits for a supervisor, otherwise it is offered to the customer at once',
        params: TCodeParams,
        headers: IDEMPOTENCY_HEADER,
        body: TProposalInput,
      },
    },
    async (request, reply) => {
      const { proposal, replayed } = await proposeResolution({
        database,
        actor: staffActor(request),
        code: request.params.code,
        kind: request.body.kind,
        description: request.body.description,
        amountVnd: request.body.amountVnd,
        clientKey: idempotencyKeyOf(request),
        mail,
      });
      return reply.status(replayed ? 200 : 201).send(presentProposalForStaff(proposal));
    },
  );

  app.post(
    '/api/v1/complaints/:code/proposals/:id/approval',
    {
      preValidation: requireAbility(database, 'proposal.approve'),
      schema: {
        tags: ['resolution'],
        summary: 'Approve a proposal above the threshold (it is offered to the customer) or send it back with a note',
        params: TProposalParams,
        body: TApprovalInput,
      },
    },
    async (request) => {
      const proposal = await approveProposal({
        database,
        actor: staffActor(request),
        code: request.params.code,
        proposalId: request.params.id,
        decision: request.body.decision,
        note: request.body.note,
        mail,
      });
      return presentProposalForStaff(proposal);
    },
  );

  app.post(
    '/api/v1/complaints/:code/proposals/:id/decision',
    {
      preValidation: requireAbility(database, 'proposal.manage'),
      schema: {
        tags: ['resolution'],
        summary: "Record the customer's answer given by phone, at the office or by email (409 if no longer offered)",
        params: TProposalParams,
        body: TStaffDecisionInput,
      },
    },
    async (request) => {
      const actor = staffActor(request);
      const proposal = await decideProposal({
        database,
        actor: { ...actor, channel: request.body.channel },
        code: request.params.code,
        proposalId: request.params.id,
        decision: request.body.decision,
        channel: request.body.channel,
        at: new Date(request.body.at),
        note: request.body.note,
      });
      return presentProposalForStaff(proposal);
    },
  );

  app.post(
    '/api/v1/complaints/:code/proposals/:id/implementation',
    {
      preValidation: requireAbility(database, 'proposal.manage'),
      schema: {
        tags: ['resolution'],
        summary: 'Record that an accepted proposal was carried out; resolves the complaint (needs a root cause)',
        params: TProposalParams,
        body: TImplementationInput,
      },
    },
    async (request) => {
      const proposal = await implementProposal({
        database,
        actor: staffActor(request),
        code: request.params.code,
        proposalId: request.params.id,
        refundReference: request.body.refundReference,
        shipmentReference: request.body.shipmentReference,
        doneAt: new Date(request.body.doneAt),
        note: request.body.note,
        rootCauseId: request.body.rootCauseId,
      });
      return presentProposalForStaff(proposal);
    },
  );

  app.post(
    '/api/v1/complaints/:code/reject',
    {
      preValidation: requireAbility(database, 'complaint.transition'),
      schema: {
        tags: ['resolution'],
        summary: 'Refuse a complaint as not admissible (supervisor, admin); the reason is emailed to the customer and shown on the status page',
        params: TCodeParams,
        body: TRejectInput,
      },
    },
    async (request) => {
      const actor = staffActor(request);
      await rejectComplaint({ database, actor, code: request.params.code, reason: request.body.reason, mail });
      const row = await complaintOf(request.params.code);
      await logAccess(database, request, { customerId: row.customer.id, complaintId: row.id }, 'complaint.view');
      const [events, outbound, attachments, sla] = await Promise.all([
        listEvents(database, row.id),
        listOutbound(database, row.id),
        listAttachments(database, row.id),
        loadSlaContext(database),
      ]);
      return presentComplaintForStaff(row, events, actor.kind, sla, outbound, attachments);
    },
  );

  app.get(
    '/api/v1/authorities',
    {
      preValidation: requireAbility(database, 'authority.read'),
      schema: { tags: ['resolution'], summary: 'The directory of competent authorities, by kind and province', querystring: TAuthorityQuery },
    },
    async (request) => {
      const q = request.query;
      const items = await listAuthorities(database, { kind: q.kind, province: q.province, includeInactive: q.includeInactive === 'true' });
      return { items: items.map(presentAuthority) };
    },
  );

  app.post(
    '/api/v1/authorities',
    {
      preValidation: requireAbility(database, 'authority.manage'),
      schema: { tags: ['resolution'], summary: 'Add an authority to the directory (admin)', body: TAuthorityInput },
    },
    async (request, reply) => reply.status(201).send(presentAuthority(await createAuthority({ database, input: request.body }))),
  );

  app.patch(
    '/api/v1/authorities/:id',
    {
      preValidation: requireAbility(database, 'authority.manage'),
      schema: {
        tags: ['resolution'],
        summary: 'Change an authority, or take it out of the list with active=false (admin)',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        body: TAuthorityPatch,
      },
    },
    async (request) => presentAuthority(await updateAuthority({ database, id: request.params.id, patch: request.body })),
  );

  app.post(
    '/api/v1/complaints/:code/escalations',
    {
      preValidation: requireAbility(database, 'escalation.manage'),
      schema: {
        tags: ['resolution'],
        summary: 'Escalate to a competent authority (supervisor, admin): generates the dossier (PDF + ZIP with manifest)',
        params: TCodeParams,
        body: TEscalationInput,
      },
    },
    async (request, reply) => {
      const actor = staffActor(request);
      const escalation = await escalateComplaint({
        database,
        files,
        actor: { ...actor, name: actor.user.name },
        code: request.params.code,
        authorityId: request.body.authorityId,
        authorityName: request.body.authorityName,
        reason: request.body.reason,
        company: { name: config.companyName },
        mail: { baseUrl: config.baseUrl, companyName: config.companyName },
      });
      const row = await complaintOf(request.params.code);
      return reply.status(201).send(presentEscalation(escalation, row.code));
    },
  );

  app.patch(
    '/api/v1/complaints/:code/escalations/:id',
    {
      preValidation: requireAbility(database, 'escalation.manage'),
      schema: {
        tags: ['resolution'],
        summary: "Record the hand-over of the dossier (date, the authority's reference number) and later the authority's outcome",
        params: TProposalParams,
        body: TEscalationPatch,
      },
    },
    async (request) => {
      const b = request.body;
      const escalation = await recordAuthorityOutcome({
        database,
        actor: staffActor(request),
        code: request.params.code,
        escalationId: request.params.id,
        handedOverAt: b.handedOverAt ? new Date(b.handedOverAt) : undefined,
        referenceNo: b.referenceNo,
        outcome: b.outcome,
        outcomeAt: b.outcomeAt ? new Date(b.outcomeAt) : undefined,
        mail: { baseUrl: config.baseUrl, companyName: config.companyName },
      });
      const row = await complaintOf(request.params.code);
      return presentEscalation(escalation, row.code);
    },
  );

  const download = (kind: 'pdf' | 'zip') => async (request: FastifyRequest<{ Params: Static<typeof TProposalParams> }>, reply: FastifyReply) => {
    const row = await complaintOf(request.params.code);
    const e = await findEscalation(database, row.id, request.params.id);
    const sha = kind === 'pdf' ? e?.dossierPdfSha256 : e?.dossierZipSha256;
    if (!e || !sha) throw new AppError('escalation_not_found');
    const bytes = await files.get(sha);
    await logAccess(database, request, { customerId: row.customer.id, complaintId: row.id }, 'dossier.download');
    const name = kind === 'pdf' ? dossierPdfName(row.code) : dossierPdfName(row.code).replace(/\.pdf$/, '.zip');
    return reply
      .header('content-type', kind === 'pdf' ? 'application/pdf' : 'application/zip')
      .header('content-disposition', contentDisposition(name))
      .header('x-content-type-options', 'nosniff')
      .header('x-content-sha256', sha)
      .header('cache-control', 'private, no-store')
      .send(bytes);
  };

  for (const kind of ['pdf', 'zip'] as const) {
    app.get(
      `/api/v1/complaints/:code/escalations/:id/dossier.${kind}`,
      {
        preValidation: requireAbility(database, 'complaint.read'),
        schema: {
          tags: ['resolution'],
          summary: kind === 'pdf' ? 'Download the dossier PDF (Vietnamese)' : 'Download the dossier ZIP (PDF, original files, manifest.json with SHA-256)',
          params: TProposalParams,
        },
      },
      download(kind),
    );
  }

  // The customer's side, on the status page: no login; the contact on file is the key.
  app.get(
    '/api/v1/portal/complaints/:code/proposals',
    {
      config: { rateLimit: { max: config.rateLimits.publicLookup, timeWindow: '1 minute' } },
      schema: {
        tags: ['portal'],
        summary: 'Proposals offered to the customer and their state (customer; needs the phone or email the complaint was filed with)',
        params: TCodeParams,
        querystring: Type.Object({ contact: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const row = await findComplaintForContact(database, request.params.code, request.query.contact);
      if (!row) throw new AppError('complaint_not_found');
      return presentProposalsForCustomer({ code: row.code, status: row.status, proposals: await listProposals(database, row.id) });
    },
  );

  app.post(
    '/api/v1/portal/complaints/:code/proposals/:id/decision',
    {
      config: { rateLimit: { max: config.rateLimits.publicIntake, timeWindow: '1 minute' } },
      schema: {
        tags: ['portal'],
        summary: 'Accept or reject an offered proposal (customer; 409 if it was already answered)',
        params: TProposalParams,
        body: TPortalDecisionInput,
      },
    },
    async (request) => {
      const row = await findComplaintForContact(database, request.params.code, request.body.contact);
      if (!row) throw new AppError('complaint_not_found');
      await decideProposal({
        database,
        actor: { kind: 'customer', id: row.customer.id, channel: 'portal' },
        code: row.code,
        proposalId: request.params.id,
        decision: request.body.decision,
        channel: 'portal',
        note: request.body.note,
      });
      const fresh = await findComplaintForContact(database, row.code, request.body.contact);
      return presentProposalsForCustomer({ code: row.code, status: fresh?.status ?? row.status, proposals: await listProposals(database, row.id) });
    },
  );
};
