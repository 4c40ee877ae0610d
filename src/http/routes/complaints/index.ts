import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  TAssignInput,
  TBulkAssignInput,
  TComplaintPatch,
  TListQuery,
  TNoQuery,
  TNoteInput,
  TPresenceInput,
  TReplyInput,
  TSmsInput,
  TStaffComplaintInput,
  TTransitionInput,
  TContactInput,
  TDueDateInput,
  TLanguage,
} from '../../../domain/schemas';
import { logContact } from '../../../commands/log-contact';
import { replyToCustomer } from '../../../commands/reply-to-customer';
import { textCustomer } from '../../../commands/text-customer';
import { rejectComplaint } from '../../../commands/reject-complaint';
import { reopenComplaint } from '../../../commands/reopen-complaint';
import { addAttachments } from '../../../commands/add-attachments';
import { statusUrlOf } from '../../../commands/create-complaint';
import { openFileStore } from '../../../files/open';
import { logAccess, logAccessMany } from '../../access-log';
import { normalizeEmail, normalizePhone } from '../../../domain/contacts';
import type { AccessAction } from '../../../domain/personal-data';
import { readUploads } from '../../uploads';
import { renderReceiptPdf } from '../../../documents/receipt';
import { nationalPhone } from '../../../domain/contacts';
import { findAttachment, listAttachments } from '../../../db/queries/attachments';
import { setDueDate } from '../../../commands/set-due-date';
import { confirmContact } from '../../../commands/confirm-contact';
import { loadSlaContext } from '../../../db/queries/settings';
import { AppError, errorMessage, pickLocale } from '../../../domain/errors';
import { createComplaint } from '../../../commands/create-complaint';
import { transitionComplaint } from '../../../commands/transition-complaint';
import { assignComplaint } from '../../../commands/assign-complaint';
import { assignComplaints } from '../../../commands/assign-complaints';
import { addInternalNote } from '../../../commands/add-internal-note';
import { leavePresence, markPresence, viewersOf } from '../../../commands/mark-presence';
import { updateComplaint } from '../../../commands/update-complaint';
import { nextRemindersOf } from '../../../db/queries/reminders';
import { findComplaint, otherComplaintsOf, listComplaints, listEvents, listOutbound, parseStatuses } from '../../../db/queries/complaints';
import { presentComplaintForStaff, presentComplaintSummary } from '../../../presenters/complaint';
import { can, canAssignTo } from '../../../policies';
import { requireAbility, staffActor } from '../../auth';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf } from '../../idempotency';
import type { RouteDeps } from '../../app';
import type { FastifyRequest } from 'fastify';
import { contentDisposition } from '../../content-disposition';
import { callBacksOf } from '../../../db/queries/reminders';

const TCodeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });

/** The staff API over complaints: queue, detail, intake on behalf of a customer, and changes. */
export const complaintRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database, config }) => {
  /** Staff were shown this complaint's customer's data: written to the access log before it is sent. */
  const logged = (request: FastifyRequest, row: { id: string; customer: { id: string } }, action: AccessAction) =>
    logAccess(database, request, { customerId: row.customer.id, complaintId: row.id }, action);
  /** The staff view of a complaint, logged each time it is sent (opened, or the answer to a change). */
  const detail = async (request: FastifyRequest, code: string) => {
    const row = await findComplaint(database, code);
    if (!row) throw new AppError('complaint_not_found');
    await logged(request, row, 'complaint.view');
    const [events, outbound, attachments, sla, others, callBacks] = await Promise.all([
      listEvents(database, row.id),
      listOutbound(database, row.id),
      listAttachments(database, row.id),
      loadSlaContext(database),
      // The customer's other complaints: a second one about the same order, or a pattern, is seen at once.
      otherComplaintsOf(database, row.customer.id, row.id),
      // Hẹn gọi lại: a call back promised to the customer and not yet made, whoever promised it.
      callBacksOf(database, row.id),
    ]);
    return {
      ...presentComplaintForStaff(row, events, staffActor(request).kind, sla, outbound, attachments),
      customerComplaints: others,
      callBacks,
      /** Whether the customer can be texted from here (an SMS gateway is set up). */
      smsAvailable: config.sms !== null,
    };
  };

  app.get(
    '/api/v1/complaints',
    {
      preValidation: requireAbility(database, 'complaint.read'),
      schema: { tags: ['complaints'], summary: 'The queue: filters, search, keyset pages by nearest deadline', querystring: TListQuery },
    },
    async (request) => {
      const q = request.query;
      const limit = Math.min(Number(q.limit ?? 50), 200);
      const assigneeId = q.assigneeId === 'me' ? staffActor(request).user.id : q.assigneeId;
      if (assigneeId && assigneeId !== 'none' && !/^[0-9a-f-]{36}$/i.test(assigneeId)) {
        throw new AppError('validation_failed', { fields: [{ field: 'assigneeId', code: 'invalid_value' }] });
      }
      const page = await listComplaints(
        database,
        {
          statuses: parseStatuses(q.status),
          assigneeId,
          teamId: q.teamId,
          channel: q.channel,
          categoryId: q.categoryId,
          priority: q.priority,
          dueBefore: q.dueBefore ? new Date(q.dueBefore) : undefined,
          overdue: q.sla === 'overdue' ? true : q.sla === 'on_time' ? false : undefined,
          followedBy: q.following === 'me' ? staffActor(request).user.id : undefined,
          q: q.q,
        },
        { cursor: q.cursor, limit, sort: q.sort },
      );
      // Searching by a phone or an email, or a good part of one, is looking a customer up: logged as the caller lookup is.
      const contactLike = (s: string) => !/^\s*KN-?\d{4}-?\d{1,6}\s*$/i.test(s) && (s.includes('@') || (s.match(/\d/g)?.length ?? 0) >= 6);
      if (q.q && (contactLike(q.q) || normalizeEmail(q.q) || normalizePhone(q.q))) {
        await logAccessMany(database, request, page.items.map((c) => c.customer.id), 'customer.lookup');
      }
      const me = staffActor(request).user.id;
      const ids = page.items.map((c) => c.id);
      const [sla, viewers, reminders] = await Promise.all([
        loadSlaContext(database),
        // Ai đang xem: who else has each of these open, so that two agents do not pick up the same complaint.
        viewersOf(database, ids, { heartbeatMs: config.presenceHeartbeatMs, exceptStaffId: me }),
        // Nhắc tôi: when the caller asked to be reminded of each (none for an auditor, who sets none).
        nextRemindersOf(database, me, ids),
      ]);
      const now = new Date();
      const items = page.items.map((c) => ({
        ...presentComplaintSummary(c, sla, now),
        viewers: (viewers.get(c.id) ?? []).map((v) => ({ id: v.id, name: v.name, activity: v.activity })),
        myReminderAt: reminders.get(c.id)?.toISOString() ?? null,
      }));
      // matchedByWords: no complaint held the search as a phrase; these hold each of its words.
      return { items, nextCursor: page.nextCursor, matchedByWords: page.byWords };
    },
  );

  app.post(
    '/api/v1/complaints',
    {
      preValidation: requireAbility(database, 'complaint.create'),
      config: { idempotency: 'own' },
      schema: {
        tags: ['complaints'],
        summary: 'Record a complaint on behalf of a customer (hotline, office, email, web, api)',
        headers: IDEMPOTENCY_HEADER,
        body: TStaffComplaintInput,
      },
    },
    async (request, reply) => {
      const actor = staffActor(request);
      const created = await createComplaint({
        database,
        actor: { ...actor, channel: request.body.channel },
        channel: request.body.channel,
        input: request.body,
        requireConsent: false,
        idempotencyKey: idempotencyKeyOf(request),
        idempotencyScope: `staff:${actor.user.id}`,
        receipt: { baseUrl: config.baseUrl, companyName: config.companyName },
      });
      // A walk-in is served in person: that meeting is the human contact that acknowledges the complaint.
      // Keyed by the complaint, it is written once; a retry of a request that failed after the intake
      // committed (the replay) writes it then, so the walk-in is never left unacknowledged.
      if (request.body.channel === 'office') {
        await logContact({
          idempotency: { scope: 'office-contact', key: created.code },
          database,
          actor: { ...actor, channel: 'office' },
          code: created.code,
          method: 'meeting',
          summary: 'Tiếp nhận trực tiếp tại văn phòng / Received in person at the office',
        });
      }
      return reply.status(created.replayed ? 200 : 201).send(await detail(request, created.code));
    },
  );

  app.get(
    '/api/v1/complaints/:code',
    {
      preValidation: requireAbility(database, 'complaint.read'),
      schema: { tags: ['complaints'], summary: 'One complaint with its timeline', params: TCodeParams, querystring: TNoQuery },
    },
    async (request) => detail(request, request.params.code),
  );

  app.patch(
    '/api/v1/complaints/:code',
    {
      preValidation: requireAbility(database, 'complaint.update'),
      schema: { tags: ['complaints'], summary: 'Change category, priority, product or province; correct subject, description or order number', params: TCodeParams, body: TComplaintPatch },
    },
    async (request) => {
      await updateComplaint({ database, actor: staffActor(request), code: request.params.code, ...request.body });
      return detail(request, request.params.code);
    },
  );

  app.post(
    '/api/v1/complaints/:code/transitions',
    {
      preValidation: requireAbility(database, 'complaint.transition'),
      schema: {
        tags: ['complaints'],
        summary: 'Move a complaint along its lifecycle (409 lists the allowed moves)',
        params: TCodeParams,
        body: TTransitionInput,
      },
    },
    async (request) => {
      // Reopening goes through the reopen command (window, reopen count, new clock, or a new linked complaint).
      if (request.body.to === 'reopened') {
        const actor = staffActor(request);
        if (!can(actor.user.role, 'complaint.reopen')) throw new AppError('forbidden_transition', { allowed: [] });
        const out = await reopenComplaint({
          database,
          actor,
          code: request.params.code,
          reason: request.body.reason ?? '',
          receipt: { baseUrl: config.baseUrl, companyName: config.companyName },
        });
        return detail(request, out.code);
      }
      // Refusing as not admissible tells the customer why: the same command as the dedicated route.
      if (request.body.to === 'rejected') {
        await rejectComplaint({
          database,
          actor: staffActor(request),
          code: request.params.code,
          reason: request.body.reason ?? '',
          mail: { baseUrl: config.baseUrl, companyName: config.companyName },
        });
        return detail(request, request.params.code);
      }
      await transitionComplaint({
        database,
        actor: staffActor(request),
        code: request.params.code,
        to: request.body.to,
        reason: request.body.reason,
        mergedInto: request.body.mergedInto,
        mail: { baseUrl: config.baseUrl, companyName: config.companyName },
      });
      return detail(request, request.params.code);
    },
  );

  app.post(
    '/api/v1/complaints/:code/assign',
    {
      preValidation: requireAbility(database, 'complaint.assign'),
      schema: { tags: ['complaints'], summary: 'Assign to a staff member and/or team', params: TCodeParams, body: TAssignInput },
    },
    async (request) => {
      const actor = staffActor(request);
      if (request.body.assigneeId !== undefined && !canAssignTo(actor.user.role, actor.user.id, request.body.assigneeId)) {
        throw new AppError('forbidden');
      }
      await assignComplaint({ database, actor, code: request.params.code, ...request.body });
      return detail(request, request.params.code);
    },
  );

  app.post(
    '/api/v1/complaints/assignments',
    {
      preValidation: requireAbility(database, 'complaint.assign'),
      schema: {
        tags: ['complaints'],
        summary: 'Assign several complaints at once (ticked in the queue): each assigned, unchanged, or failed with its reason',
        body: TBulkAssignInput,
      },
    },
    async (request) => {
      const actor = staffActor(request);
      const { codes, assigneeId, teamId } = request.body;
      if (assigneeId !== undefined && !canAssignTo(actor.user.role, actor.user.id, assigneeId)) throw new AppError('forbidden');
      const results = await assignComplaints({ database, actor, codes, assigneeId, teamId });
      const locale = pickLocale(request.headers['accept-language']);
      const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
      return {
        assigned: count('assigned'),
        unchanged: count('unchanged'),
        failed: count('failed'),
        results: results.map((r) => (r.outcome === 'failed' ? { ...r, error: { code: r.error, message: errorMessage(r.error, locale) } } : r)),
      };
    },
  );

  app.post(
    '/api/v1/complaints/:code/notes',
    {
      preValidation: requireAbility(database, 'complaint.note'),
      schema: { tags: ['complaints'], summary: 'Add an internal note (never shown to the customer), naming colleagues to tell (mentions)', params: TCodeParams, body: TNoteInput },
    },
    async (request, reply) => {
      await addInternalNote({
        database,
        actor: staffActor(request),
        code: request.params.code,
        body: request.body.body,
        mentions: request.body.mentions,
        mail: { baseUrl: config.baseUrl },
      });
      return reply.status(201).send(await detail(request, request.params.code));
    },
  );

  app.put(
    '/api/v1/complaints/:code/presence',
    {
      preValidation: requireAbility(database, 'complaint.note'),
      schema: {
        tags: ['complaints'],
        summary: 'Ai đang xem: "I have this complaint open" (viewing, or replying to the customer), every pollAfterMs; answers who else has',
        params: TCodeParams,
        body: TPresenceInput,
      },
    },
    async (request) => {
      const viewers = await markPresence({
        database,
        staffId: staffActor(request).user.id,
        code: request.params.code,
        activity: request.body.activity,
        heartbeatMs: config.presenceHeartbeatMs,
      });
      return { viewers: viewers.map((v) => ({ ...v, seenAt: v.seenAt.toISOString() })), pollAfterMs: config.presenceHeartbeatMs };
    },
  );

  app.delete(
    '/api/v1/complaints/:code/presence',
    {
      preValidation: requireAbility(database, 'complaint.note'),
      schema: { tags: ['complaints'], summary: 'Ai đang xem: the complaint page closed', params: TCodeParams },
    },
    async (request, reply) => {
      await leavePresence({ database, staffId: staffActor(request).user.id, code: request.params.code });
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/complaints/:code/replies',
    {
      preValidation: requireAbility(database, 'complaint.contact'),
      schema: {
        tags: ['complaints'],
        summary:
          "Write to the customer by email (shown on their status page too), with the complaint's files if picked: stops the acknowledgement clock, as a logged contact does",
        params: TCodeParams,
        body: TReplyInput,
        headers: IDEMPOTENCY_HEADER,
      },
    },
    async (request, reply) => {
      await replyToCustomer({
        database,
        actor: staffActor(request),
        code: request.params.code,
        body: request.body.body,
        afterEvent: request.body.afterEvent,
        attachments: request.body.attachments,
        mail: { baseUrl: config.baseUrl, companyName: config.companyName },
      });
      return reply.status(201).send(await detail(request, request.params.code));
    },
  );

  app.post(
    '/api/v1/complaints/:code/sms',
    {
      preValidation: requireAbility(database, 'complaint.contact'),
      schema: {
        tags: ['complaints'],
        summary: "Text the customer's phone (SMS, without diacritics, at most 306 characters; shown on their status page too): stops the acknowledgement clock, as a reply does",
        params: TCodeParams,
        body: TSmsInput,
        headers: IDEMPOTENCY_HEADER,
      },
    },
    async (request, reply) => {
      await textCustomer({
        database,
        actor: staffActor(request),
        code: request.params.code,
        text: request.body.text,
        afterEvent: request.body.afterEvent,
        smsEnabled: config.sms !== null,
      });
      return reply.status(201).send(await detail(request, request.params.code));
    },
  );

  app.post(
    '/api/v1/complaints/:code/contacts',
    {
      preValidation: requireAbility(database, 'complaint.contact'),
      schema: {
        tags: ['complaints'],
        summary: 'Log a contact with the customer (call, email, meeting): stops the acknowledgement clock',
        params: TCodeParams,
        body: TContactInput,
      },
    },
    async (request, reply) => {
      const { callBackAt, ...contact } = request.body;
      await logContact({
        database,
        actor: staffActor(request),
        code: request.params.code,
        ...contact,
        ...(callBackAt !== undefined ? { callBackAt: new Date(callBackAt) } : {}),
      });
      return reply.status(201).send(await detail(request, request.params.code));
    },
  );

  app.post(
    '/api/v1/complaints/:code/confirm-contact',
    {
      preValidation: requireAbility(database, 'complaint.update'),
      schema: {
        tags: ['complaints'],
        summary: "Add the phone or email given with this complaint to the customer's record, after checking it with the customer",
        description:
          'A complaint typed in by anyone (portal, public API, mail) never adds a contact to a known customer; its first event lists what was given (`unconfirmedContacts`). This confirms one of them.',
        params: TCodeParams,
        body: Type.Object({ field: Type.Union([Type.Literal('phone'), Type.Literal('email')]) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      await confirmContact({ database, actor: staffActor(request), code: request.params.code, field: request.body.field });
      return detail(request, request.params.code);
    },
  );

  app.put(
    '/api/v1/complaints/:code/due-date',
    {
      preValidation: requireAbility(database, 'complaint.due_date'),
      schema: { tags: ['complaints'], summary: 'Set or clear a manual due date beside the SLA clocks', params: TCodeParams, body: TDueDateInput },
    },
    async (request) => {
      const dueAt = request.body.dueAt === null ? null : new Date(request.body.dueAt);
      await setDueDate({ database, actor: staffActor(request), code: request.params.code, dueAt });
      return detail(request, request.params.code);
    },
  );

  const files = openFileStore(config, database);

  app.post(
    '/api/v1/complaints/:code/attachments',
    {
      preValidation: requireAbility(database, 'complaint.update'),
      schema: {
        tags: ['complaints'],
        summary: 'Add evidence files (multipart/form-data, field "files"): scans and photos (JPG, PNG, WebP, HEIC, GIF, TIFF) and PDF, 10 MB each, 10 at most; type checked by content',
        params: TCodeParams,
        consumes: ['multipart/form-data'],
      },
    },
    async (request, reply) => {
      const { uploads } = await readUploads(request);
      await addAttachments({ database, files, actor: staffActor(request), code: request.params.code, uploads });
      return reply.status(201).send(await detail(request, request.params.code));
    },
  );

  app.get(
    '/api/v1/complaints/:code/attachments/:sha256',
    {
      preValidation: requireAbility(database, 'complaint.read'),
      schema: {
        tags: ['complaints'],
        summary: 'Download an evidence file of the complaint',
        params: Type.Object({ code: Type.String({ maxLength: 40 }), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
      },
    },
    async (request, reply) => {
      const row = await findComplaint(database, request.params.code);
      if (!row) throw new AppError('complaint_not_found');
      const file = await findAttachment(database, row.id, request.params.sha256);
      if (!file) throw new AppError('not_found');
      const bytes = await files.get(file.sha256);
      await logged(request, row, 'attachment.download');
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition(file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(bytes);
    },
  );

  app.get(
    '/api/v1/complaints/:code/receipt.pdf',
    {
      preValidation: requireAbility(database, 'complaint.read'),
      schema: {
        tags: ['complaints'],
        summary: 'The printable receipt (phiếu tiếp nhận khiếu nại) as PDF, A4 or A5',
        params: TCodeParams,
        querystring: Type.Object(
          {
            size: Type.Optional(Type.Union([Type.Literal('A4'), Type.Literal('A5')])),
            /** The language to print in; the complaint's (the one Sen writes to the customer in) when not given. */
            lang: Type.Optional(TLanguage),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const row = await findComplaint(database, request.params.code);
      if (!row) throw new AppError('complaint_not_found');
      await logged(request, row, 'receipt.print');
      const [attachments, sla, events] = await Promise.all([listAttachments(database, row.id), loadSlaContext(database), listEvents(database, row.id)]);
      const recorder = events[0]?.actorType !== 'customer' ? events[0]?.actorName ?? null : null;
      const language = request.query.lang ?? row.language;
      const pdf = await renderReceiptPdf({
        company: { name: config.companyName },
        code: row.code,
        receivedAt: row.receivedAt,
        channel: row.channel,
        customer: { name: row.customer.name, phone: row.customer.phoneE164 ? nationalPhone(row.customer.phoneE164) : null, email: row.customer.email },
        subject: row.subject,
        summary: row.description,
        promises: {
          acknowledgementDueAt: row.clocks.acknowledgement?.dueAt ?? row.acknowledgementDueAt,
          resolutionDueAt: row.clocks.resolution?.dueAt ?? row.resolutionDueAt,
          acknowledgementWorkingHours: sla.policy.acknowledgementWorkingHours,
          resolutionWorkingDays: sla.policy.resolutionWorkingDays,
        },
        statusUrl: statusUrlOf(config.baseUrl, row.code, { language }),
        receivedBy: recorder,
        locale: language,
        attachments: attachments.map((a) => ({ filename: a.filename, sha256: a.sha256 })),
        size: request.query.size ?? 'A4',
      });
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition(`phieu-tiep-nhan-${row.code}.pdf`, 'inline'))
        .send(pdf);
    },
  );
};
