import { sql, type SQL } from 'drizzle-orm';
import type { Language, VulnerableGroup } from '../../domain/vocabulary';
import type { Database } from '../open';
import { toAppError } from '../errors';
import { normalizeComplaintCode, parseComplaintCode } from '../../domain/codes';
import { normalizeEmail, normalizePhone } from '../../domain/contacts';
import { AppError } from '../../domain/errors';
import { isStatus, TERMINAL_STATUSES, type Status } from '../../domain/lifecycle';
import { clocksFromJson, type Clocks } from '../../domain/clocks';
import {
  escapeLike,
  foldText,
  isMultiWordPhrase,
  nameSearchPattern,
  orderNumberVariants,
  pairedPart,
  phraseStartPattern,
  nameIndexKeys,
  searchKey,
  searchWords,
  wordStartPattern,
} from '../../domain/search-text';

/** A complaint as the database holds it, joined with the names staff need to see. */
export interface ComplaintRow {
  id: string;
  code: string;
  status: Status;
  channel: string;
  priority: string;
  /** Art. 8: the consumer's vulnerable group, or null. */
  vulnerableGroup: VulnerableGroup | null;
  /** Ngôn ngữ liên lạc: the language of every mail and printed receipt to the customer. */
  language: Language;
  subject: string;
  description: string;
  orderRef: string | null;
  product: string | null;
  receivedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgementDueAt: Date;
  resolutionDueAt: Date;
  sortDue: string;
  clocks: Clocks;
  /** province: as given with this complaint (complaints.customer_province). */
  customer: { id: string; name: string; phoneE164: string | null; email: string | null; province: string | null };
  assignee: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  category: { id: string; name: string; nameEn: string | null } | null;
  /** The customer's consent to the processing of their data, when given at intake: when, and the wording's version. */
  consent: { at: Date; version: string | null } | null;
}

/** A complaint as the queue lists it: what a summary shows, without the text and contacts. */
export type ComplaintSummaryRow = Pick<
  ComplaintRow,
  'id' | 'code' | 'status' | 'channel' | 'priority' | 'vulnerableGroup' | 'subject' | 'receivedAt' | 'acknowledgedAt' | 'acknowledgementDueAt' | 'resolutionDueAt' | 'sortDue' | 'clocks' | 'assignee' | 'team' | 'category'
> & { customer: Pick<ComplaintRow['customer'], 'id' | 'name'> };

export interface EventRow {
  id: number;
  seq: number;
  type: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  channel: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

const COLUMNS = sql`
  select c.id, c.code, c.status, c.channel, c.priority, c.vulnerable_group, c.language, c.subject, c.description, c.order_ref, c.product, c.customer_province, c.received_at,
         c.consent_at, c.consent_version,
         c.acknowledged_at, c.acknowledgement_due_at, c.resolution_due_at, c.sort_due::text as sort_due, c.clocks,
         cu.id as customer_id, cu.name as customer_name, cu.phone_e164, cu.email,
         a.id as assignee_id, a.name as assignee_name, t.id as team_id, t.name as team_name,
         cat.id as category_id, cat.name as category_name, cat.name_en as category_name_en`;

const JOINS = sql`
  join customers cu on cu.id = c.customer_id
  left join staff_users a on a.id = c.assignee_id
  left join teams t on t.id = c.team_id
  left join categories cat on cat.id = c.category_id`;

const SELECT = sql`${COLUMNS} from complaints c ${JOINS}`;

/**
 * The queue's columns, the names looked up one by one: planned in ~0.3 ms where the joins of COLUMNS
 * take 1–1.8 ms to plan, longer than the page takes to read; no description (up to 100 KB a page).
 */
const SUMMARY_COLUMNS = sql`
  select c.id, c.code, c.status, c.channel, c.priority, c.vulnerable_group, c.subject, c.received_at, c.acknowledged_at,
         c.acknowledgement_due_at, c.resolution_due_at, c.sort_due::text as sort_due, c.clocks,
         c.customer_id, (select name from customers where id = c.customer_id) as customer_name,
         c.assignee_id, (select name from staff_users where id = c.assignee_id) as assignee_name,
         c.team_id, (select name from teams where id = c.team_id) as team_name,
         c.category_id, (select name from categories where id = c.category_id) as category_name,
         (select name_en from categories where id = c.category_id) as category_name_en`;

function toSummaryRow(r: Record<string, unknown>): ComplaintSummaryRow {
  const d = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    id: r.id as string,
    code: r.code as string,
    status: r.status as Status,
    channel: r.channel as string,
    priority: r.priority as string,
    vulnerableGroup: (r.vulnerable_group as VulnerableGroup | null) ?? null,
    subject: r.subject as string,
    receivedAt: d(r.received_at)!,
    acknowledgedAt: d(r.acknowledged_at),
    acknowledgementDueAt: d(r.acknowledgement_due_at)!,
    resolutionDueAt: d(r.resolution_due_at)!,
    sortDue: r.sort_due as string,
    clocks: clocksFromJson(r.clocks),
    customer: { id: r.customer_id as string, name: r.customer_name as string },
    assignee: r.assignee_id ? { id: r.assignee_id as string, name: r.assignee_name as string } : null,
    team: r.team_id ? { id: r.team_id as string, name: r.team_name as string } : null,
    category: r.category_id
      ? { id: r.category_id as string, name: r.category_name as string, nameEn: r.category_name_en as string | null }
      : null,
  };
}

function toRow(r: Record<string, unknown>): ComplaintRow {
  const summary = toSummaryRow(r);
  return {
    ...summary,
    description: r.description as string,
    language: r.language === 'en' ? 'en' : 'vi',
    orderRef: r.order_ref as string | null,
    product: (r.product as string | null) ?? null,
    consent: r.consent_at == null ? null : { at: new Date(r.consent_at as string), version: (r.consent_version as string | null) ?? null },
    customer: {
      ...summary.customer,
      phoneE164: r.phone_e164 as string | null,
      email: r.email as string | null,
      province: (r.customer_province as string | null) ?? null,
    },
  };
}

async function run(database: Database, q: SQL): Promise<Record<string, unknown>[]> {
  try {
    return (await database.db.execute<Record<string, unknown>>(q)).rows;
  } catch (err) {
    throw toAppError(err);
  }
}

export interface ComplaintFilters {
  statuses?: Status[];
  /** A staff id, or 'none' for unassigned. */
  assigneeId?: string;
  teamId?: string;
  channel?: string;
  categoryId?: string;
  priority?: string;
  dueBefore?: Date;
  /** true: a running clock is past due (the front of the queue); false: none is. */
  overdue?: boolean;
  q?: string;
  customerId?: string;
  /** Only the complaints this staff member follows (theo dõi). */
  followedBy?: string;
}

interface Cursor {
  d: string;
  id: string;
  /** 'w': the pages of a search by its words (no complaint held the phrase). */
  m?: 'w';
}

/** Orders of the queue: nearest running deadline first (default), or newest received first. */
export const QUEUE_SORTS = ['due', 'newest'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString()) as Cursor;
    if (typeof c.d === 'string' && typeof c.id === 'string' && /^[0-9a-f-]{36}$/.test(c.id)) return c;
  } catch {
    // fall through to the field error
  }
  throw new AppError('validation_failed', { fields: [{ field: 'cursor', code: 'invalid_value' }] });
}

/**
 * A name matching more customers than this ("nguyen", "thi") is common: a walk along the queue checks each
 * complaint's customer by primary key instead of a list of them.
 */
const NAME_MATCH_LIMIT = 2000;

/**
 * The names found common, per database, remembered for COMMON_NAME_TTL_MS: the look-up that tells (2,001 customers
 * read through the name index, 8–30 ms at 1 M for "linh", "ngoc") is skipped when a name is searched again. Taking a
 * name for common is never wrong, only slower for a rare one (each complaint's customer checked instead of a list),
 * and a name stays common while its customers grow; so nothing is forgotten early.
 */
const commonNames = new WeakMap<Database, Map<string, number>>();
const COMMON_NAME_TTL_MS = 10 * 60_000;
const COMMON_NAMES_KEPT = 2000;

/**
 * How deep into the queue a text search first looks, in order, and how deep it may go when that
 * look found some matches, before it asks the trigram index (see listComplaints). Measured at 1 M on
 * PostgreSQL: a walk finding nothing costs ~3 ms at 600, 10-20 ms at 3,000, 60-180 ms at 20,000.
 */
export const SEARCH_PROBE = 600;
const SEARCH_WALK_MAX = 20_000;

/** A search: its condition on `c` (complaints) for the indexes, and for a text search, the form fastest to check along a walk. */
interface SearchConditions {
  condition: SQL;
  walkCondition?: SQL;
  /**
   * The condition's alternatives, each served by its own index, for the index path (see indexPathIds): the phrase
   * in the text (the trigram index) and the customers the name fits (complaints_customer_queue_idx, read alone).
   */
  branches?: SQL[];
}

/**
 * How a text search matched: the query as a phrase (or a customer's name), or — when nothing held the
 * phrase — every word of it somewhere in the complaint's text (domain/search-text.ts searchWords).
 */
export type SearchMode = 'phrase' | 'words';

/**
 * The conditions a search query becomes: exact code, phone in any format, email, or folded text and a
 * customer's name; by its words, the fallback of a text search (null for a query that has none).
 */
export async function searchConditions(database: Database, q: string, mode: SearchMode = 'phrase'): Promise<SearchConditions | null> {
  const parsed = parseSearch(q);
  if (mode === 'words') return parsed && 'words' in parsed && parsed.words ? byWords(parsed.words) : null;
  if (!parsed || 'condition' in parsed) return parsed;
  const either = (a: SQL | null, b: SQL | null) => (a && b ? sql`(${a} or ${b})` : (a ?? b ?? sql`false`));
  const known = commonNames.get(database) ?? new Map<string, number>();
  commonNames.set(database, known);
  const commonUntil = known.get(parsed.namePattern);
  // The customers the name fits, looked up once (the index of their names' words) for both the walk and the index path.
  const ids = commonUntil && commonUntil > Date.now() ? null : (await run(database, customersNamed(parsed.folded))).map((r) => String(r.id));
  if (ids && ids.length <= NAME_MATCH_LIMIT) {
    // One array literal parameter (uuids need no quoting): PostgreSQL hashes a long IN list of constants.
    const listed = ids.length ? sql`c.customer_id = any(${`{${ids.join(',')}}`}::uuid[])` : null;
    const branches = [parsed.inText, listed].filter((b): b is SQL => b !== null);
    return { condition: either(parsed.inText, listed), walkCondition: either(parsed.inTextWalk, listed), branches };
  }
  // A common name (more customers than a list should hold): checked on each complaint, by its customer's
  // primary key along the walk, and where the walk cannot fill the page (a rare channel, the queue's end)
  // as PostgreSQL prefers, usually along the queue with every customer the name fits hashed (at 1 M,
  // "nguyen" on the api channel: 26,578 customers, 0.19 s). Never a page missing a match.
  if (ids) {
    if (known.size >= COMMON_NAMES_KEPT) known.clear();
    known.set(parsed.namePattern, Date.now() + COMMON_NAME_TTL_MS);
  }
  // With the name index's condition: hashed, PostgreSQL reads those customers through it, not the whole table (at 1 M,
  // "linh" on the api channel: a parallel scan of 333,000 customers, 108 ms, for the hash alone).
  const common = sql`exists (select 1 from customers cu where cu.id = c.customer_id and ${nameFits(sql`cu`, parsed.folded)})`;
  // Along the walk (at most SEARCH_WALK_MAX complaints, usually a few thousand), each complaint's customer looked up by
  // key (~4 µs), as a scalar subquery, which PostgreSQL never hashes: it turned the `exists` into a hash of every customer
  // the name fits, estimated at a few hundred and built for each statement (at 1 M, "linh" 10,000 customers and more,
  // 20–40 ms), longer than the walk itself. The index path keeps `exists`: there PostgreSQL may walk the whole queue.
  const commonPerRow = sql`(select (' ' || cu.search_name) like ${parsed.namePattern} from customers cu where cu.id = c.customer_id)`;
  return { condition: either(parsed.inText, common), walkCondition: either(parsed.inTextWalk, commonPerRow) };
}

/**
 * The customers whose name fits a folded query (domain/search-text.ts nameSearchPattern), one more than are listed:
 * found through the beginnings of their names' words (customers_name_prefixes_idx), then checked. The keys are
 * hashed in the statement, constants to the planner, which then knows from the index's statistics how many names
 * each fits ("nguyen" 8 % of customers, "ngo dung" 0.2 %).
 */
export const customersNamed = (folded: string): SQL =>
  sql`select id from customers cu where ${nameFits(sql`cu`, folded)} limit ${NAME_MATCH_LIMIT + 1}`;

/** That the name of `customer` (an alias of customers) fits a folded query, with the name index's condition. */
function nameFits(customer: SQL, folded: string): SQL {
  const keys = nameIndexKeys(folded).map((k) => sql`hashtext(${k})`);
  return sql`sen_name_prefixes(${customer}.search_name) @> array[${sql.join(keys, sql`, `)}]::int4[]
    and (' ' || ${customer}.search_name) like ${nameSearchPattern(folded)}`;
}

/**
 * A search query read: a code, phone or email is one exact condition; anything else is text, matched as a
 * phrase in the complaint's text (three letters at least) and by the words of a customer's name.
 */
function parseSearch(
  q: string,
): { condition: SQL } | { inText: SQL | null; inTextWalk: SQL | null; folded: string; namePattern: string; words: string[] | null } | null {
  const exact = (condition: SQL) => ({ condition });
  const text = q.trim();
  if (!text) return null;
  const code = parseComplaintCode(text);
  if (code) return exact(sql`c.code = ${code.code}`);
  // A whole phone number or email finds the customer by its unique index, then their complaints:
  // exact, and fast at any size, where a substring search over every complaint is not.
  const looksLikePhone = /^[+\d][\d\s.\-()]{6,}$/.test(text);
  const phone = looksLikePhone ? normalizePhone(text) : null;
  // A contact given with a complaint but not added to its customer's record is found too (unconfirmed_contacts).
  const byContact = (field: SQL, value: string) =>
    exact(sql`(c.customer_id = any(array(select id from customers where ${field} = ${value}))
      or c.id = any(array(select complaint_id from unconfirmed_contacts where value = ${value})))`);
  if (phone) return byContact(sql`phone_e164`, phone);
  const email = text.includes('@') ? normalizeEmail(text) : null;
  if (email) return byContact(sql`email`, email);
  const folded = foldText(text);
  // A customer's name is matched word by word from the start of its words (nameSearchPattern):
  // "long", "nguyen long", "le thi hoa".
  const namePattern = nameSearchPattern(folded);
  const letters = folded.replace(/\s/g, '').length;
  // One letter matches nearly everything; the trigram index has nothing to look up with.
  if (letters < 2) throw new AppError('validation_failed', { fields: [{ field: 'q', code: 'too_short' }] });
  // Two letters ("Lê", "Võ", "Hà") are a family or given name: a key of the name index (a word's beginning) but
  // nothing the complaint text's trigram index can look up (it holds no spaces), so they search names alone.
  const words = searchWords(folded);
  if (letters < 3) return { inText: null, inTextWalk: null, folded, namePattern, words };
  // The phrase itself (spaces included), and for several words from the start of a word: what a complaint is
  // checked for, along the queue walk and on the rows an index hands back.
  const holds = (f: string) => {
    const like = sql`c.search_text like ${`%${escapeLike(f)}%`}`;
    return isMultiWordPhrase(f) ? sql`${like} and c.search_text ~ ${phraseStartPattern(f)}` : like;
  };
  // The index: for several words, their pairs (sen_search_pairs, domain/search-text.ts pairedPart); otherwise
  // the trigram index on the text without its spaces (searchKey), which finds the phrase's letters in order.
  const indexed = (f: string) => {
    const paired = pairedPart(f);
    return paired
      ? sql`sen_search_pairs(c.search_text) @> sen_search_pairs(${paired})`
      : sql`replace(c.search_text, ' ', '') like ${`%${escapeLike(searchKey(f))}%`}`;
  };
  // An order number matches however it separates its letters from its digits: each form an index scan, but for
  // forms with the same pairs ("dh 12345", "dh-12345"), one.
  const forms = orderNumberVariants(folded) ?? [folded];
  const scans = new Map<string, string[]>();
  for (const f of forms) {
    const key = pairedPart(f) ?? `\u0000${searchKey(f)}`;
    scans.set(key, [...(scans.get(key) ?? []), f]);
  }
  const or = (list: SQL[]) => (list.length === 1 ? list[0] : sql`(${sql.join(list, sql` or `)})`);
  return {
    // The check first: where PostgreSQL walks the queue with this as a filter, inside an "or" (a common name) it
    // evaluates in the order written, and sen_search_pairs on every complaint read costs ~60 µs ("nguyen minh": 310 ms).
    inText: or([...scans.values()].map((fs) => sql`(${or(fs.map((f) => sql`(${holds(f)})`))} and ${indexed(fs[0])})`)),
    inTextWalk: or(forms.map((f) => sql`(${holds(f)})`)),
    folded,
    namePattern,
    words,
  };
}

/**
 * A search by words: each at the start of a word of the complaint's text (a regular expression, checked
 * on each complaint read along the walk), and for the index, each word of three letters or more among
 * the text's letters (the trigram index without spaces, as a phrase: every word's trigrams at once).
 */
function byWords(words: string[]): SearchConditions {
  const starts = words.map((w) => sql`c.search_text ~ ${wordStartPattern(w)}`);
  const indexed = words.filter((w) => w.length >= 3).map((w) => sql`replace(c.search_text, ' ', '') like ${`%${escapeLike(w)}%`}`);
  return { condition: sql`(${sql.join([...indexed, ...starts], sql` and `)})`, walkCondition: sql`(${sql.join(starts, sql` and `)})` };
}

/**
 * The ids of a page found through the indexes: the complaints meeting `conds` and the search, in queue order (or newest
 * first), at most `limit`. A search of alternatives (a phrase, or the customers a name fits) takes each one's page on
 * its own and merges them: as one condition (`text or customer_id = any(…)`) PostgreSQL either walked the queue
 * checking both on every complaint or read every complaint of those customers from the table to sort them — at 1 M,
 * "le ha" (1,143 customers, 3,336 complaints) 80–115 ms; their page alone, read from the customers' queue index
 * (customer, deadline, id) without the table, ~6 ms.
 */
export function indexPathIds(search: SearchConditions | null, conds: SQL[], newest: boolean, limit: number): SQL {
  const order = (alias: SQL) =>
    newest ? sql`order by ${alias}.received_at desc, ${alias}.id desc` : sql`order by ${alias}.sort_due, ${alias}.id`;
  const whereOf = (list: SQL[]) => (list.length ? sql`where ${sql.join(list, sql` and `)}` : sql``);
  const branches = search?.branches;
  if (!search || !branches || branches.length < 2) {
    return sql`select c.id from complaints c ${whereOf(search ? [...conds, search.condition] : conds)} ${order(sql`c`)} limit ${limit}`;
  }
  // Only what the order needs, so that a branch can be read from its index alone; a complaint in two branches is one row.
  const key = newest ? sql`c.received_at` : sql`c.sort_due`;
  const pages = branches.map((b) => sql`(select c.id, ${key} from complaints c ${whereOf([...conds, b])} ${order(sql`c`)} limit ${limit})`);
  return sql`select u.id from (${sql.join(pages, sql` union `)}) u ${order(sql`u`)} limit ${limit}`;
}

/**
 * The ids of a page found by walking the queue: the first `depth` complaints meeting `indexed` (in queue order, or newest
 * first), those of them meeting `unindexed` and the search's walk condition, at most `limit`.
 */
export function walkIds(walkCondition: SQL, indexed: SQL[], unindexed: SQL[], newest: boolean, depth: number, limit: number): SQL {
  const order = newest ? sql`order by c.received_at desc, c.id desc` : sql`order by c.sort_due, c.id`;
  const where = indexed.length ? sql`where ${sql.join(indexed, sql` and `)}` : sql``;
  return sql`select c.id from (select c.id, c.sort_due, c.received_at, c.search_text, c.customer_id, c.channel, c.category_id,
      c.priority from complaints c ${where} ${order} limit ${depth}) c
    where ${sql.join([...unindexed, walkCondition], sql` and `)} ${order} limit ${limit}`;
}

/** Lists complaints by nearest deadline, filtered, one keyset page at a time. */
export async function listComplaints(
  database: Database,
  filters: ComplaintFilters,
  page: { cursor?: string; limit: number; sort?: QueueSort },
): Promise<{ items: ComplaintSummaryRow[]; nextCursor: string | null; byWords: boolean }> {
  const newest = page.sort === 'newest';
  const cursor = page.cursor ? decodeCursor(page.cursor) : undefined;
  const where: SQL[] = [];
  if (filters.statuses?.length) where.push(sql`c.status in (${sql.join(filters.statuses.map((s) => sql`${s}`), sql`, `)})`);
  if (filters.assigneeId === 'none') where.push(sql`c.assignee_id is null`);
  else if (filters.assigneeId) where.push(sql`c.assignee_id = ${filters.assigneeId}`);
  if (filters.teamId) where.push(sql`c.team_id = ${filters.teamId}`);
  // Filters no queue index starts with: a walk along the queue checks them on each complaint it reads.
  const unindexed: SQL[] = [];
  if (filters.channel) unindexed.push(sql`c.channel = ${filters.channel}`);
  if (filters.categoryId) unindexed.push(sql`c.category_id = ${filters.categoryId}`);
  if (filters.priority) unindexed.push(sql`c.priority = ${filters.priority}`);
  if (filters.customerId) where.push(sql`c.customer_id = ${filters.customerId}`);
  // Few complaints per member: found from the follows, then put in queue order.
  if (filters.followedBy) where.push(sql`c.id in (select f.complaint_id from complaint_followers f where f.staff_id = ${filters.followedBy})`);
  if (filters.dueBefore) where.push(sql`c.sort_due < ${filters.dueBefore.toISOString()}`);
  if (filters.overdue === true) where.push(sql`c.sort_due < now()`);
  if (filters.overdue === false) where.push(sql`c.sort_due >= now()`);
  if (cursor) {
    const c = cursor;
    where.push(
      newest
        ? sql`(c.received_at, c.id) < (${c.d}::timestamptz, ${c.id}::uuid)`
        : sql`(c.sort_due, c.id) > (${c.d}::timestamptz, ${c.id}::uuid)`,
    );
  }
  const all = [...where, ...unindexed];
  const order = newest ? sql`order by c.received_at desc, c.id desc` : sql`order by c.sort_due, c.id`;
  const limit = page.limit + 1;
  // The page is chosen from complaints alone, narrow (ids in queue order), and only its rows are read
  // whole and joined with the names: a search matching thousands of complaints used to sort them all
  // with their descriptions (on disk at 1 M) and look up a customer, team and category for each.
  const fetchPage = (ids: SQL) => run(database, sql`${SUMMARY_COLUMNS} from (${ids}) p join complaints c on c.id = p.id ${order}`);
  /** The page of complaints a search (or none) finds, by the fastest of its ways. */
  const pageOf = async (search: SearchConditions | null): Promise<Record<string, unknown>[]> => {
    let rows: Record<string, unknown>[] | null = null;
    if (search?.walkCondition) {
      // A common word is found soonest by walking the queue in its order and reading the text of each
      // complaint, stopping at the page's last match ("dong ho", in 3 % of complaints: 15 ms at 1 M,
      // where the trigram index hands over 100,000 candidates to read, and sorts them: 850 ms). A rare
      // word would make the walk read the whole table; the trigram index serves it well. So a short walk
      // first (SEARCH_PROBE complaints deep) tells which: the page filled, done; some matches, walk as
      // deep as their share says the page needs (at most SEARCH_WALK_MAX); none, or too few, the index.
      // The depth counts complaints read, so a rare channel, category or priority cannot make it longer.
      const walkCondition = search.walkCondition;
      const walk = (depth: number) => fetchPage(walkIds(walkCondition, where, unindexed, newest, depth, limit));
      const probe = await walk(SEARCH_PROBE);
      // A name some customers have: their page comes from the customers' queue index at once, so a deeper walk (up to
      // 20,000 complaints, ~100 ms at 1 M) costs more than the index path (measured: "le thang" 97 + 11 ms → 11 ms).
      const byCustomerIndex = (search.branches?.length ?? 0) > 1;
      if (probe.length === limit) rows = probe;
      else if (probe.length > 0 && !byCustomerIndex) {
        const depth = Math.ceil(((limit * SEARCH_PROBE) / probe.length) * 1.5);
        if (depth <= SEARCH_WALK_MAX) {
          const deeper = await walk(depth);
          if (deeper.length === limit) rows = deeper;
        }
      }
    }
    return rows ?? (await fetchPage(indexPathIds(search, all, newest, limit)));
  };
  // A text search matches its phrase; when nothing does (on its first page), its words in any order,
  // and its next pages say so in their cursor.
  let searchMode: SearchMode | undefined = cursor?.m === 'w' ? 'words' : filters.q ? 'phrase' : undefined;
  const q = filters.q;
  let rows = await pageOf(q ? await searchConditions(database, q, searchMode) : null);
  if (q && searchMode === 'phrase' && !cursor && rows.length === 0) {
    const byWords = await searchConditions(database, q, 'words');
    if (byWords) {
      searchMode = 'words';
      rows = await pageOf(byWords);
    }
  }
  const items = rows.slice(0, page.limit).map(toSummaryRow);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > page.limit && last
      ? encodeCursor({
          d: newest ? last.receivedAt.toISOString() : last.sortDue,
          id: last.id,
          ...(searchMode === 'words' ? { m: 'w' as const } : {}),
        })
      : null;
  return { items, nextCursor, byWords: searchMode === 'words' };
}

/** Parses the `status` filter (a comma list); unknown statuses are a field error. */
export function parseStatuses(raw: string | undefined): Status[] | undefined {
  if (!raw) return undefined;
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (!list.every(isStatus)) throw new AppError('validation_failed', { fields: [{ field: 'status', code: 'invalid_value' }] });
  return list as Status[];
}

export async function findComplaint(database: Database, code: string): Promise<ComplaintRow | null> {
  const rows = await run(database, sql`${SELECT} where c.code = ${normalizeComplaintCode(code)}`);
  return rows[0] ? toRow(rows[0]) : null;
}

export async function findComplaintById(database: Database, id: string): Promise<ComplaintRow | null> {
  const rows = await run(database, sql`${SELECT} where c.id = ${id}`);
  return rows[0] ? toRow(rows[0]) : null;
}

/** The complaint only if `contact` is its customer's phone or email — so a stranger learns nothing. */
export async function findComplaintForContact(database: Database, code: string, contact: string): Promise<ComplaintRow | null> {
  const parsed = parseComplaintCode(code);
  if (!parsed) return null;
  const email = contact.includes('@') ? normalizeEmail(contact) : null;
  const phone = email ? null : normalizePhone(contact);
  if (!email && !phone) return null;
  const match = email ? sql`cu.email = ${email}` : sql`cu.phone_e164 = ${phone}`;
  const rows = await run(database, sql`${SELECT} where c.code = ${parsed.code} and ${match}`);
  return rows[0] ? toRow(rows[0]) : null;
}

export async function listEvents(database: Database, complaintId: string): Promise<EventRow[]> {
  const rows = await run(
    database,
    sql`select e.id, e.seq, e.type, e.actor_type, e.actor_id, e.channel, e.payload, e.created_at,
               case when e.actor_type = 'customer' then cu.name else s.name end as actor_name
        from timeline_events e
        left join staff_users s on e.actor_type in ('agent','supervisor','admin','auditor','department') and s.id::text = e.actor_id
        left join complaints c on c.id = e.complaint_id
        left join customers cu on e.actor_type = 'customer' and cu.id = c.customer_id
        where e.complaint_id = ${complaintId} order by e.seq`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    seq: r.seq as number,
    type: r.type as string,
    actorType: r.actor_type as string,
    actorId: r.actor_id as string | null,
    actorName: r.actor_name as string | null,
    channel: r.channel as string,
    payload: r.payload as Record<string, unknown>,
    createdAt: new Date(r.created_at as string),
  }));
}

export interface OutboundRow {
  /** An email, or an SMS (its text in `subject`). */
  kind: 'email' | 'sms';
  id: string;
  to: string;
  subject: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** Another complaint of the same customer, as the complaint page lists it. */
export interface SiblingComplaint {
  code: string;
  subject: string;
  status: Status;
  receivedAt: string;
}

/** How many of the customer's other complaints the complaint page lists (the customer's record has them all). */
const SIBLINGS_SHOWN = 5;

/**
 * The customer's other complaints (not `exceptId`): those still being handled first, then the newest; at most
 * SIBLINGS_SHOWN, with how many there are in all.
 */
export async function otherComplaintsOf(database: Database, customerId: string, exceptId: string): Promise<{ items: SiblingComplaint[]; total: number }> {
  const r = await database.db.execute<{ code: string; subject: string; status: Status; received_at: string; total: number }>(sql`
    select code, subject, status, received_at, count(*) over ()::int as total from complaints
    where customer_id = ${customerId} and id <> ${exceptId}
    order by status = any(${`{${TERMINAL_STATUSES.join(',')}}`}::text[]), received_at desc limit ${SIBLINGS_SHOWN}`);
  return {
    items: r.rows.map((x) => ({ code: x.code, subject: x.subject, status: x.status, receivedAt: new Date(x.received_at).toISOString() })),
    total: r.rows[0]?.total ?? 0,
  };
}

/** The emails Sen sent (or is sending) about a complaint, with their delivery state. */
export async function listOutbound(database: Database, complaintId: string): Promise<OutboundRow[]> {
  const rows = await run(
    database,
    sql`select 'email' as kind, id, to_address, subject, status, attempts, last_error, created_at, sent_at from outbound_messages
        where complaint_id = ${complaintId}
        union all
        select 'sms', id, to_phone, text, status, attempts, last_error, created_at, sent_at from sms_messages
        where complaint_id = ${complaintId}
        order by created_at`,
  );
  return rows.map((r) => ({
    kind: r.kind === 'sms' ? ('sms' as const) : ('email' as const),
    id: r.id as string,
    to: r.to_address as string,
    subject: r.subject as string,
    status: r.status as string,
    attempts: Number(r.attempts),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
    sentAt: r.sent_at ? new Date(r.sent_at as string) : null,
  }));
}
