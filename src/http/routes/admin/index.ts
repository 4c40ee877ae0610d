import { s3Location } from '../../../config';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { updateCalendarSettings } from '../../../commands/update-calendar-settings';
import { updateSlaPolicy } from '../../../commands/update-sla-policy';
import { updateMailTemplates } from '../../../commands/update-mail-templates';
import { updateWorkflowPolicy } from '../../../commands/update-workflow-policy';
import { TEMPLATE_PLACEHOLDERS } from '../../../domain/mail-templates';
import { loadSlaContext } from '../../../db/queries/settings';
import { calendarYearView } from '../../../domain/settings';
import { AppError } from '../../../domain/errors';
import { requireAbility, staffActor } from '../../auth';
import { backupOverdue, createBackup, lastBackupFailure, listBackups, type Backup } from '../../../db/backup';
import type { RouteDeps } from '../../app';

/** Free-form JSON at the HTTP layer: the domain parser checks it field by field, in one place. */
const TSettingsBody = Type.Object({}, { additionalProperties: true });

/** Admin settings: the working calendar and the SLA policy. Saving either recomputes open deadlines. */
export const adminRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { database, config }) => {
  app.get(
    '/api/v1/admin/calendar',
    { preValidation: requireAbility(database, 'settings.read'), schema: { tags: ['admin'], summary: 'The working calendar settings' } },
    async () => ({ settings: (await loadSlaContext(database)).calendarSettings }),
  );
  app.put(
    '/api/v1/admin/calendar',
    {
      preValidation: requireAbility(database, 'settings.manage'),
      schema: {
        tags: ['admin'],
        summary: 'Save the working calendar (profile, business hours, company days off and working days); recomputes open deadlines',
        body: TSettingsBody,
      },
    },
    async (request) => updateCalendarSettings({ database, actor: staffActor(request), input: request.body }),
  );
  app.get(
    '/api/v1/admin/calendar/years/:year',
    {
      preValidation: requireAbility(database, 'settings.read'),
      schema: {
        tags: ['admin'],
        summary: 'A year month by month: days off, make-up days, whether the year is provisional',
        params: Type.Object({ year: Type.String({ maxLength: 6 }) }),
      },
    },
    async (request) => {
      const year = /^\d{4}$/.test(request.params.year) ? Number(request.params.year) : Number.NaN;
      if (!Number.isInteger(year)) throw new AppError('validation_failed', { fields: [{ field: 'year', code: 'invalid_value' }] });
      return calendarYearView(year, (await loadSlaContext(database)).calendarSettings);
    },
  );
  app.get(
    '/api/v1/admin/sla-policy',
    { preValidation: requireAbility(database, 'settings.read'), schema: { tags: ['admin'], summary: 'The SLA policy' } },
    async () => ({ policy: (await loadSlaContext(database)).policy }),
  );
  app.put(
    '/api/v1/admin/sla-policy',
    {
      preValidation: requireAbility(database, 'settings.manage'),
      schema: {
        tags: ['admin'],
        summary: 'Save the SLA policy (targets, reading of working hours, pause rule, reminders); recomputes open deadlines',
        body: TSettingsBody,
      },
    },
    async (request) => updateSlaPolicy({ database, actor: staffActor(request), input: request.body }),
  );

  app.get(
    '/api/v1/admin/mail-templates',
    {
      preValidation: requireAbility(database, 'settings.read'),
      schema: { tags: ['admin'], summary: 'Mail templates the admin edited, and the placeholders each may use' },
    },
    async () => ({ templates: (await loadSlaContext(database)).mailTemplates, placeholders: TEMPLATE_PLACEHOLDERS }),
  );
  app.put(
    '/api/v1/admin/mail-templates',
    {
      preValidation: requireAbility(database, 'settings.manage'),
      schema: {
        tags: ['admin'],
        summary: 'Save mail templates: {"receipt":{"vi":{"subject","text"},"en":{…}}} with {{placeholders}}; {{code}} must be in every subject',
        body: TSettingsBody,
      },
    },
    async (request) => updateMailTemplates({ database, actor: staffActor(request), input: request.body }),
  );

  app.get(
    '/api/v1/admin/workflow-policy',
    { preValidation: requireAbility(database, 'workflow.read'), schema: { tags: ['admin'], summary: 'The workflow policy (steps 3–5)' } },
    async () => ({ policy: (await loadSlaContext(database)).workflow }),
  );
  app.put(
    '/api/v1/admin/workflow-policy',
    {
      preValidation: requireAbility(database, 'settings.manage'),
      schema: {
        tags: ['admin'],
        summary: 'Save the workflow policy: proposal approval threshold (VND), answer times, survey delay, auto-close, reopen window, link validity',
        body: TSettingsBody,
      },
    },
    async (request) => updateWorkflowPolicy({ database, actor: staffActor(request), input: request.body }),
  );

  const backupView = (b: Backup) => ({
    name: b.name,
    createdAt: b.manifest.createdAt,
    databaseBytes: b.manifest.database.bytes,
    files: b.manifest.files.count,
    fileBytes: b.manifest.files.bytes,
    // Evidence files kept in an S3-compatible bucket, which the backup does not hold (s3://bucket/prefix).
    filesElsewhere: b.manifest.filesElsewhere ?? null,
  });
  app.get(
    '/api/v1/admin/backups',
    { preValidation: requireAbility(database, 'backup.manage'), schema: { tags: ['admin'], summary: 'Backups of the embedded database kept in DATA_DIR/backups, newest first, and their schedule' } },
    async () => {
      if (database.kind !== 'pglite') return { embedded: false, schedule: config.backup, overdue: false, lastFailure: null, backups: [] };
      const backups = await listBackups(config.dataDir);
      const overdue = config.backup.enabled && backupOverdue(backups, new Date(), config.backup.hour);
      return { embedded: true, schedule: config.backup, overdue, lastFailure: lastBackupFailure(), backups: backups.map(backupView) };
    },
  );
  app.post(
    '/api/v1/admin/backups',
    {
      preValidation: requireAbility(database, 'backup.manage'),
      schema: { tags: ['admin'], summary: 'Back up the embedded database and the evidence files now (409 on a PostgreSQL server: use pg_dump)' },
    },
    async (request, reply) => {
      const made = await createBackup(database, { dataDir: config.dataDir, keep: config.backup.keep, filesElsewhere: config.s3 ? s3Location(config.s3) : undefined });
      request.log.info({ backup: made.name, by: staffActor(request).id }, 'backup made');
      return reply.code(201).send(backupView(made));
    },
  );
};
