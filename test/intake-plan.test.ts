import { expect, it } from 'vitest';
import { describeEachDatabase, openTestDatabase } from './db';
import { randomPhone, seedComplaint } from './factories';
import { CLAIM_SQL, WRITE_SQL } from '../src/commands/create-complaint';

describeEachDatabase('intake statements', (db, kind) => {
  if (kind === 'postgres') {
    // Planning the batch's two statements anew for every batch cost PostgreSQL more than writing the rows.
    it('plans each batch statement once per connection, not for every batch', async () => {
      const database = await openTestDatabase('postgres', { poolMax: 1 });
      try {
        for (let i = 0; i < 12; i += 1) await seedComplaint(database);
        const r = await database.pool.query<{ name: string; generic_plans: string; custom_plans: string }>(
          `select name, generic_plans, custom_plans from pg_prepared_statements where name like 'sen_intake_%' order by name`,
        );
        expect(r.rows.map((x) => ({ name: x.name, generic: Number(x.generic_plans), custom: Number(x.custom_plans) }))).toEqual([
          { name: 'sen_intake_claim', generic: 12, custom: 0 },
          { name: 'sen_intake_write', generic: 12, custom: 0 },
        ]);
      } finally {
        await database.close();
      }
    });
  }

  it('the plans made once still find customers and counters by their keys, however many there are', async () => {
    await seedComplaint(db());
    // Enough customers and categories that reading them all would be the planner's last choice at a million.
    await db().pool.query(`
      insert into customers (name, search_name, phone_e164, email)
      select 'Khách ' || g, 'khach ' || g, '+8491' || lpad(g::text, 7, '0'), 'kh' || g || '@example.com' from generate_series(1, 20000) g`);
    await db().pool.query('analyze customers');
    const client = await db().pool.connect();
    try {
      await client.query('set plan_cache_mode = force_generic_plan');
      await client.query(`prepare plan_claim as ${CLAIM_SQL}`);
      await client.query(`prepare plan_write as ${WRITE_SQL}`);
      const explain = async (name: string, params: number) => {
        const args = Array.from({ length: params }, () => 'null').join(', ');
        const r = await client.query<{ 'QUERY PLAN': string }>(`explain execute ${name}(${args})`);
        return r.rows.map((x) => x['QUERY PLAN']).join('\n');
      };
      const claim = await explain('plan_claim', 9);
      expect(claim, claim).not.toMatch(/Seq Scan on (customers|complaint_sequences|idempotency_keys)/);
      expect(claim, claim).toMatch(/customers_phone_key/);
      expect(claim, claim).toMatch(/customers_email_key/);
      const write = await explain('plan_write', 69);
      // A contact gained by a known customer is written by id; an erased one is recognised by id.
      expect(write, write).not.toMatch(/Seq Scan on customers/);
      expect(write, write).toMatch(/customers_pkey/);
    } finally {
      await client.query('deallocate plan_claim; deallocate plan_write').catch(() => undefined);
      await client.query('reset plan_cache_mode').catch(() => undefined);
      client.release();
    }
    // The intake still works on the same connection after the statements above went.
    expect((await seedComplaint(db(), { input: { customer: { name: 'Lý Văn Tâm', phone: randomPhone() } } })).code).toMatch(/^KN-/);
  });
});
