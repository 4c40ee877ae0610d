import { logAccess, logAccessMany } from '../../access-log';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../app';
import { requireAbility, staffActor } from '../../auth';
import { AppError, pickLocale, type Locale } from '../../../domain/errors';
import {
  actionTrendTable,
  agentFigures,
  agentsTable,
  csatTable,
  registerTable,
  exportFileName,
  parsePeriod,
  repeatCustomersTable,
  rootCausesTable,
  satisfactionTable,
  slaPeriodsTable,
  slaTable,
  toCsv,
  volumesTable,
  type ReportName,
  type ReportSummary,
  type ReportTable,
} from '../../../domain/reports';
import { answerSurvey, openSurvey } from '../../../commands/answer-survey';
import { statusUrlOf } from '../../../commands/create-complaint';
import { createCorrectiveAction, updateCorrectiveAction } from '../../../commands/manage-corrective-actions';
import { createRootCause, setComplaintRootCause, updateRootCause } from '../../../commands/manage-root-causes';
import { REOPENABLE_STATUSES, reopenComplaint, reopenUntil } from '../../../commands/reopen-complaint';
import { listAttachments } from '../../../db/queries/attachments';
import { findComplaint, findComplaintForContact, listEvents, listOutbound } from '../../../db/queries/complaints';
import {
  EXPORT_ROW_LIMIT,
  agentCounts,
  agentStaff,
  registerEntries,
  complaintFollowup,
  csatAnswers,
  findCorrectiveAction,
  listCorrectiveActions,
  listRootCauses,
  repeatCustomersOf,
  reportSummary,
} from '../../../db/queries/reports';
import { loadSlaContext } from '../../../db/queries/settings';
import { renderXlsx } from '../../../documents/xlsx';
import { SURVEY_QUESTION } from '../../../mail/survey';
import { presentComplaintForCustomer, presentComplaintForStaff } from '../../../presenters/complaint';
import {
  TCodeParams,
  TComplaintRootCauseInput,
  TContactQuery,
  TCorrectiveActionInput,
  TCorrectiveActionPatch,
  TCorrectiveActionQuery,
  TIdParams,
  TPortalReopenInput,
  TPortalSurveyInput,
  TReopenInput,
  TReportFileParams,
  TReportQuery,
  TRootCauseInput,
  TRootCausePatch,
  TRootCauseQuery,
  TSurveyAnswerInput,
  TTokenParams,
} from './schema';
import { contentDisposition } from '../../content-disposition';
import { rolesWith } from '../../../policies';

/** Step 5 (theo dõi và cải tiến): surveys, reopening, root causes, corrective actions, reports. */
export const followupRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database, config }) => {
  const publicLimit = { rateLimit: { max: config.rateLimits.publicIntake, timeWindow: '1 minute' } };
  const lookupLimit = { rateLimit: { max: config.rateLimits.publicLookup, timeWindow: '1 minute' } };
  // A complaint opened to continue one that is over is written to in that one's language (reopen-complaint.ts).
  const receipt = { baseUrl: config.baseUrl, companyName: config.companyName };

  const staffDetail = async (request: FastifyRequest, code: string) => {
    const row = await findComplaint(database, code);
    if (!row) throw new AppError('complaint_not_found');
    await logAccess(database, request, { customerId: row.customer.id, complaintId: row.id }, 'complaint.view');
    const [events, outbound, attachments, sla] = await Promise.all([
      listEvents(database, row.id),
      listOutbound(database, row.id),
      listAttachments(database, row.id),
      loadSlaContext(database),
    ]);
    return presentComplaintForStaff(row, events, staffActor(request).kind, sla, outbound, attachments);
  };
  const customerView = async (code: string, contact: string) => {
    const row = await findComplaintForContact(database, code, contact);
    if (!row) throw new AppError('complaint_not_found');
    return presentComplaintForCustomer(row, await listEvents(database, row.id));
  };

  // ——— Satisfaction survey by signed link (no login: the link is the key) ———

  app.get(
    '/api/v1/public/surveys/*',
    {
      config: lookupLimit,
      schema: {
        tags: ['followup'],
        summary: 'The survey a link opens: complaint code, subject, the question (403 tampered link, 410 expired)',
        params: TTokenParams,
      },
    },
    async (request) => openSurvey({ database, target: { token: request.params['*'] } }),
  );

  app.post(
    '/api/v1/public/surveys/*',
    {
      config: publicLimit,
      schema: {
        tags: ['followup'],
        summary: 'Answer the survey by its link: rating 1–5 and a comment; closes the resolved complaint (409 when answered already)',
        params: TTokenParams,
        body: TSurveyAnswerInput,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await answerSurvey({ database, target: { token: request.params['*'] }, ...request.body })),
  );

  // ——— The status page (customer: code + the contact on file) ———

  app.get(
    '/api/v1/portal/complaints/:code/followup',
    {
      config: lookupLimit,
      schema: {
        tags: ['portal'],
        summary: 'After resolution: the survey to answer, and until when the complaint can be reopened (customer)',
        params: TCodeParams,
        querystring: TContactQuery,
      },
    },
    async (request) => {
      const row = await findComplaintForContact(database, request.params.code, request.query.contact);
      if (!row) throw new AppError('complaint_not_found');
      const [f, sla] = await Promise.all([complaintFollowup(database, row.id), loadSlaContext(database)]);
      if (!f) throw new AppError('complaint_not_found');
      const available = REOPENABLE_STATUSES.includes(row.status);
      const until = available ? reopenUntil(f.resolvedAt, f.closedAt, sla.workflow) : null;
      // Only the survey of the latest resolution is asked; a reopened complaint's earlier one is history.
      const survey = f.survey && f.survey.resolutionNo === f.reopenCount + 1 && (available || f.survey.answeredAt) ? f.survey : null;
      return {
        code: row.code,
        status: row.status,
        resolvedAt: f.resolvedAt?.toISOString() ?? null,
        closedAt: f.closedAt?.toISOString() ?? null,
        reopenCount: f.reopenCount,
        previousCode: f.previousCode,
        reopen: { available, withinWindow: available && until !== null && until >= new Date(), until: until?.toISOString() ?? null },
        survey: survey && {
          resolutionNo: survey.resolutionNo,
          question: { ...SURVEY_QUESTION },
          answered: survey.answeredAt !== null,
          rating: survey.rating,
          comment: survey.comment,
          answeredAt: survey.answeredAt,
        },
      };
    },
  );

  app.post(
    '/api/v1/portal/complaints/:code/survey',
    {
      config: publicLimit,
      schema: {
        tags: ['portal'],
        summary: 'Answer the satisfaction survey from the status page (customer): rating 1–5, comment; closes the resolved complaint',
        params: TCodeParams,
        body: TPortalSurveyInput,
      },
    },
    async (request, reply) => {
      const { contact, ...answer } = request.body;
      return reply.status(201).send(await answerSurvey({ database, target: { code: request.params.code, contact }, ...answer }));
    },
  );

  app.post(
    '/api/v1/complaints/:code/survey-answer',
    {
      preValidation: requireAbility(database, 'complaint.contact'),
      schema: {
        tags: ['followup'],
        summary: 'Record the satisfaction answer the customer gave on the phone (staff): rating 1–5, comment; closes the resolved complaint',
        params: TCodeParams,
        body: TSurveyAnswerInput,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await answerSurvey({ database, target: { code: request.params.code, takenBy: staffActor(request) }, ...request.body })),
  );

  app.post(
    '/api/v1/portal/complaints/:code/reopen',
    {
      config: publicLimit,
      schema: {
        tags: ['portal'],
        summary: 'Reopen a resolved or closed complaint (customer). Within the window: the same complaint (200); after it: a new linked one (201, its code)',
        params: TCodeParams,
        body: TPortalReopenInput,
      },
    },
    async (request, reply) => {
      const { contact, reason } = request.body;
      const found = await findComplaintForContact(database, request.params.code, contact);
      // The same answer whether the code or the contact is wrong: a stranger learns nothing.
      if (!found) throw new AppError('complaint_not_found');
      const out = await reopenComplaint({
        database,
        actor: { kind: 'customer', id: found.customer.id, channel: 'portal' },
        code: found.code,
        reason,
        channel: 'web',
        receipt,
      });
      if (out.outcome === 'reopened') {
        return { outcome: out.outcome, code: out.code, reopenCount: out.reopenCount, complaint: await customerView(out.code, contact) };
      }
      return reply.status(out.replayed ? 200 : 201).send({
        outcome: out.outcome,
        code: out.code,
        previousCode: out.previousCode,
        // The new complaint keeps the language of the one it continues.
        statusUrl: statusUrlOf(config.baseUrl, out.code, { language: found.language }),
        complaint: await customerView(out.code, contact),
      });
    },
  );

  // ——— Staff: reopen, root cause of a complaint ———

  app.post(
    '/api/v1/complaints/:code/reopen',
    {
      preValidation: requireAbility(database, 'complaint.reopen'),
      schema: {
        tags: ['followup'],
        summary: 'Reopen a resolved or closed complaint (supervisor, admin); after the window a new linked complaint is opened (201)',
        params: TCodeParams,
        body: TReopenInput,
      },
    },
    async (request, reply) => {
      const out = await reopenComplaint({
        database,
        actor: staffActor(request),
        code: request.params.code,
        reason: request.body.reason,
        channel: request.body.channel,
        receipt,
      });
      const complaint = await staffDetail(request, out.code);
      if (out.outcome === 'reopened') return { outcome: out.outcome, code: out.code, reopenCount: out.reopenCount, complaint };
      return reply.status(out.replayed ? 200 : 201).send({ outcome: out.outcome, code: out.code, previousCode: out.previousCode, complaint });
    },
  );

  app.patch(
    '/api/v1/complaints/:code/root-cause',
    {
      preValidation: requireAbility(database, 'complaint.update'),
      schema: { tags: ['followup'], summary: 'Record the root cause of a complaint (required before resolving)', params: TCodeParams, body: TComplaintRootCauseInput },
    },
    async (request) => {
      await setComplaintRootCause({ database, actor: staffActor(request), code: request.params.code, rootCauseId: request.body.rootCauseId });
      return staffDetail(request, request.params.code);
    },
  );

  // ——— Root causes (taxonomy) ———

  app.get(
    '/api/v1/root-causes',
    {
      preValidation: requireAbility(database, 'root_cause.read'),
      schema: { tags: ['followup'], summary: 'The root-cause taxonomy (?active=true: only those that can be picked)', querystring: TRootCauseQuery },
    },
    async (request) => ({ items: await listRootCauses(database, { activeOnly: request.query.active === 'true' }) }),
  );

  app.post(
    '/api/v1/root-causes',
    {
      preValidation: requireAbility(database, 'root_cause.manage'),
      schema: { tags: ['followup'], summary: 'Add a root cause (admin)', body: TRootCauseInput },
    },
    async (request, reply) => reply.status(201).send(await createRootCause({ database, ...request.body })),
  );

  app.patch(
    '/api/v1/root-causes/:id',
    {
      preValidation: requireAbility(database, 'root_cause.manage'),
      schema: { tags: ['followup'], summary: 'Rename or (de)activate a root cause (admin)', params: TIdParams, body: TRootCausePatch },
    },
    async (request) => updateRootCause({ database, id: request.params.id, ...request.body }),
  );

  // ——— Corrective actions ———

  const action = async (id: string) => {
    const found = await findCorrectiveAction(database, id);
    if (!found) throw new AppError('corrective_action_not_found');
    return found;
  };

  app.get(
    '/api/v1/corrective-actions',
    {
      preValidation: requireAbility(database, 'corrective_action.read'),
      schema: { tags: ['followup'], summary: 'Corrective actions, newest first (filters: status, rootCauseId, complaint code)', querystring: TCorrectiveActionQuery },
    },
    async (request) => ({
      items: await listCorrectiveActions(database, {
        status: request.query.status,
        rootCauseId: request.query.rootCauseId,
        complaintCode: request.query.complaint,
      }),
    }),
  );

  app.get(
    '/api/v1/corrective-actions/:id',
    {
      preValidation: requireAbility(database, 'corrective_action.read'),
      schema: { tags: ['followup'], summary: 'One corrective action with its linked complaints', params: TIdParams },
    },
    async (request) => action(request.params.id),
  );

  app.post(
    '/api/v1/corrective-actions',
    {
      preValidation: requireAbility(database, 'corrective_action.manage'),
      schema: {
        tags: ['followup'],
        summary: 'Open a corrective action (supervisor, admin), from a complaint (complaintCodes) or from a report',
        body: TCorrectiveActionInput,
      },
    },
    async (request, reply) => {
      const { id } = await createCorrectiveAction({ database, actor: staffActor(request), input: request.body });
      return reply.status(201).send(await action(id));
    },
  );

  app.patch(
    '/api/v1/corrective-actions/:id',
    {
      preValidation: requireAbility(database, 'corrective_action.manage'),
      schema: {
        tags: ['followup'],
        summary: 'Change a corrective action: fields, status (open, in_progress, done, cancelled), linked complaints',
        params: TIdParams,
        body: TCorrectiveActionPatch,
      },
    },
    async (request) => {
      await updateCorrectiveAction({ database, actor: staffActor(request), id: request.params.id, patch: request.body });
      return action(request.params.id);
    },
  );

  // ——— Reports ———

  /** The language of a report: `?lang=` (the page passes the interface's), else Accept-Language, else Vietnamese. */
  const reportLocale = (request: FastifyRequest<{ Querystring: { lang?: 'vi' | 'en' } }>) =>
    request.query.lang ?? pickLocale(request.headers['accept-language']);

  const summaryOf = async (query: { from?: string; to?: string; groupBy?: string; windowDays?: string }, locale: Locale) => {
    const now = new Date();
    const period = parsePeriod(query, now);
    const windowDays = query.windowDays === undefined ? 30 : Number(query.windowDays);
    if (windowDays < 1 || windowDays > 365) throw new AppError('validation_failed', { fields: [{ field: 'windowDays', code: 'out_of_range' }] });
    const sla = await loadSlaContext(database);
    return { period, summary: await reportSummary(database, { period, sla, now, windowDays, locale }) };
  };

  /** The exports that are a view of the summary. */
  const summaryTables: Record<Exclude<ReportName, 'csat' | 'repeat-customers' | 'agents' | 'register'>, (s: ReportSummary, locale: Locale) => ReportTable> = {
    volumes: volumesTable,
    sla: slaTable,
    'sla-periods': slaPeriodsTable,
    satisfaction: satisfactionTable,
    'root-causes': rootCausesTable,
    'action-trend': actionTrendTable,
  };

  /** Theo nhân viên: the staff who work complaints (from the policy table), their workload now and their period's figures. */
  const agentsOf = async (query: { from?: string; to?: string; groupBy?: string }) => {
    const now = new Date();
    const period = parsePeriod(query, now);
    const [counts, staff] = await Promise.all([agentCounts(database, period, now), agentStaff(database, rolesWith('complaint.transition'))]);
    return { period, agents: agentFigures(counts, staff) };
  };

  app.get(
    '/api/v1/reports/agents',
    {
      preValidation: requireAbility(database, 'report.read'),
      schema: {
        tags: ['reports'],
        summary:
          'By agent: each one’s open and overdue complaints now, and of the complaints received in the period that they hold now the on-time rates, resolutions, reopen rate and ratings',
        querystring: TReportQuery,
      },
    },
    async (request) => {
      const { period, agents } = await agentsOf(request.query);
      return { period: { from: period.from, to: period.to }, agents };
    },
  );

  app.get(
    '/api/v1/reports/summary',
    {
      preValidation: requireAbility(database, 'report.read'),
      schema: {
        tags: ['reports'],
        summary: 'Every figure of step 5 about the complaints received in a period (YYYY-MM-DD, Vietnam time), for the whole period and for each day, week or month',
        querystring: TReportQuery,
      },
    },
    async (request) => {
      const { summary } = await summaryOf(request.query, reportLocale(request));
      await logAccessMany(database, request, summary.repeatCustomers.top.map((c) => c.customerId), 'report.view');
      return summary;
    },
  );

  app.get(
    '/api/v1/reports/:file',
    {
      preValidation: requireAbility(database, 'report.read'),
      schema: {
        tags: ['reports'],
        summary:
          'Export a report as CSV (UTF-8 with BOM, dates dd/MM/yyyy) or XLSX, headers in the language asked (lang, Accept-Language): ' +
          'volumes, sla, sla-periods, csat, satisfaction, root-causes, action-trend, repeat-customers',
        params: TReportFileParams,
        querystring: TReportQuery,
      },
    },
    async (request, reply) => {
      const [name, ext] = request.params.file.split('.') as [ReportName, 'csv' | 'xlsx'];
      const locale = reportLocale(request);
      const period = parsePeriod(request.query, new Date());
      let table: ReportTable;
      if (name === 'csat') table = csatTable(await csatAnswers(database, period), locale);
      else if (name === 'repeat-customers') {
        const top = (await repeatCustomersOf(database, period, EXPORT_ROW_LIMIT)).top;
        await logAccessMany(database, request, top.map((c) => c.customerId), 'report.view');
        table = repeatCustomersTable(top, locale);
      }
      else if (name === 'agents') table = agentsTable((await agentsOf(request.query)).agents, locale);
      else if (name === 'register') {
        const { entries, customerIds } = await registerEntries(database, period, locale, EXPORT_ROW_LIMIT);
        // One more than the limit was read: a register cut short would look whole, so a shorter period is asked for.
        if (entries.length > EXPORT_ROW_LIMIT) throw new AppError('validation_failed', { fields: [{ field: 'from', code: 'too_many_rows' }] });
        await logAccessMany(database, request, customerIds, 'register.export');
        table = registerTable(entries, locale);
      }
      else table = summaryTables[name]((await summaryOf(request.query, locale)).summary, locale);
      reply.header('content-disposition', contentDisposition(exportFileName(name, period, ext, locale))).header('cache-control', 'no-store');
      if (ext === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(table));
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(renderXlsx([{ name: table.title, columns: table.columns, rows: table.rows }]));
    },
  );
};
