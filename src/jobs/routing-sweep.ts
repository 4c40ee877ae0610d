import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { listRoutingRules } from '../db/queries/routing';
import { firstFittingRule, raisedPriority, type RoutingRule } from '../domain/routing';
import type { Priority } from '../domain/vocabulary';
import { SYSTEM_ACTOR } from '../commands/actor';
import { lockComplaint } from '../commands/load';
import { appendEvent } from '../commands/timeline';
import { inTransaction } from '../commands/transaction';
import { AppError } from '../domain/errors';
import { rolesWith } from '../policies';

/**
 * How far back a sweep looks for complaints not yet looked at: a day, so that one written long after it was received (a
 * hotline call logged at the end of a shift is received when the call began) is still routed.
 */
const LOOK_BACK_MS = 24 * 3_600_000;
/** Who may be given a complaint: the roles that work complaints (as the hand-back when staff leave has it). */
const WORKERS = `{${rolesWith('complaint.transition').join(',')}}`;
/** Complaints looked at are remembered this long (the sweep needs the last day's). */
const KEEP_CHECKS_MS = 3 * 24 * 3_600_000;

type Candidate = {
  id: string;
  code: string;
  status: string;
  team_id: string | null;
  assignee_id: string | null;
  channel: string;
  category_id: string | null;
  subject: string;
  description: string;
  product: string | null;
  vulnerable_group: string | null;
  priority: string;
  received_at: Date;
};

/**
 * Phân công tự động — gives each complaint just received to the team (and member) of the first rule that fits it, and
 * raises its priority as the rule says, with the `assignment.changed` (reason `rule`, the rule named) and
 * `priority.changed` events in one transaction, so the new holder is told as for any assignment. Runs after the intake,
 * not in it: the intake stays as fast without rules as with them. A complaint someone took or moved meanwhile is left as
 * it is. Each complaint is looked at once (routing_checks); with no active rule nothing is looked at or remembered.
 */
export async function runRoutingSweep(opts: { database: Database; now?: Date; batch?: number }): Promise<{ routed: number; looked: number }> {
  const { database } = opts;
  const now = opts.now ?? new Date();
  const rules = (await listRoutingRules(database.db)).filter((r) => r.active);
  if (!rules.length) return { routed: 0, looked: 0 };
  let routed = 0;
  let looked = 0;
  for (;;) {
    const batch = (
      await database.db.execute<Candidate>(sql`
        select c.id, c.code, c.status, c.team_id, c.assignee_id, c.channel, c.category_id, c.subject, c.description, c.product,
               c.vulnerable_group, c.priority, c.received_at
        from complaints c
        where c.received_at > ${new Date(now.getTime() - LOOK_BACK_MS).toISOString()}::timestamptz
          and not exists (select 1 from routing_checks r where r.complaint_id = c.id)
        order by c.received_at, c.id limit ${opts.batch ?? 200}`)
    ).rows;
    for (const c of batch) {
      const rule = waiting(c) ? firstFittingRule(rules, routable(c)) : null;
      const applied = rule ? await applyRule(database, c, rule) : false;
      if (!applied) {
        await database.db.execute(sql`
          insert into routing_checks (complaint_id, received_at) values (${c.id}, ${new Date(c.received_at).toISOString()}) on conflict do nothing`);
      } else routed += 1;
      looked += 1;
    }
    if (batch.length < (opts.batch ?? 200)) break;
  }
  await database.db.execute(sql`delete from routing_checks where received_at < ${new Date(now.getTime() - KEEP_CHECKS_MS).toISOString()}::timestamptz`);
  return { routed, looked };
}

/** Just received and with nobody: the complaints a rule may route. */
const waiting = (c: Pick<Candidate, 'status' | 'team_id' | 'assignee_id'>) => c.status === 'received' && !c.team_id && !c.assignee_id;

const routable = (c: Candidate) => ({
  channel: c.channel,
  categoryId: c.category_id,
  subject: c.subject,
  description: c.description,
  product: c.product,
  vulnerable: c.vulnerable_group !== null,
});

/** Applies a rule to one complaint, checked again under its lock; false when it is no longer waiting (or its customer was erased). */
async function applyRule(database: Database, c: Candidate, rule: RoutingRule): Promise<boolean> {
  try {
    return await inTransaction(database, async (tx) => {
      const locked = await lockComplaint(tx, c.code);
      const done = sql`insert into routing_checks (complaint_id, received_at, rule_id)
        values (${c.id}, ${locked.receivedAt.toISOString()}, ${rule.id}) on conflict do nothing returning complaint_id`;
      if (!waiting({ status: locked.status, team_id: locked.teamId, assignee_id: locked.assigneeId })) return false;
      // Another process's sweep looked at it first.
      if (!(await tx.execute(done)).rowCount) return false;
      const ruleNamed = { ruleId: rule.id, ruleName: rule.name };
      // The names as they were, for the timeline (as an assignment by hand shows them). A member who has since left, or
      // no longer works complaints, is given none: the complaint goes to the team's queue.
      const names = (
        await tx.execute<{ team: string | null; assignee_id: string | null; assignee: string | null }>(sql`
          select (select name from teams where id = ${rule.teamId}) as team, s.id as assignee_id, s.name as assignee
          from (select 1) one left join staff_users s on s.id = ${rule.assigneeId} and s.active and s.role = any(${WORKERS}::text[])`)
      ).rows[0];
      const assigneeId = names.assignee_id;
      await tx.execute(sql`update complaints set team_id = ${rule.teamId}, assignee_id = ${assigneeId} where id = ${c.id}`);
      const head = await appendEvent(tx, locked, SYSTEM_ACTOR, 'assignment.changed', {
        assigneeId,
        teamId: rule.teamId,
        previousAssigneeId: null,
        previousTeamId: null,
        teamName: names.team,
        ...(names.assignee ? { assigneeName: names.assignee } : {}),
        reason: 'rule',
        ...ruleNamed,
      });
      const priority = raisedPriority(locked.priority as Priority, rule.priority);
      if (priority !== locked.priority) {
        await tx.execute(sql`update complaints set priority = ${priority} where id = ${c.id}`);
        await appendEvent(tx, head, SYSTEM_ACTOR, 'priority.changed', { from: locked.priority, to: priority, reason: 'rule', ...ruleNamed });
      }
      return true;
    });
  } catch (err) {
    if (err instanceof AppError && (err.code === 'customer_anonymised' || err.code === 'complaint_not_found')) return false;
    throw err;
  }
}
