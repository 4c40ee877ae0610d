import { sql } from 'drizzle-orm';
import { toAppError } from '../errors';
import type { Queryable } from './resolution';
import { isUuid } from '../../domain/ids';

/** Names for the ids a dossier's timeline events carry, by kind; an id missing here was removed. */
export interface DossierNames {
  staff: Record<string, string>;
  teams: Record<string, string>;
  categories: Record<string, string>;
  rootCauses: Record<string, string>;
}


/** Every UUID anywhere in the payloads: cheaper than knowing which field of which event holds which kind. */
function idsIn(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') {
    if (isUuid(value)) into.add(value.toLowerCase());
  } else if (Array.isArray(value)) {
    for (const v of value) idsIn(v, into);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) idsIn(v, into);
  }
  return into;
}

/**
 * Looks up the staff, team, category and root-cause names that a complaint's timeline events refer
 * to by id, so the dossier an authority reads shows names (read in the caller's transaction).
 */
export async function loadDossierNames(q: Queryable, events: { payload: Record<string, unknown> }[]): Promise<DossierNames> {
  const names: DossierNames = { staff: {}, teams: {}, categories: {}, rootCauses: {} };
  const ids = [...idsIn(events.map((e) => e.payload), new Set<string>())];
  if (!ids.length) return names;
  const runner = 'pool' in q && 'db' in q ? q.db : q;
  // Compared as text: a payload id that is not a row of the table simply matches nothing.
  const wanted = sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
  let found: { kind: keyof DossierNames; id: string; name: string }[];
  try {
    found = (
      await runner.execute<{ kind: keyof DossierNames; id: string; name: string }>(sql`
        select 'staff' as kind, id::text as id, name from staff_users where id::text in ${wanted}
        union all select 'teams', id::text, name from teams where id::text in ${wanted}
        union all select 'categories', id::text, name from categories where id::text in ${wanted}
        union all select 'rootCauses', id::text, name from root_causes where id::text in ${wanted}`)
    ).rows;
  } catch (err) {
    throw toAppError(err);
  }
  for (const r of found) names[r.kind][r.id] = r.name;
  return names;
}
