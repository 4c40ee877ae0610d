import { expect, it } from 'vitest';
import { describeEachDatabase, openTestDatabase } from './db';
import { buildIntake, randomPhone, seedComplaint } from './factories';
import { CLAIM_SQL, FIND_CUSTOMERS_SQL, WRITE_SQL, createComplaint } from '../src/commands/create-complaint';

describeEachDatabase('intake statements', (db, kind) => {
  if (kind === 'postgres') {
    // Planning the batch's two statements anew for every batch cost PostgreSQL more than writing the rows.
    it('plans each batch statement once per connection, not for every batch', async () => {
      const database = await openTestDatabase('postgres');
      try {
        for (let i = 0; i < 12; i += 1) await seedComplaint(database);
        // The intake's two connections (db/open.ts), both held at once so that each is asked.
        const clients = [await database.intakePool!.connect(), await database.intakePool!.connect()];
        const uses = new Map<string, { generic: number; custom: number }>();
        for (const client of clients) {
          const r = await client.query<{ name: string; generic_plans: string; custom_plans: string }>(
            `select name, generic_plans, custom_plans from pg_prepared_statements where name like 'sen_intake_%'`,
          );
          for (const x of r.rows) {
            const u = uses.get(x.name) ?? { generic: 0, custom: 0 };
            uses.set(x.name, { generic: u.generic + Number(x.generic_plans), custom: u.custom + Number(x.custom_plans) });
          }
          client.release();
        }
        // Every batch claims and writes; all but the first (which learns the year's counter) read their customers first.
        expect(Object.fromEntries([...uses].sort())).toEqual({
          sen_intake_claim: { generic: 12, custom: 0 },
          sen_intake_customers: { generic: 11, custom: 0 },
          sen_intake_write: { generic: 12, custom: 0 },
        });
      } finally {
        await database.close();
      }
    });

    // The plans are made once per connection, on a new install while the tables are still empty: reading a
    // whole table then looks cheapest, and stayed the plan as the tables grew (a customers' table read per batch).
    it('makes its plans on a new install, with empty tables, look customers, keys and counters up by key', async () => {
      const database = await openTestDatabase('postgres');
      const client = await database.intakePool!.connect();
      try {
        const plan = async (name: string, text: string) => {
          await client.query(`prepare ${name} as ${text}`);
          const params = Math.max(...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
          const r = await client.query<{ 'QUERY PLAN': string }>(`explain execute ${name}(${Array.from({ length: params }, () => 'null').join(', ')})`);
          return r.rows.map((x) => x['QUERY PLAN']).join('\n');
        };
        for (const [name, text] of [['fresh_customers', FIND_CUSTOMERS_SQL], ['fresh_claim', CLAIM_SQL], ['fresh_write', WRITE_SQL]]) {
          const p = await plan(name, text);
          expect(p, p).not.toMatch(/Seq Scan on (customers|complaint_sequences|idempotency_keys|complaints)\b/);
        }
      } finally {
        client.release();
        await database.close();
      }
    });
  }

  it('gives new complaints, customers and receipts ids that grow with time, so their indexes grow at one end', async () => {
    const made = [];
    for (let i = 0; i < 3; i += 1) {
      made.push(
        await createComplaint({
          database: db(),
          actor: { kind: 'customer', id: null, channel: 'web' },
          channel: 'web',
          input: buildIntake({ customer: { name: 'Mai Anh', phone: randomPhone(), email: `mai.${i}.${Date.now()}@example.com` } }) as never,
          requireConsent: true,
          receipt: { baseUrl: 'http://sen.test', companyName: 'Công ty A' },
        }),
      );
      await new Promise((r) => setTimeout(r, 3));
    }
    const codes = made.map((m) => m.code);
    const rows = await db().pool.query<{ complaint: string; customer: string; outbox: string; mail: string }>(
      `select c.id as complaint, c.customer_id as customer, o.id as outbox, m.id as mail
       from complaints c join outbound_messages o on o.complaint_id = c.id join mail_messages m on m.complaint_id = c.id and m.direction = 'out'
       where c.code = any($1) order by c.code`,
      [codes],
    );
    expect(rows.rows).toHaveLength(3);
    for (const column of ['complaint', 'customer', 'outbox', 'mail'] as const) {
      const ids = rows.rows.map((r) => r[column]);
      expect(ids, column).toEqual([...ids].sort());
      expect(ids.every((id) => id[14] === '7'), column).toBe(true);
    }
  });

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
      const explain = async (name: string, text: string) => {
        const params = Math.max(...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
        const args = Array.from({ length: params }, () => 'null').join(', ');
        const r = await client.query<{ 'QUERY PLAN': string }>(`explain execute ${name}(${args})`);
        return r.rows.map((x) => x['QUERY PLAN']).join('\n');
      };
      const claim = await explain('plan_claim', CLAIM_SQL);
      expect(claim, claim).not.toMatch(/Seq Scan on (customers|complaint_sequences|idempotency_keys)/);
      expect(claim, claim).toMatch(/customers_phone_key/);
      expect(claim, claim).toMatch(/customers_email_key/);
      const write = await explain('plan_write', WRITE_SQL);
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
