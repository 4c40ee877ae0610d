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
  /**
   * The secret that signs links sent to customers and third parties (see linkSecret). Kept here so
   * that a mail written in a hot path (the intake receipt) signs its link with no database trip.
   */
  linkSecret: string;
}

export const CALENDAR_KEY = 'calendar';
export const SLA_POLICY_KEY = 'sla_policy';
export const MAIL_TEMPLATES_KEY = 'mail_templates';
export const WORKFLOW_KEY = 'workflow_policy';
/** Sen's own secret for signed links (not an admin setting: written once, see linkSecret). */
export const LINK_SECRET_KEY = 'link_secret';

/** Builds the context from stored values; a stored value that no longer parses falls back to the default. */
export function slaContextOf(
  calendarRaw: unknown,
  policyRaw: unknown,
  templatesRaw: unknown,
  workflowRaw: unknown,
  linkSecret: string,
): SlaContext {
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
    linkSecret,
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

type Raw = { calendar: unknown; policy: unknown; templates: unknown; workflow: unknown; secret: string | null; stamp: string };

async function readRaw(q: Pick<Database['db'], 'execute'> | Tx): Promise<Raw> {
  const rows = (
    await q.execute<{ key: string; value: unknown; updated_at: string }>(
      sql`select key, value, updated_at::text from settings
          where key in (${CALENDAR_KEY}, ${SLA_POLICY_KEY}, ${MAIL_TEMPLATES_KEY}, ${WORKFLOW_KEY}, ${LINK_SECRET_KEY})`,
    )
  ).rows;
  const get = (k: string) => rows.find((r) => r.key === k);
  const secret = get(LINK_SECRET_KEY)?.value;
  return {
    calendar: get(CALENDAR_KEY)?.value ?? null,
    policy: get(SLA_POLICY_KEY)?.value ?? null,
    templates: get(MAIL_TEMPLATES_KEY)?.value ?? null,
    workflow: get(WORKFLOW_KEY)?.value ?? null,
    secret: typeof secret === 'string' && secret ? secret : null,
    stamp: rows.map((r) => `${r.key}@${r.updated_at}`).sort().join(','),
  };
}

/**
 * Reads the settings, making the link secret first if this database has none yet (once in its life:
 * the insert keeps whichever secret was written first, so every Sen process signs with the same one).
 */
async function readRawWithSecret(q: Pick<Database['db'], 'execute'> | Tx): Promise<Raw> {
  const raw = await readRaw(q);
  if (raw.secret || process.env.LINK_SECRET) return raw;
  const fresh = randomBytes(32).toString('base64url');
  await q.execute(sql`insert into settings (key, value) values (${LINK_SECRET_KEY}, ${JSON.stringify(fresh)}::jsonb) on conflict (key) do nothing`);
  return readRaw(q);
}

function contextOf(raw: Raw): SlaContext {
  const secret = process.env.LINK_SECRET || raw.secret;
  if (!secret) throw new Error('link secret missing');
  return slaContextOf(raw.calendar, raw.policy, raw.templates, raw.workflow, secret);
}

/** The SLA context in force, cached for a few seconds per process. */
export async function loadSlaContext(database: Database, now = Date.now()): Promise<SlaContext> {
  const hit = cache.get(database);
  if (hit && now - hit.at < TTL_MS) return hit.context;
  let raw;
  try {
    raw = await readRawWithSecret(database.db);
  } catch (err) {
    throw toAppError(err);
  }
  const context = hit && hit.stamp === raw.stamp ? hit.context : contextOf(raw);
  cache.set(database, { at: now, stamp: raw.stamp, context });
  return context;
}

/** The context as this transaction sees it (used when settings change, to recompute in the same transaction). */
export async function loadSlaContextIn(tx: Tx): Promise<SlaContext> {
  return contextOf(await readRawWithSecret(tx));
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

/**
 * The secret that signs links sent to customers and third parties: made once, kept in the database
 * (so links survive restarts and every Sen process on the database accepts them), or LINK_SECRET.
 * It travels with the cached context, so asking for it rarely costs a database trip.
 */
export async function linkSecret(database: Database): Promise<string> {
  return (await loadSlaContext(database)).linkSecret;
}
