import { AppError, type FieldError } from './errors';
import { foldText } from './search-text';
import { CHANNELS, PRIORITIES, type Channel, type Priority } from './vocabulary';

/**
 * Phân công tự động — rules a supervisor keeps, in order, that give a new complaint to a team (and a person) and raise
 * its priority, by what it is: how it came in, its category, words in its subject or description, a vulnerable
 * consumer. The first active rule that fits a complaint is the one applied (jobs/routing-sweep.ts); none fitting, the
 * complaint waits in the shared queue as before.
 */

export const ROUTING_LIMITS = { name: 120, keywords: 20, keywordLength: 60, rules: 200 } as const;

export interface RoutingRule {
  id: string;
  /** Its place in the order rules are tried (1 first). */
  position: number;
  name: string;
  active: boolean;
  /** How the complaint came in; empty: any way. */
  channels: Channel[];
  /** Its category; null: any. */
  categoryId: string | null;
  /** Words or phrases (folded: no diacritics, lower case), one of which starts a word of the subject or description; empty: any. */
  keywords: string[];
  /** Only complaints of a consumer in a vulnerable group (Art. 8). */
  vulnerableOnly: boolean;
  teamId: string;
  /** A member to give it to as well; null: the team's queue. */
  assigneeId: string | null;
  /** The priority it gets at least (never lowered); null: as it is. */
  priority: Priority | null;
}

export interface RoutingRuleInput {
  name?: string;
  active?: boolean;
  channels?: string[];
  categoryId?: string | null;
  keywords?: string[];
  vulnerableOnly?: boolean;
  teamId?: string;
  assigneeId?: string | null;
  priority?: string | null;
}

export type CheckedRoutingRule = Partial<Omit<RoutingRule, 'id' | 'position'>>;

/**
 * A rule as written, checked (all of it when `whole`, the fields given otherwise) and tidied: a name; known channels,
 * each once; keywords folded, each of two letters at least, each once, at most 20; a team; a known priority. Throws
 * every field problem at once. Whether the team, member and category exist is the command's to check.
 */
export function checkRoutingRule(input: RoutingRuleInput, whole: boolean): CheckedRoutingRule {
  const fields: FieldError[] = [];
  const out: CheckedRoutingRule = {};
  if (input.name !== undefined || whole) {
    const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
    if (!name) fields.push({ field: 'name', code: 'required' });
    else if (name.length > ROUTING_LIMITS.name) fields.push({ field: 'name', code: 'too_long' });
    out.name = name;
  }
  if (input.channels !== undefined || whole) {
    const channels = input.channels ?? [];
    channels.forEach((c, i) => {
      if (!(CHANNELS as readonly string[]).includes(c)) fields.push({ field: `channels[${i}]`, code: 'invalid_value' });
      else if (channels.indexOf(c) !== i) fields.push({ field: `channels[${i}]`, code: 'duplicate' });
    });
    out.channels = channels.filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c));
  }
  if (input.keywords !== undefined || whole) {
    const raw = input.keywords ?? [];
    const keywords: string[] = [];
    if (raw.length > ROUTING_LIMITS.keywords) fields.push({ field: 'keywords', code: 'too_many' });
    raw.forEach((k, i) => {
      const folded = foldText(k);
      if (folded.replace(/[^a-z0-9]/g, '').length < 2) fields.push({ field: `keywords[${i}]`, code: 'too_short' });
      else if (folded.length > ROUTING_LIMITS.keywordLength) fields.push({ field: `keywords[${i}]`, code: 'too_long' });
      else if (keywords.includes(folded)) fields.push({ field: `keywords[${i}]`, code: 'duplicate' });
      else keywords.push(folded);
    });
    out.keywords = keywords;
  }
  if (input.teamId !== undefined || whole) {
    if (!input.teamId) fields.push({ field: 'teamId', code: 'required' });
    else out.teamId = input.teamId;
  }
  if (input.priority !== undefined) {
    if (input.priority !== null && !(PRIORITIES as readonly string[]).includes(input.priority)) fields.push({ field: 'priority', code: 'invalid_value' });
    else out.priority = input.priority as Priority | null;
  } else if (whole) out.priority = null;
  if (input.categoryId !== undefined || whole) out.categoryId = input.categoryId ?? null;
  if (input.assigneeId !== undefined || whole) out.assigneeId = input.assigneeId ?? null;
  if (input.vulnerableOnly !== undefined || whole) out.vulnerableOnly = input.vulnerableOnly ?? false;
  if (input.active !== undefined || whole) out.active = input.active ?? true;
  if (fields.length) throw new AppError('validation_failed', { fields });
  return out;
}

/** What a rule looks at in a complaint. */
export interface RoutableComplaint {
  channel: string;
  categoryId: string | null;
  subject: string;
  description: string;
  product?: string | null;
  vulnerable: boolean;
}

/** The words a rule's keywords are looked for in: subject, product and description, folded. */
export function routingText(c: Pick<RoutableComplaint, 'subject' | 'description' | 'product'>): string {
  return foldText([c.subject, c.product ?? '', c.description].join(' \u0001 '));
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a folded keyword starts a word of a folded text ("bao hanh" in "het bao hanh roi", not "ong" in "dong"). */
export function keywordIn(text: string, keyword: string): boolean {
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegex(keyword)}`, 'u').test(text);
}

/** Whether a rule fits a complaint (its `text` from routingText). */
export function ruleFits(rule: RoutingRule, c: RoutableComplaint, text: string): boolean {
  return (
    rule.active &&
    (rule.channels.length === 0 || (rule.channels as string[]).includes(c.channel)) &&
    (rule.categoryId === null || rule.categoryId === c.categoryId) &&
    (!rule.vulnerableOnly || c.vulnerable) &&
    (rule.keywords.length === 0 || rule.keywords.some((k) => keywordIn(text, k)))
  );
}

/** The first rule, in their order, that fits the complaint; null when none does. */
export function firstFittingRule(rules: readonly RoutingRule[], c: RoutableComplaint): RoutingRule | null {
  const text = routingText(c);
  return [...rules].sort((a, b) => a.position - b.position).find((r) => ruleFits(r, c, text)) ?? null;
}

/** The priority after a rule: raised to the rule's, never lowered. */
export function raisedPriority(current: Priority, atLeast: Priority | null): Priority {
  if (!atLeast) return current;
  return PRIORITIES.indexOf(atLeast) > PRIORITIES.indexOf(current) ? atLeast : current;
}
