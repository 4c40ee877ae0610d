import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { describeEachDatabase } from './db';
import { searchCondition } from '../src/db/queries/complaints';
import { seedComplaint } from './factories';

describeEachDatabase('search uses indexes', (db) => {
  it('plans a diacritic-free search and the queue page without a sequential scan of complaints', async () => {
    const { id } = await seedComplaint(db());
    // Enough rows that the planner prefers the indexes it would use at a million.
    await db().pool.query(`
      insert into complaints (code, status, channel, subject, description, customer_id, received_at, acknowledgement_due_at,
        resolution_due_at, sort_due, search_text)
      select 'KN-2001-' || lpad(g::text, 6, '0'), 'received', 'web', 'Khiếu nại số ' || g, 'mô tả', c.customer_id, now(), now(), now(),
        now() + (g || ' minutes')::interval, 'kn-2001-' || lpad(g::text, 6, '0') || ' khieu nai so ' || g || ' ' || md5(g::text)
      from generate_series(1, 20000) g, (select customer_id from complaints where id = '${id}') c`);
    // VACUUM flushes the GIN pending list, as autovacuum does in production.
    await db().pool.query('vacuum analyze complaints');
    const where = searchCondition('dong ho bi nut')!;
    const plan = await db().db.execute<{ 'QUERY PLAN': string }>(
      sql`explain select c.id from complaints c where ${where} order by c.sort_due, c.id limit 50`,
    );
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text, text).toContain('complaints_search_idx');
    expect(text).not.toMatch(/Seq Scan on complaints/);
    const queue = await db().db.execute<{ 'QUERY PLAN': string }>(
      sql`explain select c.id from complaints c where c.status in ('received','acknowledged') order by c.sort_due, c.id limit 50`,
    );
    expect(queue.rows.map((r) => r['QUERY PLAN']).join('\n')).not.toMatch(/Seq Scan on complaints/);
  });
});
