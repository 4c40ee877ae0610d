import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAudit } from '../src/commands/verify-audit';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, seedComplaint, staffWithToken } from './factories';

type Page = {
  customer: { id: string; name: string; phone: string | null; email: string | null; complaints: number; mergedInto: string | null };
  complaints: { code: string }[];
  merged?: { fromId: string; moved: number };
};

/**
 * Gộp hồ sơ khách hàng — one person recorded twice (a hotline call by phone, a later email) becomes one record: the other
 * record's complaints move here with an event each, this one takes the contact it lacked, the search and the caller lookup
 * follow, and the other record says where it went. Refused, changing nothing, when the records disagree on a contact, are the
 * same, erased or already merged. Supervisors and admins.
 */
describeEachDatabase('merging duplicate customer records', (db) => {
  let app: FastifyInstance;
  let lead: Awaited<ReturnType<typeof staffWithToken>>;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    [lead, agent] = await Promise.all([staffWithToken(db(), 'supervisor'), staffWithToken(db(), 'agent')]);
  });
  afterAll(async () => app?.close());

  const customerOf = async (code: string) =>
    (await db().db.execute<{ customer_id: string }>(sql`select customer_id from complaints where code = ${code}`)).rows[0].customer_id;
  const merge = (who: typeof lead, intoId: string, payload: object, lang = 'vi') =>
    app.inject({ method: 'POST', url: `/api/v1/customers/${intoId}/merge`, payload, headers: { ...who.headers, 'accept-language': lang } });

  it('moves the other record’s complaints here, takes its email, and the search, the lookup and the other record follow', async () => {
    const phone = randomPhone();
    const email = `bich.${Date.now()}@khach.vn`;
    const byPhone = await seedComplaint(db(), { channel: 'hotline', input: { subject: 'Bình nóng lạnh rò điện', customer: { name: 'Trương Thị Bích', phone } } });
    const byMail = await seedComplaint(db(), { channel: 'email', input: { subject: 'Chưa ai gọi lại cho tôi', customer: { name: 'Bich Truong', email } } });
    const into = await customerOf(byPhone.code);
    const other = await customerOf(byMail.code);
    expect(into).not.toBe(other);

    const r = await merge(lead, into, { from: byMail.code.toLowerCase(), reason: 'Khách xác nhận qua điện thoại là cùng một người' });
    expect(r.statusCode, r.body).toBe(200);
    const page = r.json() as Page;
    expect(page.merged).toEqual({ fromId: other, moved: 1 });
    expect(page.customer).toMatchObject({ id: into, name: 'Trương Thị Bích', email, complaints: 2, mergedInto: null });
    expect(page.complaints.map((c) => c.code).sort()).toEqual([byPhone.code, byMail.code].sort());
    // Each complaint of the person says so in its timeline; the chains stay whole.
    for (const code of [byPhone.code, byMail.code]) {
      const d = (await app.inject({ url: `/api/v1/complaints/${code}`, headers: lead.headers })).json() as { customer: { id: string }; timeline: { type: string; payload: Record<string, unknown> }[] };
      expect(d.customer.id).toBe(into);
      expect(d.timeline.at(-1)).toMatchObject({ type: 'customer.merged', payload: { into, from: other, fromName: 'Bich Truong', moved: code === byMail.code } });
    }
    const audit = await verifyAudit(db());
    expect(audit.problems.filter((p) => JSON.stringify(p).includes(byPhone.code) || JSON.stringify(p).includes(byMail.code))).toEqual([]);
    // The email finds the complaint filed by phone, and the lookup by email finds this record.
    const found = (await app.inject({ url: `/api/v1/complaints?q=${encodeURIComponent(email)}`, headers: lead.headers })).json() as { items: { code: string }[] };
    expect(found.items.map((c) => c.code).sort()).toEqual([byPhone.code, byMail.code].sort());
    const lookup = await app.inject({ url: `/api/v1/customers/lookup?email=${encodeURIComponent(email)}`, headers: agent.headers });
    expect(JSON.stringify(lookup.json())).toContain(into);
    // The other record keeps no contact and says where it went; it cannot be merged again.
    const gone = (await app.inject({ url: `/api/v1/customers/${other}`, headers: lead.headers })).json() as Page;
    expect(gone.customer).toMatchObject({ phone: null, email: null, complaints: 0, mergedInto: into });
    const again = await merge(lead, into, { from: other });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('customer_merged');
  });

  it('erasing the customer erases the records merged into it too (they kept a name)', async () => {
    const admin = await staffWithToken(db(), 'admin');
    const a = await seedComplaint(db(), { input: { customer: { name: 'Người Cần Xoá', phone: randomPhone() } } });
    const b = await seedComplaint(db(), { input: { customer: { name: 'Nguoi Can Xoa', email: `xoa.${Date.now()}@khach.vn` } } });
    const [ia, ib] = [await customerOf(a.code), await customerOf(b.code)];
    expect((await merge(lead, ia, { from: b.code })).statusCode).toBe(200);
    for (const c of [a, b]) {
      await app.inject({ method: 'POST', url: `/api/v1/complaints/${c.code}/transitions`, payload: { to: 'withdrawn', reason: 'Khách rút' }, headers: admin.headers });
    }
    const erased = await app.inject({ method: 'POST', url: `/api/v1/customers/${ia}/anonymise`, payload: { reason: 'request' }, headers: admin.headers });
    expect(erased.statusCode, erased.body).toBe(200);
    const shell = (await db().db.execute<{ name: string; anonymised_at: unknown }>(sql`select name, anonymised_at from customers where id = ${ib}`)).rows[0];
    expect(shell.name).not.toContain('Xoa');
    expect(shell.anonymised_at).not.toBeNull();
  });

  it('refuses, changing nothing, two records with different phones, the same record, one not found, and anyone but a supervisor or admin', async () => {
    const a = await seedComplaint(db(), { input: { customer: { name: 'Khách A', phone: randomPhone() } } });
    const b = await seedComplaint(db(), { input: { customer: { name: 'Khách B', phone: randomPhone() } } });
    const [ia, ib] = [await customerOf(a.code), await customerOf(b.code)];
    const conflict = await merge(lead, ia, { from: b.code }, 'en');
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error).toMatchObject({ code: 'contacts_conflict', fields: [{ field: 'phone', code: 'contacts_conflict' }] });
    expect(await customerOf(b.code)).toBe(ib);
    const same = await merge(lead, ia, { from: a.code });
    expect(same.statusCode).toBe(422);
    expect(same.json().error.fields).toMatchObject([{ field: 'from', code: 'same_customer' }]);
    const none = await merge(lead, ia, { from: 'khong-ai@khach.vn' });
    expect(none.json().error.fields).toMatchObject([{ field: 'from', code: 'not_found' }]);
    expect((await merge(agent, ia, { from: b.code })).statusCode).toBe(403);
    expect((await merge(lead, ia, { from: b.code, extra: 1 })).statusCode).toBe(422);
    expect((await db().db.execute<{ n: number }>(sql`select count(*)::int as n from complaints where customer_id = ${ia}`)).rows[0].n).toBe(1);
  });

  it('finds the other record by its phone in any usual form, and two merges of the same pair at once make one', async () => {
    const phone = randomPhone();
    const x = await seedComplaint(db(), { input: { customer: { name: 'Khách Một Người', email: `mot.${Date.now()}@khach.vn` } } });
    const y = await seedComplaint(db(), { input: { customer: { name: 'Khách Một Người', phone } } });
    const [ix, iy] = [await customerOf(x.code), await customerOf(y.code)];
    const spaced = `+84 ${phone.slice(1).replace(/^(\d{2})(\d{3})(\d{4})$/, '$1 $2 $3')}`;
    const both = await Promise.all([merge(lead, ix, { from: spaced }), merge(lead, iy, { from: ix })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const kept = both[0].statusCode === 200 ? ix : iy;
    const counts = await db().db.execute<{ customer_id: string }>(sql`select customer_id from complaints where code = any(${`{${x.code},${y.code}}`}::text[])`);
    expect(new Set(counts.rows.map((r) => r.customer_id))).toEqual(new Set([kept]));
  });
});
