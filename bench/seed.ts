// Bulk seeding of N realistic complaints for the benchmark: rows are computed with Sen's own domain
// code (codes, deadlines, search text, timeline hashes) and sent as unnest() batches of a few thousand.
import { randomUUID } from 'node:crypto';
import { v7 } from 'uuid';
import type pg from 'pg';
import type { Database } from '../src/db/open';
import { addStaffUser, createApiToken, type StaffUser } from '../src/commands/staff-accounts';
import { formatComplaintCode, vietnamYear } from '../src/domain/codes';
import { nationalPhone, normalizeEmail, normalizePhone } from '../src/domain/contacts';
import { CONSENT_VERSION } from '../src/domain/intake';
import { defaultCalendar } from '../src/domain/calendar';
import { clocksToJson, openingClocks, stopClock, type Clocks } from '../src/domain/clocks';
import { resolutionRunning, type Status } from '../src/domain/lifecycle';
import { complaintSearchText, foldText } from '../src/domain/search-text';
import { DEFAULT_SLA, initialDeadlines, nearestDue } from '../src/domain/sla';
import { eventHash } from '../src/domain/timeline-hash';
import {
  EMAIL_DOMAINS,
  int,
  loadTemplates,
  phoneFor,
  pick,
  prng,
  randomName,
  varyOrderRef,
  varyText,
  weighted,
  type Rand,
  type Template,
} from './data';

export interface SeedSample {
  code: string;
  customerName: string;
  phoneE164: string | null;
  email: string | null;
  orderRef: string | null;
}

export interface SeedResult {
  n: number;
  customers: number;
  seconds: number;
  phases: { generateInsert: number; indexes: number; vacuumAnalyze: number };
  staff: StaffUser[];
  agent: StaffUser & { token: string };
  /** The assignee with the most complaints, for the assignee filter of the queue. */
  busiestAssigneeId: string;
  samples: SeedSample[];
  /** Last code number handed out per year (what `complaint_sequences` now holds). */
  sequences: Map<number, number>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

const statusOf = weighted<Status>({
  received: 22,
  acknowledged: 14,
  investigating: 18,
  awaiting_customer: 7,
  proposed: 5,
  reopened: 1,
  escalated: 2,
  resolved: 8,
  closed: 17,
  rejected: 3,
  withdrawn: 2,
  merged: 1,
});
const channelOf = weighted({ web: 35, email: 20, hotline: 30, office: 10, api: 5 });
const priorityOf = weighted({ normal: 68, low: 10, high: 16, urgent: 6 });

const TEAMS = ['Chăm sóc khách hàng', 'Kỹ thuật – Bảo hành', 'Giao vận', 'Tài chính – Kế toán'];

interface Customer {
  id: string;
  name: string;
  phoneE164: string | null;
  phoneNational: string | null;
  email: string | null;
}

/** Creates the teams, ~20 staff (agents and supervisors take complaints) and an agent's API token. */
async function seedStaff(database: Database, rand: Rand) {
  const teamIds: string[] = [];
  for (const name of TEAMS) {
    const r = await database.pool.query<{ id: string }>(
      `insert into teams (name) values ($1) on conflict (name) do update set name = excluded.name returning id`,
      [name],
    );
    teamIds.push(r.rows[0].id);
  }
  const roles = [...Array(15).fill('agent'), ...Array(3).fill('supervisor'), 'admin', 'auditor'] as const;
  const staff = await Promise.all(
    roles.map((role, i) => {
      const name = randomName(rand);
      const email = `${foldText(name).replace(/ /g, '.')}.${i}@sen-bench.vn`;
      return addStaffUser({
        database,
        email,
        name,
        role,
        password: 'bench-password-123',
        teamId: role === 'admin' || role === 'auditor' ? null : teamIds[i % teamIds.length],
      });
    }),
  );
  const agentUser = staff[0];
  const token = await createApiToken(database, agentUser.id, 'bench');
  return { teamIds, staff, agent: { ...agentUser, token } };
}

function buildCustomers(count: number, templates: Template[], rand: Rand): Customer[] {
  const customers: Customer[] = [];
  const taken = new Set<string>();
  for (const t of templates.slice(0, count)) {
    const phoneE164 = t.customer.phone ? normalizePhone(t.customer.phone) : null;
    const email = t.customer.email ? normalizeEmail(t.customer.email) : null;
    if (phoneE164) taken.add(phoneE164);
    customers.push({ id: randomUUID(), name: t.customer.name, phoneE164, phoneNational: null, email });
  }
  let k = 0;
  while (customers.length < count) {
    const name = randomName(rand);
    const kind = rand();
    let phoneE164: string | null = null;
    if (kind < 0.8) {
      do phoneE164 = phoneFor(k++);
      while (taken.has(phoneE164));
    }
    let email: string | null = null;
    if (kind >= 0.4) {
      const parts = foldText(name).split(' ');
      email = `${parts[parts.length - 1]}.${parts[0]}${customers.length}@${pick(rand, EMAIL_DOMAINS)}`;
    }
    customers.push({ id: randomUUID(), name, phoneE164, phoneNational: null, email });
  }
  for (const c of customers) c.phoneNational = c.phoneE164 ? nationalPhone(c.phoneE164) : null;
  return customers;
}

/** Runs `task(i)` for i in [0, count) with at most `width` in flight. */
async function inFlight(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, count) }, async () => {
    while (next < count) await task(next++);
  });
  await Promise.all(lanes);
}

const COMPLAINT_COLUMNS = [
  ['id', 'uuid'],
  ['code', 'text'],
  ['status', 'text'],
  ['channel', 'text'],
  ['priority', 'text'],
  ['subject', 'text'],
  ['description', 'text'],
  ['order_ref', 'text'],
  ['customer_id', 'uuid'],
  ['assignee_id', 'uuid'],
  ['team_id', 'uuid'],
  ['category_id', 'uuid'],
  ['consent_at', 'timestamptz'],
  ['consent_version', 'text'],
  ['received_at', 'timestamptz'],
  ['acknowledged_at', 'timestamptz'],
  ['acknowledgement_due_at', 'timestamptz'],
  ['resolution_due_at', 'timestamptz'],
  ['sort_due', 'timestamptz'],
  ['search_text', 'text'],
  ['last_event_hash', 'text'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['clocks', 'jsonb'],
] as const;
const EVENT_COLUMNS = [
  ['actor_type', 'text'],
  ['actor_id', 'text'],
  ['payload', 'text'],
] as const;

const cn = COMPLAINT_COLUMNS.length;
const INSERT_BATCH_SQL = `
  with c as (
    insert into complaints (${COMPLAINT_COLUMNS.map(([n]) => n).join(', ')}, event_count)
    select *, 1 from unnest(${COMPLAINT_COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')})
    returning id
  )
  insert into timeline_events (complaint_id, seq, type, actor_type, actor_id, channel, payload, created_at, prev_hash, hash)
  select id, 1, 'complaint.created', actor_type, actor_id, channel, payload::jsonb, received_at, '', last_event_hash
  from unnest($1::uuid[], $4::text[], $15::timestamptz[], $21::text[], ${EVENT_COLUMNS.map(([, t], i) => `$${cn + i + 1}::${t}[]`).join(', ')})
    as e(id, channel, received_at, last_event_hash, ${EVENT_COLUMNS.map(([n]) => n).join(', ')})`;

const SEED_CAL = defaultCalendar();

/** The clocks a seeded complaint would have: acknowledgement stopped at its contact, all stopped when it ended. */
function seedClocks(at: Date, status: Status, acknowledgedAt: number | null, updatedAt: number): Clocks {
  const clocks = openingClocks(at, DEFAULT_SLA, SEED_CAL);
  if (acknowledgedAt != null) clocks.acknowledgement = stopClock(clocks.acknowledgement!, new Date(acknowledgedAt), SEED_CAL);
  if (!resolutionRunning(status)) {
    for (const k of Object.keys(clocks) as (keyof Clocks)[]) clocks[k] = stopClock(clocks[k]!, new Date(updatedAt), SEED_CAL);
  }
  return clocks;
}

/** Seeds `n` complaints (and their customers, staff and first timeline events), then indexes and ANALYZE. */
export async function seed(database: Database, opts: { n: number; seed?: number; log: (line: string) => void }): Promise<SeedResult> {
  const t0 = performance.now();
  const { n, log } = opts;
  const rand = prng(opts.seed ?? 20260101);
  const templates = loadTemplates();
  const pool = database.pool;
  const isPg = database.kind === 'postgres';

  const { teamIds, staff, agent } = await seedStaff(database, rand);
  const tStaff = performance.now();
  const assignable = staff.filter((s) => s.role === 'agent' || s.role === 'supervisor');
  const recorders = staff.filter((s) => s.role === 'agent');
  // Some agents carry more of the queue than others.
  const assigneeWeights = assignable.map((_, i) => 1 + ((i * 7) % 5));
  const assigneeOf = weighted(Object.fromEntries(assignable.map((s, i) => [String(i), assigneeWeights[i]])));
  const categories = (await pool.query<{ id: string; slug: string | null }>('select id, slug from categories')).rows;
  const categoryBySlug = new Map(categories.map((c) => [c.slug, c.id]));

  // Customers: ~n/3, each with at least one complaint; the sample complainants come first.
  const customerCount = Math.max(1, Math.round(n / 3));
  const customers = buildCustomers(customerCount, templates, rand);
  const customerOf = new Int32Array(n);
  for (let i = 0; i < n; i += 1) customerOf[i] = i < customerCount ? i : Math.floor(rand() * customerCount);
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    const x = customerOf[i];
    customerOf[i] = customerOf[j];
    customerOf[j] = x;
  }

  // Received over the last 12 months, more of them recent; codes follow the order of receipt.
  const now = Date.now();
  const receivedAt = new Float64Array(n);
  for (let i = 0; i < n; i += 1) receivedAt[i] = Math.floor(now - 60_000 - 365 * DAY * rand() ** 1.25);
  receivedAt.sort();
  const firstSeen = new Float64Array(customerCount).fill(Infinity);
  for (let i = 0; i < n; i += 1) if (receivedAt[i] < firstSeen[customerOf[i]]) firstSeen[customerOf[i]] = receivedAt[i];

  // Only the primary keys stay while loading; the other indexes are rebuilt afterwards in one pass each.
  const secondary = (
    await pool.query<{ tablename: string; indexname: string; indexdef: string }>(`
      select tablename, indexname, indexdef from pg_indexes
      where schemaname = 'public' and tablename in ('complaints', 'timeline_events')
        and indexname not in (select conname from pg_constraint)`)
  ).rows;
  for (const ix of secondary) await pool.query(`drop index "${ix.indexname}"`);

  const batch = isPg ? 5000 : 2500;
  const width = isPg ? 2 : 1;
  const iso = (ms: number) => new Date(ms).toISOString();

  // Customers first (their unique indexes stay: lookups at intake need them anyway).
  await inFlight(Math.ceil(customerCount / batch), width, async (b) => {
    const slice = customers.slice(b * batch, (b + 1) * batch);
    const created = slice.map((_, i) => iso(firstSeen[b * batch + i]));
    await pool.query(
      `insert into customers (id, name, phone_e164, email, created_at, updated_at, search_name)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $5::timestamptz[], $6::text[])`,
      [
        slice.map((c) => c.id), slice.map((c) => c.name), slice.map((c) => c.phoneE164), slice.map((c) => c.email), created,
        slice.map((c) => foldText(c.name)),
      ],
    );
  });

  const tCustomers = performance.now();
  const sequences = new Map<number, number>();
  const samples: SeedSample[] = [];
  const sampleEvery = Math.max(1, Math.floor(n / 400));
  const assigneeCounts = new Map<string, number>();
  let generated = 0;
  let genMs = 0;

  const makeBatch = (start: number, end: number): unknown[][] => {
    const cols: unknown[][] = Array.from({ length: cn + EVENT_COLUMNS.length }, () => new Array(end - start));
    for (let j = start; j < end; j += 1) {
      const k = j - start;
      const r = receivedAt[j];
      const at = new Date(r);
      const customer = customers[customerOf[j]];
      const t = customerOf[j] < templates.length ? templates[customerOf[j]] : pick(rand, templates);
      const year = vietnamYear(at);
      const seq = (sequences.get(year) ?? 0) + 1;
      sequences.set(year, seq);
      const code = formatComplaintCode(year, seq);
      const channel = rand() < 0.6 ? t.channel : channelOf(rand);
      const status = statusOf(rand);
      const priority = priorityOf(rand);
      const catRoll = rand();
      const categoryId =
        catRoll < 0.85 ? (categoryBySlug.get(t.category ?? 'other') ?? null) : catRoll < 0.95 ? pick(rand, categories).id : null;
      const { acknowledgementDueAt, resolutionDueAt } = initialDeadlines(at);
      const acknowledgedAt =
        status === 'received' || (['rejected', 'withdrawn', 'merged'].includes(status) && rand() < 0.3)
          ? null
          : Math.min(now - 1000, r + (0.5 + rand() * 40) * HOUR);
      const sortDue = nearestDue({ status, acknowledgementDueAt, resolutionDueAt });
      const assigned = status === 'received' ? rand() < 0.2 : rand() < 0.95;
      const assignee = assigned ? assignable[Number(assigneeOf(rand))] : null;
      const teamId = assignee ? assignee.teamId : rand() < 0.3 ? pick(rand, teamIds) : null;
      if (assignee) assigneeCounts.set(assignee.id, (assigneeCounts.get(assignee.id) ?? 0) + 1);
      const consent = channel === 'web' || rand() < 0.6;
      const { subject, description } = varyText(rand, t);
      const orderRef = varyOrderRef(rand, t);
      const updatedAt = Math.min(now - 1000, (acknowledgedAt ?? r) + (status === 'received' ? 0 : rand() * 10 * DAY));
      const searchText = complaintSearchText({
        code,
        subject,
        description,
        phoneE164: customer.phoneE164,
        phoneNational: customer.phoneNational,
        email: customer.email,
        orderRef,
      });
      // As Sen makes them (db/row-id.ts): time-ordered, here by the complaint's time of receipt.
      const id = v7({ msecs: r });
      const byCustomer = channel === 'web';
      const recorder = byCustomer ? null : recorders[int(rand, 0, recorders.length - 1)];
      const payload = { channel, subject, ...(orderRef ? { orderRef } : {}) };
      const hash = eventHash({
        complaintId: id,
        seq: 1,
        type: 'complaint.created',
        actorType: recorder ? recorder.role : 'customer',
        actorId: recorder ? recorder.id : null,
        channel,
        payload,
        createdAt: at,
        prevHash: '',
      });
      const row = [
        id, code, status, channel, priority, subject, description, orderRef, customer.id, assignee?.id ?? null, teamId,
        categoryId, consent ? at.toISOString() : null, consent ? CONSENT_VERSION : null, at.toISOString(),
        acknowledgedAt == null ? null : iso(acknowledgedAt), acknowledgementDueAt.toISOString(), resolutionDueAt.toISOString(),
        sortDue, searchText, hash, at.toISOString(), iso(updatedAt), JSON.stringify(clocksToJson(seedClocks(at, status, acknowledgedAt, updatedAt))),
        recorder ? recorder.role : 'customer', recorder ? recorder.id : null, JSON.stringify(payload),
      ];
      for (let c = 0; c < row.length; c += 1) cols[c][k] = row[c];
      if (j % sampleEvery === 0) {
        samples.push({ code, customerName: customer.name, phoneE164: customer.phoneE164, email: customer.email, orderRef });
      }
    }
    return cols;
  };

  const batches = Math.ceil(n / batch);
  let lastReport = performance.now();
  await inFlight(batches, width, async (b) => {
    // Batches are generated in order (codes are consecutive); only the database work overlaps.
    const tg = performance.now();
    const cols = makeBatch(b * batch, Math.min(n, (b + 1) * batch));
    genMs += performance.now() - tg;
    await pool.query(INSERT_BATCH_SQL, cols);
    generated += cols[0].length;
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      log(`  … ${generated.toLocaleString('en-US')} / ${n.toLocaleString('en-US')} complaints`);
    }
  });
  for (const [year, last] of sequences) {
    await pool.query(
      `insert into complaint_sequences (year, last_value) values ($1, $2)
       on conflict (year) do update set last_value = excluded.last_value`,
      [year, last],
    );
  }
  const t1 = performance.now();
  log(
    `  staff ${((tStaff - t0) / 1000).toFixed(1)} s, customers ${((tCustomers - tStaff) / 1000).toFixed(1)} s, ` +
      `complaints ${((t1 - tCustomers) / 1000).toFixed(1)} s (of which computing rows in JS ${(genMs / 1000).toFixed(1)} s)`,
  );

  // Rebuild the secondary indexes: on PostgreSQL two at a time (two cores), the big GIN index first.
  const ordered = [...secondary].sort((a, b) => Number(/gin/i.test(b.indexdef)) - Number(/gin/i.test(a.indexdef)));
  const build = async (client: pg.PoolClient, defs: typeof secondary) => {
    if (isPg) await client.query(`set maintenance_work_mem = '512MB'`);
    for (const ix of defs) await client.query(ix.indexdef);
  };
  if (isPg) {
    const lanes = [ordered.filter((_, i) => i === 0), ordered.filter((_, i) => i > 0)];
    await Promise.all(
      lanes.map(async (defs) => {
        const client = await pool.connect();
        try {
          await build(client, defs);
        } finally {
          client.release();
        }
      }),
    );
  } else {
    const client = await pool.connect();
    try {
      await build(client, ordered);
    } finally {
      client.release();
    }
  }
  const t2 = performance.now();
  for (const table of ['complaints', 'timeline_events', 'customers', 'staff_users', 'categories', 'teams']) {
    await pool.query(`vacuum analyze ${table}`);
  }
  // Flush the bulk load now, so that its checkpoint does not run during the measurements.
  await pool.query('checkpoint').catch(() => {});
  const t3 = performance.now();

  const busiest = [...assigneeCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? assignable[0].id;
  return {
    n,
    customers: customerCount,
    seconds: (t3 - t0) / 1000,
    phases: { generateInsert: (t1 - t0) / 1000, indexes: (t2 - t1) / 1000, vacuumAnalyze: (t3 - t2) / 1000 },
    staff,
    agent,
    busiestAssigneeId: busiest,
    samples,
    sequences,
  };
}
