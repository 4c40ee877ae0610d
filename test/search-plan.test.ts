import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { describeEachDatabase } from './db';
import { customersNamed, indexPathIds, listComplaints, searchConditions, SEARCH_PROBE, walkIds } from '../src/db/queries/complaints';
import { createStaff, seedComplaint } from './factories';

describeEachDatabase('search uses indexes', (db) => {
  it('plans a diacritic-free search and the queue page without a sequential scan of complaints', async () => {
    await seedComplaint(db());
    // Enough rows, spread over many customers, that the planner prefers the indexes it would use at a million.
    await db().pool.query(`
      insert into customers (name, search_name, phone_e164, email)
      select 'Khách ' || g, 'khach ' || g, '+8490' || lpad(g::text, 7, '0'), 'khach' || g || '@example.com' from generate_series(1, 4000) g`);
    await db().pool.query('vacuum analyze customers');
    await db().pool.query(`
      with cs as (select id, row_number() over (order by id) as n from customers)
      insert into complaints (code, status, channel, subject, description, customer_id, received_at, acknowledgement_due_at,
        resolution_due_at, sort_due, search_text)
      select 'KN-2001-' || lpad(g::text, 6, '0'), 'received', 'web', 'Khiếu nại số ' || g, 'mô tả', cs.id, now(), now(), now(),
        now() + (g || ' minutes')::interval, 'kn-2001-' || lpad(g::text, 6, '0') || ' khieu nai so ' || g || ' ' || md5(g::text)
      from generate_series(1, 20000) g join cs on cs.n = 1 + g % 4000`);
    // VACUUM flushes the GIN pending list, as autovacuum does in production.
    await db().pool.query('vacuum analyze complaints');
    // "khach 1234": in no complaint's text, but the name of customer "Khách 1234".
    const where = (await searchConditions(db(), 'khach 1234'))!.condition;
    const plan = await db().db.execute<{ 'QUERY PLAN': string }>(
      sql`explain select c.id from complaints c where ${where} order by c.sort_due, c.id limit 50`,
    );
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text, text).toContain('complaints_search_idx');
    expect(text).not.toMatch(/Seq Scan on (complaints|customers)/);
    // Where the walk along the queue cannot fill the page: the phrase's page from the trigram index, and the page of the
    // customers the name fits read from their queue index alone (no table), merged.
    const indexPath = await db().db.execute<{ 'QUERY PLAN': string }>(
      sql`explain ${indexPathIds(await searchConditions(db(), 'khach 1234'), [], false, 51)}`,
    );
    const indexPlan = indexPath.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(indexPlan, indexPlan).toMatch(/Index Only Scan using complaints_customer_queue_idx/);
    expect(indexPlan, indexPlan).toContain('complaints_search_idx');
    expect(indexPlan).not.toMatch(/Seq Scan on (complaints|customers)/);
    // Those customers are found through the beginnings of their names' words, also by two letters.
    for (const q of ['khach 1234', 'le', 'nguyen long']) {
      const lookup = await db().db.execute<{ 'QUERY PLAN': string }>(
        sql`explain ${customersNamed(q)}`,
      );
      const lookupPlan = lookup.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(lookupPlan, lookupPlan).toContain('customers_name_prefixes_idx');
    }
    // A channel (which no queue index starts with) is looked up in the search index with the words, not checked
    // afterwards on every row having them: "hoang dung" (several words) by its word pairs; "khach 1234" (digits) by its
    // trigrams, in each of the forms an order number may take, one scan for "khach 1234" and "khach1234" (the same letters).
    const channelPlan = async (q: string) => {
      const p = await db().db.execute<{ 'QUERY PLAN': string }>(
        sql`explain select c.id from complaints c where c.channel = 'web' and ${(await searchConditions(db(), q))!.condition} order by c.sort_due, c.id limit 50`,
      );
      return p.rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    const byPairs = await channelPlan('hoang dung');
    expect(byPairs, byPairs).toMatch(/Index Cond: \(\(channel = 'web'::text\) AND \(sen_search_pairs\(search_text\) @>/);
    expect(byPairs, byPairs).not.toMatch(/Index Cond: .*replace\(search_text/);
    const byTrigrams = await channelPlan('khach 1234');
    expect(byTrigrams.match(/Index Cond: \(\(channel = 'web'::text\) AND \(replace\(search_text/g)?.length, byTrigrams).toBe(2);
    expect(byTrigrams, byTrigrams).not.toMatch(/sen_search_pairs/);
    // Where PostgreSQL walks the queue with the search as a filter instead (a common name, inside an "or"), each
    // complaint is checked for the phrase first: sen_search_pairs on every row read would cost ~60 µs each.
    const hoangDung = (await searchConditions(db(), 'hoang dung'))!.condition;
    const walked = await db().db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_bitmapscan = off`);
      const p = await tx.execute<{ 'QUERY PLAN': string }>(
        sql`explain select c.id from complaints c where ${hoangDung} or c.priority = 'x' order by c.sort_due, c.id limit 50`,
      );
      return p.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(walked, walked).toMatch(/Filter: \(\(\(search_text ~~ '%hoang dung%'::text\) AND .*sen_search_pairs/);
    for (const q of ['0912 345 678', 'Huong.Nguyen@Example.com', 'KN-2001-000123', 'DH12345', 'le', 'nguyen long']) {
      const p = await db().db.execute<{ 'QUERY PLAN': string }>(
        sql`explain select c.id from complaints c where ${(await searchConditions(db(), q))!.condition} order by c.sort_due, c.id limit 50`,
      );
      const t = p.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(t, `${q}\n${t}`).not.toMatch(/Seq Scan on (complaints|customers)/);
    }
    // By words (no complaint held the phrase): every word of three letters or more looked up in the one
    // trigram index at once, the word starts checked on what it gives.
    const words = await db().db.execute<{ 'QUERY PLAN': string }>(
      sql`explain select c.id from complaints c where ${(await searchConditions(db(), 'so khieu 1234', 'words'))!.condition} order by c.sort_due, c.id limit 50`,
    );
    const wordsPlan = words.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(wordsPlan, wordsPlan).toMatch(/Index Cond: \(\(replace\(search_text, ' '::text, ''::text\) ~~ '%khieu%'::text\) AND \(replace\(search_text, ' '::text, ''::text\) ~~ '%1234%'::text\)\)/);
    expect(wordsPlan).not.toMatch(/Seq Scan on complaints/);
    const queue = await db().db.execute<{ 'QUERY PLAN': string }>(
      sql`explain select c.id from complaints c where c.status in ('received','acknowledged') order by c.sort_due, c.id limit 50`,
    );
    expect(queue.rows.map((r) => r['QUERY PLAN']).join('\n')).not.toMatch(/Seq Scan on complaints/);

    // "Only complaints I follow": a member's follows found first, then those complaints, not the queue walked.
    const staff = await createStaff(db(), 'agent');
    const other = await createStaff(db(), 'agent');
    await db().pool.query(`insert into complaint_followers (complaint_id, staff_id) select id, $1 from complaints where code like 'KN-2001-%' order by code limit 2000`, [other.id]);
    await db().pool.query(`insert into complaint_followers (complaint_id, staff_id) select id, $1 from complaints where code like 'KN-2001-%' order by code desc limit 5`, [staff.id]);
    await db().pool.query('vacuum analyze complaint_followers');
    const following = await db().db.execute<{ 'QUERY PLAN': string }>(
      sql`explain select c.id from complaints c where c.status in ('received','acknowledged')
        and c.id in (select f.complaint_id from complaint_followers f where f.staff_id = ${staff.id}) order by c.sort_due, c.id limit 50`,
    );
    const followingPlan = following.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(followingPlan, followingPlan).toMatch(/Index (Only )?Scan using complaint_followers_(staff_idx|pkey|complaint_id_staff_id_pk)/);
    expect(followingPlan, followingPlan).not.toMatch(/Seq Scan on complaints/);
  });
  it('walks the queue for a common name by each complaint\'s customer, never hashing every customer so named', async () => {
    // 2,400 customers whose name has "Linh" (more than a list of customers holds: a common name), one complaint each,
    // behind 3,000 complaints of others in the queue.
    await db().pool.query(`
      insert into customers (name, search_name) select 'Nguyễn Thùy Linh ' || g, 'nguyen thuy linh ' || g from generate_series(1, 2400) g`);
    await db().pool.query(`
      insert into customers (name, search_name) select 'Trần Văn Nam ' || g, 'tran van nam ' || g from generate_series(1, 3000) g`);
    await db().pool.query('vacuum analyze customers');
    await db().pool.query(`
      with cs as (select id, search_name, row_number() over (order by search_name) as n from customers)
      insert into complaints (code, status, channel, subject, description, customer_id, received_at, acknowledgement_due_at,
        resolution_due_at, sort_due, search_text)
      select 'KN-2002-' || lpad(cs.n::text, 6, '0'), 'received', 'web', 'Khiếu nại', 'mô tả', cs.id, now(), now(), now(),
        now() + ((case when cs.search_name like 'tran%' then 0 else 100000 end + cs.n) || ' minutes')::interval,
        'kn-2002-' || lpad(cs.n::text, 6, '0') || ' khieu nai mo ta'
      from cs`);
    await db().pool.query('vacuum analyze complaints');
    const linh = (await searchConditions(db(), 'linh'))!;
    expect(linh.branches, 'a common name lists no customers').toBeUndefined();
    // Each complaint walked costs one look-up of its customer by key (~5 µs); hashing every customer the name fits costs a
    // read of all of them first (at 1 M, "linh" 10,000 customers or more: 20–40 ms), longer than the walk it serves.
    for (const depth of [SEARCH_PROBE, 3000]) {
      const p = await db().db.execute<{ 'QUERY PLAN': string }>(sql`explain ${walkIds(linh.walkCondition!, [], [], false, depth, 51)}`);
      const plan = p.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan, plan).not.toMatch(/hashed SubPlan|customers_name_prefixes_idx/);
      expect(plan, plan).toMatch(/Index Scan using customers_pkey on customers cu/);
    }
    // Where the walk cannot fill the page (a channel few complaints have, the queue's end), PostgreSQL may walk the queue
    // with those customers hashed: read through the name index, never the whole table.
    const walked = await db().db.execute<{ 'QUERY PLAN': string }>(sql`explain ${indexPathIds(linh, [], false, 51)}`);
    const walkedPlan = walked.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(walkedPlan, walkedPlan).not.toMatch(/Seq Scan on customers/);
    // And the page is the right one: the first 50 complaints of a "Linh" in queue order.
    const page = await listComplaints(db(), { q: 'linh' }, { limit: 50 });
    const expected = await db().pool.query(`select c.code from complaints c join customers cu on cu.id = c.customer_id
      where cu.name like '%Linh%' order by c.sort_due, c.id limit 50`);
    expect(page.items.map((c) => c.code)).toEqual(expected.rows.map((r) => r.code));
    expect(page.items.length).toBe(50);
  });
});
