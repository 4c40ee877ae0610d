import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone, staffWithToken } from './factories';
import { migrationsFolder } from '../src/db/open';
import { foldText } from '../src/domain/search-text';
import { nationalPhone } from '../src/domain/contacts';

/** What a care agent types in the queue's search box, and which complaints come back. */
describeEachDatabase('staff search, as an agent types it', (db) => {
  let app: FastifyInstance;
  let agent: Awaited<ReturnType<typeof staffWithToken>>;
  const codes: Record<string, string> = {};
  beforeAll(async () => {
    app = await buildTestApp(db());
    agent = await staffWithToken(db(), 'agent');
    const mk = async (key: string, name: string, subject: string, orderRef?: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        payload: { ...buildIntake({ customer: { name, phone: randomPhone() } }), subject, description: 'Khách gọi tổng đài.', orderRef, consent: undefined, channel: 'hotline' },
        headers: agent.headers,
      });
      expect(res.statusCode, res.body).toBe(201);
      codes[key] = res.json().code;
    };
    await mk('minh', 'Trần Văn Minh', 'Đồng hồ chạy chậm', 'DH-12345');
    await mk('lan', 'Trần Thị Lan', 'Giao hàng thiếu', 'DH67890');
    await mk('khai', 'Phạm Khải Minh', 'Lệnh hoàn tiền chưa chạy', 'dh_555 01');
    await mk('duc', 'Lê Văn Đức', 'Tủ lạnh không lên nguồn');
    await mk('tam', 'Võ Thanh Tâm', 'Tài khoản bị khoá');
    await mk('an', 'Hà Thị An', 'Máy giặt kêu to');
    await mk('anh', 'Nguyễn Tuấn Anh', 'Hàng về Hải Phòng chậm');
  });
  afterAll(async () => app?.close());

  const list = (q: string) => app.inject({ url: `/api/v1/complaints?q=${encodeURIComponent(q)}&limit=100`, headers: agent.headers });
  const found = async (q: string) => {
    const res = await list(q);
    expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
    const byCode = Object.fromEntries(Object.entries(codes).map(([k, v]) => [v, k]));
    return (res.json().items as { code: string }[]).map((i) => byCode[i.code]).sort();
  };

  it('finds two-letter names as whole words: Lê, Võ, Hà, An', async () => {
    expect(await found('Lê')).toEqual(['duc']);
    expect(await found('le')).toEqual(['duc']);
    expect(await found('Võ')).toEqual(['tam']);
    expect(await found('Hà')).toEqual(['an']);
    // Not "Anh" nor "hàng", "Hải": a two-letter word is matched whole.
    expect(await found('An')).toEqual(['an']);
    expect(await found('ha thi an')).toEqual(['an']);
  });

  it('refuses a single letter with a field error on q, and one with only punctuation', async () => {
    for (const q of ['a', 'Đ', '!!', 'a b']) {
      const res = await list(q);
      expect(res.statusCode, q).toBe(422);
      expect(res.json().error.fields, q).toEqual([expect.objectContaining({ field: 'q', code: 'too_short' })]);
    }
  });

  it('finds a customer by any word of the name, in any order, with a middle name skipped', async () => {
    expect(await found('Minh')).toEqual(['khai', 'minh']);
    expect(await found('tran minh')).toEqual(['minh']);
    expect(await found('Minh Trần')).toEqual(['minh']);
    expect(await found('TRAN')).toEqual(['lan', 'minh']);
    expect(await found('tran van minh')).toEqual(['minh']);
    // A name's words with the complaint's own.
    expect(await found('minh dong ho')).toEqual(['minh']);
    expect(await found('minh tien')).toEqual(['khai']);
    // Every word must be there: no one is called Trần Văn Đức.
    expect(await found('tran duc')).toEqual([]);
    // A longer word by its start ("kho" finds "khoá" and "không"), never from inside another ("inh" is in "Minh" and "lệnh").
    expect(await found('kho')).toEqual(['duc', 'tam']);
    expect(await found('khoa')).toEqual(['tam']);
    expect(await found('inh')).toEqual([]);
  });

  it('finds an order number written with or without separators', async () => {
    for (const q of ['DH-12345', 'DH12345', 'dh 12345', 'dh_12345', 'dh/12345', '12345']) expect(await found(q), q).toEqual(['minh']);
    for (const q of ['DH67890', 'DH-67890', 'dh 678 90', '67890']) expect(await found(q), q).toEqual(['lan']);
    for (const q of ['DH55501', 'dh-555-01', 'DH 555.01']) expect(await found(q), q).toEqual(['khai']);
    expect(await found('DH-12346')).toEqual([]);
  });

  it('brings complaints stored before migration 0028 up to what intake now writes', async () => {
    const rows = async () =>
      (await db().db.execute<{ code: string; search_text: string }>(sql`select code, search_text from complaints order by code`)).rows;
    const now = await rows();
    // The texts as intake wrote them before: no customer name, no order key.
    const old = await db().db.execute<{ id: string; code: string; subject: string; description: string; order_ref: string | null; phone_e164: string | null; email: string | null }>(
      sql`select c.id, c.code, c.subject, c.description, c.order_ref, cu.phone_e164, cu.email from complaints c join customers cu on cu.id = c.customer_id`,
    );
    for (const c of old.rows) {
      const before = foldText(
        [c.code, c.subject, c.phone_e164 ?? '', c.phone_e164 ? nationalPhone(c.phone_e164) : '', c.email ?? '', c.order_ref ?? '', c.description].join(' \u0001 '),
      );
      await db().db.execute(sql`update complaints set search_text = ${before} where id = ${c.id}`);
    }
    expect(await found('tran minh')).toEqual([]);
    const migration = await readFile(path.join(migrationsFolder, '0028_search_words.sql'), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').find((s) => s.includes('UPDATE "complaints"'))!;
    await db().db.execute(sql.raw(backfill));
    expect(await rows()).toEqual(now);
    expect(await found('tran minh')).toEqual(['minh']);
    expect(await found('dh 12345')).toEqual(['minh']);
  });
});
