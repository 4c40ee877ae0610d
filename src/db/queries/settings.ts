import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../open';
import type { Tx } from '../../commands/transaction';
import { createWorkingCalendar, type WorkingCalendar } from '../../domain/calendar';
import { thresholdsOf } from '../../domain/clocks';
import {
  DEFAULT_CALENDAR_SETTINGS,
  parseCalendarSettings,
  parseSlaPolicy,
  toWorkingCalendarConfig,
  type CalendarSettings,
} from '../../domain/settings';
import { DEFAULT_SLA, type SlaPolicy } from '../../domain/sla';
import { parseMailTemplates, type MailTemplates } from '../../domain/mail-templates';
import { DEFAULT_WORKFLOW, parseWorkflowPolicy, type WorkflowPolicy } from '../../domain/workflow';
import { toAppError } from '../errors';

/** What every deadline is computed from: the SLA policy and the working calendar in force. */
export interface SlaContext {
  policy: SlaPolicy;
  calendarSettings: CalendarSettings;
  cal: WorkingCalendar;
  /** Reminder thresholds in per cent, ending with 100 (the breach). */
  thresholds: number[];
  /** Mail texts the admin edited (the defaults are in src/mail when absent). */
  mailTemplates: MailTemplates;
  /** Steps 3–5: approval threshold, answer times, survey delay, auto-close, reopen window, link validity. */
  workflow: WorkflowPolicy;
}

export const CALENDAR_KEY = 'calendar';
export const SLA_POLICY_KEY = 'sla_policy';
export const MAIL_TEMPLATES_KEY = 'mail_templates';
export const WORKFLOW_KEY = 'workflow_policy';

/** Builds the context from stored values; a stored value that no longer parses falls back to the default. */
export function slaContextOf(calendarRaw: unknown, policyRaw: unknown, templatesRaw: unknown = null, workflowRaw: unknown = null): SlaContext {
  const safe = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch {
      return fallback;
    }
  };
  const calendarSettings = calendarRaw == null ? DEFAULT_CALENDAR_SETTINGS : safe(() => parseCalendarSettings(calendarRaw), DEFAULT_CALENDAR_SETTINGS);
  const policy = policyRaw == null ? DEFAULT_SLA : safe(() => parseSlaPolicy(policyRaw), DEFAULT_SLA);
  return {
    policy,
    calendarSettings,
    cal: createWorkingCalendar(toWorkingCalendarConfig(calendarSettings)),
    thresholds: thresholdsOf(policy),
    mailTemplates: templatesRaw == null ? {} : safe(() => parseMailTemplates(templatesRaw), {}),
    workflow: workflowRaw == null ? DEFAULT_WORKFLOW : safe(() => parseWorkflowPolicy(workflowRaw), DEFAULT_WORKFLOW),
  };
}

interface Cached {
  at: number;
  stamp: string;
  context: SlaContext;
}

/** Settings change rarely; each process re-reads them at most this often (other processes' edits). */
const TTL_MS = 5_000;
const cache = new WeakMap<Database, Cached>();

async function readRaw(q: Pick<Database['db'], 'execute'> | Tx): Promise<{ calendar: unknown; policy: unknown; templates: unknown; workflow: unknown; stamp: string }> {
  const rows = (
    await q.execute<{ key: string; value: unknown; updated_at: string }>(
      sql`select key, value, updated_at::text from settings where key in (${CALENDAR_KEY}, ${SLA_POLICY_KEY}, ${MAIL_TEMPLATES_KEY}, ${WORKFLOW_KEY})`,
    )
  ).rows;
  const get = (k: string) => rows.find((r) => r.key === k);
  return {
    calendar: get(CALENDAR_KEY)?.value ?? null,
    policy: get(SLA_POLICY_KEY)?.value ?? null,
    templates: get(MAIL_TEMPLATES_KEY)?.value ?? null,
    workflow: get(WORKFLOW_KEY)?.value ?? null,
    stamp: rows.map((r) => `${r.key}@${r.updated_at}`).sort().join(','),
  };
}

/** The SLA context in force, cached for a few seconds per process. */
export async function loadSlaContext(database: Database, now = Date.now()): Promise<SlaContext> {
  const hit = cache.get(database);
  if (hit && now - hit.at < TTL_MS) return hit.context;
  let raw;
  try {
    raw = await readRaw(database.db);
  } catch (err) {
    throw toAppError(err);
  }
  const context = hit && hit.stamp === raw.stamp ? hit.context : slaContextOf(raw.calendar, raw.policy, raw.templates, raw.workflow);
  cache.set(database, { at: now, stamp: raw.stamp, context });
  return context;
}

/** The context as this transaction sees it (used when settings change, to recompute in the same transaction). */
export async function loadSlaContextIn(tx: Tx): Promise<SlaContext> {
  const raw = await readRaw(tx);
  return slaContextOf(raw.calendar, raw.policy, raw.templates, raw.workflow);
}

/** Forgets the cached context (after this process changed the settings). */
export function forgetSlaContext(database: Database): void {
  cache.delete(database);
}

/** The settings an admin edits (the link secret is Sen's own, written once by linkSecret). */
export type SettingKey = typeof CALENDAR_KEY | typeof SLA_POLICY_KEY | typeof MAIL_TEMPLATES_KEY | typeof WORKFLOW_KEY;

/**
 * Saves one setting in this transaction, stamped with who changed it and when. The caller forgets
 * the cached context (forgetSlaContext) once the transaction has committed: see commands/settings-store.
 */
export async function saveSetting(tx: Tx, key: SettingKey, value: unknown, actorId: string | null): Promise<void> {
  await tx.execute(sql`
    insert into settings (key, value, updated_at, updated_by) values (${key}, ${JSON.stringify(value)}::jsonb, now(), ${actorId})
    on conflict (key) do update set value = excluded.value, updated_at = now(), updated_by = excluded.updated_by`);
}

export const LINK_SECRET_KEY = 'link_secret';
const secrets = new WeakMap<Database, string>();

/**
 * The secret that signs links sent to customers and third parties: made once, kept in the database
 * (so links survive restarts and every Sen process on the database accepts them), or LINK_SECRET.
 */
export async function linkSecret(database: Database): Promise<string> {
  const fromEnv = process.env.LINK_SECRET;
  if (fromEnv) return fromEnv;
  const hit = secrets.get(database);
  if (hit) return hit;
  const fresh = randomBytes(32).toString('base64url');
  try {
    await database.db.execute(sql`insert into settings (key, value) values (${LINK_SECRET_KEY}, ${JSON.stringify(fresh)}::jsonb) on conflict (key) do nothing`);
    const r = await database.db.execute<{ value: string }>(sql`select value from settings where key = ${LINK_SECRET_KEY}`);
    const secret = r.rows[0].value;
    secrets.set(database, secret);
    return secret;
  } catch (err) {
    throw toAppError(err);
  }
}
