import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { listRoutingRules, ROUTING_RULE_COLUMNS, toRoutingRule } from '../db/queries/routing';
import { AppError, type FieldError } from '../domain/errors';
import { checkRoutingRule, ROUTING_LIMITS, type CheckedRoutingRule, type RoutingRule, type RoutingRuleInput } from '../domain/routing';
import type { Actor } from './actor';
import { checkAssignTargets } from './assign-complaint';
import { inTransaction, type Tx } from './transaction';

/** The rules are edited one at a time (their order is one list): each change holds this lock until it commits. */
const lockRules = (tx: Tx) => tx.execute(sql`select pg_advisory_xact_lock(hashtext('sen:routing-rules'))`);

/** The team, member and category a rule names exist (and the member works complaints): else 422 naming the field. */
async function checkTargets(tx: Tx, rule: CheckedRoutingRule): Promise<void> {
  const fields: FieldError[] = [];
  try {
    await checkAssignTargets(tx, { teamId: rule.teamId, assigneeId: rule.assigneeId });
  } catch (err) {
    if (!(err instanceof AppError) || !err.details.fields) throw err;
    fields.push(...err.details.fields);
  }
  if (rule.categoryId) {
    const r = await tx.execute(sql`select 1 from categories where id = ${rule.categoryId}`);
    if (!r.rowCount) fields.push({ field: 'categoryId', code: 'not_found' });
  }
  if (fields.length) throw new AppError('validation_failed', { fields });
}

const textArray = (list: readonly string[]) => `{${list.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** Thêm quy tắc phân công — a supervisor adds a rule; it is tried after the others (or at `position`). */
export async function createRoutingRule(opts: { database: Database; actor: Actor; input: RoutingRuleInput & { position?: number } }): Promise<RoutingRule> {
  const rule = checkRoutingRule(opts.input, true);
  return inTransaction(opts.database, async (tx) => {
    await lockRules(tx);
    await checkTargets(tx, rule);
    const count = Number((await tx.execute<{ n: number }>(sql`select count(*)::int as n from routing_rules`)).rows[0].n);
    if (count >= ROUTING_LIMITS.rules) throw new AppError('validation_failed', { fields: [{ field: 'name', code: 'too_many' }] });
    const position = Math.min(Math.max(opts.input.position ?? count + 1, 1), count + 1);
    await tx.execute(sql`update routing_rules set position = position + 1 where position >= ${position}`);
    const r = await tx.execute<Record<string, unknown>>(sql`
      insert into routing_rules (position, name, active, channels, category_id, keywords, vulnerable_only, team_id, assignee_id, priority, created_by)
      values (${position}, ${rule.name!}, ${rule.active!}, ${textArray(rule.channels!)}::text[], ${rule.categoryId ?? null},
        ${textArray(rule.keywords!)}::text[], ${rule.vulnerableOnly!}, ${rule.teamId!}, ${rule.assigneeId ?? null}, ${rule.priority ?? null}, ${opts.actor.id})
      returning ${ROUTING_RULE_COLUMNS}`);
    return toRoutingRule(r.rows[0]);
  });
}

/** Sửa quy tắc — changes what a rule looks at or does, (de)activates it, or moves it in the order (1 first). */
export async function updateRoutingRule(opts: { database: Database; id: string; input: RoutingRuleInput & { position?: number } }): Promise<RoutingRule> {
  const rule = checkRoutingRule(opts.input, false);
  return inTransaction(opts.database, async (tx) => {
    await lockRules(tx);
    const current = (await listRoutingRules(tx)).find((r) => r.id === opts.id);
    if (!current) throw new AppError('not_found');
    const next = { ...current, ...rule };
    // Only what changes is checked: a rule whose member has since left can still be paused, renamed or given another.
    await checkTargets(tx, rule);
    await tx.execute(sql`
      update routing_rules set name = ${next.name}, active = ${next.active}, channels = ${textArray(next.channels)}::text[],
        category_id = ${next.categoryId}, keywords = ${textArray(next.keywords)}::text[], vulnerable_only = ${next.vulnerableOnly},
        team_id = ${next.teamId}, assignee_id = ${next.assigneeId}, priority = ${next.priority}, updated_at = now()
      where id = ${opts.id}`);
    if (opts.input.position !== undefined) await moveRule(tx, current, opts.input.position);
    const r = await tx.execute<Record<string, unknown>>(sql`select ${ROUTING_RULE_COLUMNS} from routing_rules where id = ${opts.id}`);
    return toRoutingRule(r.rows[0]);
  });
}

/** Puts a rule at `position` (clamped to the list), the rules between shifting by one. */
async function moveRule(tx: Tx, rule: RoutingRule, position: number): Promise<void> {
  const count = Number((await tx.execute<{ n: number }>(sql`select count(*)::int as n from routing_rules`)).rows[0].n);
  const to = Math.min(Math.max(position, 1), count);
  if (to === rule.position) return;
  if (to < rule.position) {
    await tx.execute(sql`update routing_rules set position = position + 1 where position >= ${to} and position < ${rule.position}`);
  } else {
    await tx.execute(sql`update routing_rules set position = position - 1 where position > ${rule.position} and position <= ${to}`);
  }
  await tx.execute(sql`update routing_rules set position = ${to} where id = ${rule.id}`);
}

/** Xóa quy tắc — the rules after it move up; complaints it routed keep their team (their timeline names the rule). */
export async function deleteRoutingRule(opts: { database: Database; id: string }): Promise<void> {
  await inTransaction(opts.database, async (tx) => {
    await lockRules(tx);
    const r = await tx.execute<{ position: number }>(sql`delete from routing_rules where id = ${opts.id} returning position`);
    if (!r.rows[0]) throw new AppError('not_found');
    await tx.execute(sql`update routing_rules set position = position - 1 where position > ${r.rows[0].position}`);
  });
}
