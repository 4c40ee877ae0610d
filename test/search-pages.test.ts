import { expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { listComplaints, SEARCH_PROBE, type ComplaintFilters, type QueueSort } from '../src/db/queries/complaints';
import { foldText } from '../src/domain/search-text';
import { seedComplaint } from './factories';

/**
 * A text search first walks the queue in its order and stops at the page's last match, and asks the
 * trigram index only when the walk did not fill the page (listComplaints). Both ways must give the same
 * pages: here every page of several searches is checked against the answer worked out from the rows.
 */
describeEachDatabase('search pages, common and rare words', (db) => {
  it('gives every match once, in queue order, across pages, whether the walk or the index finds them', async () => {
    const first = await seedComplaint(db());
    const { rows: [cu] } = await db().pool.query<{ customer_id: string }>('select customer_id from complaints where id = $1', [first.id]);
    // Customers: one named "Phạm Thị Hồng Nhung" with a few complaints deep in the queue.
    const { rows: [nhung] } = await db().pool.query<{ id: string }>(
      `insert into customers (name, search_name, phone_e164) values ('Phạm Thị Hồng Nhung', 'pham thi hong nhung', '+84987000111') returning id`,
    );
    const total = SEARCH_PROBE * 8;
    // "Đồng hồ" in every 7th complaint (the first walk fills a page of 10); "bảo hành" in every 97th (a deeper
    // walk fills it); "tủ lạnh" in five, four of them past the first walk (the index must find them);
    // Nhung's complaints at the very end of the queue.
    // "Hồng Nhung" also in the text of twelve complaints past the first walk, and of one of Nhung's own.
    const namedInText = new Set(
      [...Array.from({ length: 40 }, (_, i) => 1001 + i * 100).filter((g) => g % 7 !== 0 && g % 97 !== 0).slice(0, 12), total - 1],
    );
    const subjectOf = (g: number) =>
      namedInText.has(g) ? 'Chị Hồng Nhung nhờ gọi lại'
      : g % 7 === 0 ? 'Đồng hồ chạy sai'
      : [40, 3100, 3600, 4000, 4400].includes(g) ? 'Tủ lạnh không lạnh'
      : g % 97 === 0 ? 'Bảo hành chậm'
      : 'Giao hàng chậm';
    const gs = Array.from({ length: total }, (_, i) => i + 1);
    await db().pool.query(
      `insert into complaints (code, status, channel, subject, description, customer_id, received_at, acknowledgement_due_at,
         resolution_due_at, sort_due, search_text, priority)
       select 'KN-2001-' || lpad(g::text, 6, '0'),
         case when g % 3 = 0 then 'investigating' else 'received' end, case when g % 11 = 0 then 'email' else 'web' end, subject, 'mô tả',
         case when g > $2 - 3 then $3::uuid else $1::uuid end,
         now() - (g || ' minutes')::interval, now(), now(), now() + (g || ' minutes')::interval,
         'kn-2001-' || lpad(g::text, 6, '0') || ' ' || folded, case when g % 5 = 0 then 'high' else 'normal' end
       from unnest($4::int[], $5::text[], $6::text[]) as v(g, subject, folded)`,
      [cu.customer_id, total, nhung.id, gs, gs.map(subjectOf), gs.map((g) => foldText(subjectOf(g)))],
    );
    await db().pool.query('analyze complaints');
    const all = (
      await db().pool.query<{ code: string; status: string; channel: string; priority: string; subject: string; customer_id: string; sort_due: Date; received_at: Date; id: string }>(
        `select code, status, channel, priority, subject, customer_id, sort_due, received_at, id from complaints`,
      )
    ).rows;
    const cmp = (a: string | Date, b: string | Date) => (a < b ? -1 : a > b ? 1 : 0);

    const check = async (filters: ComplaintFilters, sort: QueueSort, matches: (r: (typeof all)[number]) => boolean) => {
      const expected = all
        .filter(matches)
        .filter((r) => !filters.statuses || filters.statuses.includes(r.status as never))
        .filter((r) => (!filters.channel || r.channel === filters.channel) && (!filters.priority || r.priority === filters.priority))
        .sort((a, b) =>
          sort === 'newest'
            ? cmp(b.received_at.toISOString(), a.received_at.toISOString()) || cmp(b.id, a.id)
            : cmp(a.sort_due.toISOString(), b.sort_due.toISOString()) || cmp(a.id, b.id),
        )
        .map((r) => r.code);
      const got: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 200; pages += 1) {
        const page = await listComplaints(db(), filters, { cursor, limit: 10, sort });
        got.push(...page.items.map((i) => i.code));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(got, JSON.stringify(filters)).toEqual(expected);
      return expected.length;
    };
    const has = (word: string) => (r: (typeof all)[number]) => foldText(r.subject).includes(word);
    // Common: the walk fills every page but the last.
    expect(await check({ q: 'dong ho' }, 'due', has('dong ho'))).toBeGreaterThan(500);
    expect(await check({ q: 'Đồng hồ', statuses: ['investigating'] }, 'due', (r) => has('dong ho')(r))).toBeGreaterThan(100);
    expect(await check({ q: 'bao hanh' }, 'due', has('bao hanh'))).toBeGreaterThan(30);
    // With a channel or priority no queue index starts with: checked along the walk, or by the index.
    expect(await check({ q: 'dong ho', channel: 'email' }, 'due', has('dong ho'))).toBeGreaterThan(40);
    expect(await check({ q: 'bao hanh', priority: 'high', statuses: ['received'] }, 'newest', has('bao hanh'))).toBeGreaterThan(3);
    // Rare: one match within the first walk, four beyond it.
    expect(await check({ q: 'tu lanh' }, 'due', has('tu lanh'))).toBe(5);
    // By words, when no complaint holds the phrase: each word at the start of one of the text's, in any order.
    const hasWords = (...words: string[]) => (r: (typeof all)[number]) =>
      words.every((w) => new RegExp(`(^|[^a-z0-9])${w}`).test(foldText(r.subject)));
    expect(await check({ q: 'sai dong' }, 'due', hasWords('sai', 'dong'))).toBeGreaterThan(500);
    expect(await check({ q: 'lanh tu', statuses: ['received'] }, 'newest', hasWords('lanh', 'tu'))).toBe(4);
    expect(await check({ q: 'lanh tu' }, 'due', hasWords('lanh', 'tu'))).toBe(5);
    // Not in the middle of a word: "ong" is in "dong", at the start of none.
    expect(await check({ q: 'sai ong' }, 'due', () => false)).toBe(0);
    expect(await check({ q: 'tủ lạnh' }, 'newest', has('tu lanh'))).toBe(5);
    // A customer's name: complaints at the end of the queue.
    expect(await check({ q: 'pham thi hong' }, 'due', (r) => r.customer_id === nhung.id)).toBe(3);
    // A name also in complaints' text: both found by the index, merged in order, a complaint having both once.
    for (const sort of ['due', 'newest'] as const) {
      expect(await check({ q: 'hong nhung' }, sort, (r) => r.customer_id === nhung.id || has('hong nhung')(r))).toBe(15);
    }
    expect(await check({ q: 'hong nhung', statuses: ['received'] }, 'due', (r) => r.customer_id === nhung.id || has('hong nhung')(r))).toBeGreaterThan(5);
    // Nothing.
    expect(await check({ q: 'may giat' }, 'due', () => false)).toBe(0);

    // A common word's first page is found by the first walk; a less common one's by a deeper walk; a rare
    // word's by the index, after the walks (one match in the first) or straight after the first (none).
    const statements = async (q: string) => {
      let n = 0;
      const execute = db().db.execute.bind(db().db);
      const counting = { ...db(), db: { execute: (query: never) => ((n += 1), execute(query)) } } as never;
      await listComplaints(counting, { q }, { limit: 10 });
      return n;
    };
    // Each after one look-up of the customers the words may name.
    expect(await statements('dong ho')).toBe(1 + 1);
    expect(await statements('bao hanh')).toBe(1 + 2);
    expect(await statements('tu lanh')).toBe(1 + 3);
    // Nowhere as a phrase: then by its words, walk and index again.
    expect(await statements('may giat')).toBe(1 + 2 + 2);
    // One word has nothing else to look for.
    expect(await statements('maygiat')).toBe(1 + 2);
  });

  it('a name more than two thousand customers share: every complaint of theirs, in order, also on the pages the walk cannot fill', async () => {
    // 4,000 customers "Trần Văn Chung n", each with one complaint, among 2,000 of someone else.
    const { rows: [other] } = await db().pool.query<{ id: string }>(
      `insert into customers (name, search_name, phone_e164) values ('Đỗ Văn Khác', 'do van khac', '+84987000222') returning id`,
    );
    await db().pool.query(
      `insert into customers (name, search_name) select 'Trần Văn Chung ' || g, 'tran van chung ' || g from generate_series(1, 4000) g`,
    );
    await db().pool.query(
      `with chung as (select id, row_number() over (order by id) as n from customers where search_name like 'tran van chung %')
       insert into complaints (code, status, channel, subject, description, customer_id, received_at, acknowledgement_due_at,
         resolution_due_at, sort_due, search_text)
       select 'KN-2002-' || lpad(g::text, 6, '0'), case when g % 7 = 0 then 'investigating' else 'received' end,
         case when g % 101 = 0 then 'office' else 'web' end, 'Giao hàng chậm', 'mô tả',
         coalesce((select id from chung where n = g / 3 * 2 + g % 3), $1::uuid),
         now(), now(), now(), now() + (g || ' seconds')::interval, 'kn-2002-' || lpad(g::text, 6, '0') || ' giao hang cham'
       from generate_series(1, 6000) g`,
      [other.id],
    );
    await db().pool.query('analyze customers; analyze complaints');
    const pages = async (filters: ComplaintFilters) => {
      const got: string[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 100; n += 1) {
        const page = await listComplaints(db(), filters, { cursor, limit: 100 });
        got.push(...page.items.map((i) => i.code));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return got;
    };
    const expected = async (where: string) =>
      (
        await db().pool.query<{ code: string }>(
          `select c.code from complaints c join customers cu on cu.id = c.customer_id
           where (' ' || cu.search_name) like '% chung%' ${where} order by c.sort_due, c.id`,
        )
      ).rows.map((r) => r.code);
    const all = await expected('');
    expect(all.length).toBeGreaterThan(3000);
    // Every page, the last one (where the walk reaches the end of the queue) included.
    expect(await pages({ q: 'chung' })).toEqual(all);
    // A channel few of them came by: the walk cannot fill a page, every customer named so is asked.
    const office = await expected(`and c.channel = 'office'`);
    expect(office.length).toBeGreaterThan(20);
    expect(await pages({ q: 'Chung', channel: 'office' })).toEqual(office);
    expect(await pages({ q: 'van chung', statuses: ['investigating'] })).toEqual(await expected(`and c.status = 'investigating'`));

    // Once found common, a name is not looked up among the customers again (for ten minutes): one statement fewer.
    let statements = 0;
    const execute = db().db.execute.bind(db().db);
    const counting = { ...db(), db: { execute: (query: never) => ((statements += 1), execute(query)) } } as never;
    const first = await listComplaints(counting, { q: 'tran chung' }, { limit: 100 });
    const firstStatements = statements;
    statements = 0;
    const again = await listComplaints(counting, { q: 'tran chung' }, { limit: 100 });
    expect(statements).toBe(firstStatements - 1);
    expect(again.items.map((i) => i.code)).toEqual(first.items.map((i) => i.code));
    expect(first.items.map((i) => i.code)).toEqual(all.slice(0, 100));
    // A rare name is looked up every time (its customers may change).
    statements = 0;
    await listComplaints(counting, { q: 'do van khac' }, { limit: 100 });
    const rare = statements;
    statements = 0;
    await listComplaints(counting, { q: 'do van khac' }, { limit: 100 });
    expect(statements).toBe(rare);
  });
});
