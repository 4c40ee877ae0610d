import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { describeEachDatabase } from './db';
import { searchCondition } from '../src/db/queries/complaints';
import { seedComplaint } from './factories';

describeEachDatabase('search uses indexes', (db) => {
  it('plans searches and the queue page without a sequential scan of complaints', async () => {
    await seedComplaint(db());
    // Enough rows, spread over many customers, that the planner prefers the indexes it would use at a million.
    await db().pool.query(`
      insert into customers (name, search_name, phone_e164, email)
      select 'Khách ' || g, 'khach ' || g, '+8490' || lpad(g::text, 7, '0'), 'khach' || g || '@example.com' from generate_series(1, 4000) g`);
    await db().pool.query('analyze customers');
    await db().pool.query(`
      with cs as (select id, row_number() over (order by id) as n from customers)
      insert into complaints (code, status, channel, subject, description, customer_id, received_at, acknowledgement_due_at,
        resolution_due_at, sort_due, search_text)
      select 'KN-2001-' || lpad(g::text, 6, '0'), 'received', 'web', 'Khiếu nại số ' || g, 'mô tả', cs.id, now(), now(), now(),
        now() + (g || ' minutes')::interval,
        -- As complaintSearchText writes it: ends with the customer's name and the order key.
        'kn-2001-' || lpad(g::text, 6, '0') || ' khieu nai so ' || g || ' ' || md5(g::text) || E' \u0001 khach ' || (1 + g % 4000) || E' \u0001 dh' || g
      from generate_series(1, 20000) g join cs on cs.n = 1 + g % 4000`);
    // VACUUM flushes the GIN pending list, as autovacuum does in production.
    await db().pool.query('vacuum analyze complaints');
    const planOf = async (q: string, filter = sql`true`) => {
      const plan = await db().db.execute<{ 'QUERY PLAN': string }>(
        sql`explain select c.id from complaints c where ${filter} and ${searchCondition(q)!} order by c.sort_due, c.id limit 50`,
      );
      return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    // Words (whole, or by their start), two-letter ones too, through the index of words; words with digits
    // and order numbers written otherwise through the trigram index.
    for (const q of ['dong ho bi nut', 'Lê', 'khach 17']) {
      const text = await planOf(q);
      expect(text, `${q}\n${text}`).toContain('complaints_search_words_idx');
      expect(text, `${q}\n${text}`).not.toMatch(/Seq Scan on (complaints|customers)/);
    }
    for (const q of ['12345', 'dh 12345', 'DH-12345']) {
      const text = await planOf(q);
      expect(text, `${q}\n${text}`).toContain('complaints_search_idx');
      expect(text, `${q}\n${text}`).not.toMatch(/Seq Scan on complaints/);
    }
    // A channel (which no queue index starts with) is looked up in the index with the words,
    // not checked afterwards on every row having them.
    const channelPlan = await planOf('dong ho bi nut', sql`c.channel = 'web'`);
    expect(channelPlan, channelPlan).toMatch(/Index Cond: \(\(channel = 'web'::text\) AND \(array_to_tsvector\(sen_words\(search_text/);
    const digitsWithChannel = await planOf('12345', sql`c.channel = 'web'`);
    expect(digitsWithChannel, digitsWithChannel).toMatch(/Index Cond: \(\(channel = 'web'::text\) AND \(replace\(search_text/);
    for (const q of ['0912 345 678', 'Huong.Nguyen@Example.com', 'KN-2001-000123']) {
      const t = await planOf(q);
      expect(t, `${q}\n${t}`).not.toMatch(/Seq Scan on complaints/);
    }
    const queue = await db().db.execute<{ 'QUERY PLAN': string }>(
      sql`explain select c.id from complaints c where c.status in ('received','acknowledged') order by c.sort_due, c.id limit 50`,
    );
    expect(queue.rows.map((r) => r['QUERY PLAN']).join('\n')).not.toMatch(/Seq Scan on complaints/);
  });
});
