import { sql } from 'drizzle-orm';
import type { RoutingRule } from '../../domain/routing';
import type { Channel, Priority } from '../../domain/vocabulary';
import type { Database } from '../open';
import type { Tx } from '../../commands/transaction';

export const ROUTING_RULE_COLUMNS = sql`id, position, name, active, channels, category_id, keywords, vulnerable_only, team_id, assignee_id, priority`;

export function toRoutingRule(r: Record<string, unknown>): RoutingRule {
  return {
    id: r.id as string,
    position: Number(r.position),
    name: r.name as string,
    active: r.active as boolean,
    channels: (r.channels as Channel[] | null) ?? [],
    categoryId: (r.category_id as string | null) ?? null,
    keywords: (r.keywords as string[] | null) ?? [],
    vulnerableOnly: r.vulnerable_only as boolean,
    teamId: r.team_id as string,
    assigneeId: (r.assignee_id as string | null) ?? null,
    priority: (r.priority as Priority | null) ?? null,
  };
}

/** Every routing rule, in the order they are tried. */
export async function listRoutingRules(db: Database['db'] | Tx): Promise<RoutingRule[]> {
  const r = await db.execute<Record<string, unknown>>(sql`select ${ROUTING_RULE_COLUMNS} from routing_rules order by position, created_at, id`);
  return r.rows.map(toRoutingRule);
}
