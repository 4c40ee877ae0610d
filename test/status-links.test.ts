import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone, staffWithToken } from './factories';
import { verifyStatusLink } from '../src/commands/verify-status-link';
import { linkSecret, loadSlaContext } from '../src/db/queries/settings';
import { signStatusLink } from '../src/domain/signed-links';
import type { Database } from '../src/db/open';

const DAY = 86_400_000;
const VERIFY = '/api/v1/portal/status-links/verify';

/** The status-page link in the text of a mail (…/tra-cuu?code=…&t=…). */
function statusLinkIn(text: string): URL {
  const m = /(https?:\/\/\S+\/tra-cuu\?code=[^\s&]+&t=[A-Za-z0-9_.%-]+)/.exec(text);
  if (!m) throw new Error(`no status link in:\n${text}`);
  return new URL(m[1]);
}

async function mailsTo(database: Database, code: string): Promise<{ to_address: string; dedupe_key: string; text: string; html: string }[]> {
  return (
    await database.db.execute<{ to_address: string; dedupe_key: string; text: string; html: string }>(sql`
      select m.to_address, m.dedupe_key, m.text, m.html from outbound_messages m join complaints c on c.id = m.complaint_id
      where c.code = ${code} order by m.created_at`)
  ).rows;
}

/** The token with one character replaced, at `at` (default: the middle of the claims). */
function editOneChar(token: string, at = Math.floor(token.indexOf('.') / 2)): string {
  const c = token[at] === 'A' ? 'B' : 'A';
  return `${token.slice(0, at)}${c}${token.slice(at + 1)}`;
}

describeEachDatabase('status-page links in the mails to the customer (liên kết tra cứu)', (db) => {
  let app: FastifyInstance;
  let supervisor: Awaited<ReturnType<typeof staffWithToken>>;
  beforeAll(async () => {
    app = await buildTestApp(db());
    supervisor = await staffWithToken(db(), 'supervisor');
  });
  afterAll(async () => app?.close());

  /** A complaint filed on the portal with a phone and an email; its receipt mail is in the outbox. */
  async function file(name = 'Phạm Thị Lan') {
    const phone = randomPhone();
    const email = `lan.${phone}@example.vn`;
    const res = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: buildIntake({ customer: { name, phone, email } }) });
    expect(res.statusCode, res.body).toBe(201);
    return { code: (res.json() as { code: string }).code, phone, email };
  }
  const verify = (payload: Record<string, unknown>, lang = 'vi') => app.inject({ method: 'POST', url: VERIFY, payload, headers: { 'accept-language': lang } });

  it('signs the link of the receipt mail: the verify route answers with the code and the address it went to', async () => {
    const a = await file();
    const [receipt] = await mailsTo(db(), a.code);
    expect(receipt.dedupe_key).toMatch(/^receipt:/);
    const link = statusLinkIn(receipt.text);
    expect(link.pathname).toBe('/tra-cuu');
    expect(link.searchParams.get('code')).toBe(a.code);
    const token = link.searchParams.get('t')!;
    // The html mail links to the same address (& escaped as it must be in an attribute).
    expect(receipt.html).toContain(`href="${link.toString().replace(/&/g, '&amp;')}"`);

    const ok = await verify({ token, code: a.code });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ code: a.code, contact: a.email });
    // The code is optional: the token alone names its complaint.
    expect((await verify({ token })).json()).toEqual({ code: a.code, contact: a.email });
    // What it proves is what the status page looks the complaint up with.
    const view = await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${a.code}?contact=${encodeURIComponent(a.email)}` });
    expect(view.statusCode).toBe(200);
    expect((view.json() as { code: string }).code).toBe(a.code);
  });

  it('refuses a token edited by one character with 403 and a message, revealing nothing else', async () => {
    const a = await file();
    const token = statusLinkIn((await mailsTo(db(), a.code))[0].text).searchParams.get('t')!;
    for (const [edited, lang] of [
      [editOneChar(token), 'vi'],
      [editOneChar(token, token.length - 1), 'en'],
      [token.slice(0, -3), 'vi'],
    ] as const) {
      const res = await verify({ token: edited, code: a.code }, lang);
      expect(res.statusCode).toBe(403);
      const body = res.json() as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error).toEqual({
        code: 'status_link_invalid',
        message: expect.stringContaining(lang === 'vi' ? 'nhập mã khiếu nại và số điện thoại hoặc email' : 'enter the complaint code and the phone number or email'),
      });
      expect(res.body).not.toContain(a.email);
      expect(res.body).not.toContain(a.phone);
    }
    expect((await verify({ token: '' })).statusCode).toBe(422);
    expect((await verify({ token, extra: 1 })).statusCode).toBe(422);
  });

  it('refuses an expired link with 410 and tells the customer to enter the code and contact', async () => {
    const a = await file();
    const sla = await loadSlaContext(db());
    const old = signStatusLink(await linkSecret(db()), { code: a.code, contact: a.email }, new Date(Date.now() - (sla.workflow.linkValidityDays + 1) * DAY), sla.workflow.linkValidityDays);
    const res = await verify({ token: old, code: a.code });
    expect(res.statusCode).toBe(410);
    expect(res.json()).toEqual({ error: { code: 'status_link_expired', message: expect.stringContaining('hết hạn') } });
    expect((await verify({ token: old }, 'en')).json()).toMatchObject({ error: { message: expect.stringContaining('expired') } });
    // The receipt's own link, a day after linkValidityDays.
    const token = statusLinkIn((await mailsTo(db(), a.code))[0].text).searchParams.get('t')!;
    await expect(verifyStatusLink({ database: db(), token, now: new Date(Date.now() + (sla.workflow.linkValidityDays + 1) * DAY) })).rejects.toMatchObject({
      code: 'status_link_expired',
    });
    await expect(verifyStatusLink({ database: db(), token })).resolves.toEqual({ code: a.code, contact: a.email });
  });

  it('never opens complaint B with the link of complaint A', async () => {
    const a = await file('Khách A');
    const b = await file('Khách B');
    const tokenA = statusLinkIn((await mailsTo(db(), a.code))[0].text).searchParams.get('t')!;
    const asB = await verify({ token: tokenA, code: b.code });
    expect(asB.statusCode).toBe(403);
    expect((asB.json() as { error: { code: string } }).error.code).toBe('status_link_invalid');
    expect(asB.body).not.toContain(b.email);
    expect(asB.body).not.toContain(a.email);
    // Claims rewritten to B under A's signature.
    const [body, mac] = tokenA.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...claims, code: b.code, contact: b.email })).toString('base64url')}.${mac}`;
    expect((await verify({ token: forged })).statusCode).toBe(403);
    expect((await verify({ token: forged, code: b.code })).statusCode).toBe(403);
    // A's link still opens A only.
    expect((await verify({ token: tokenA })).json()).toEqual({ code: a.code, contact: a.email });
  });

  it('refuses a well-signed link whose address is no longer the customer’s', async () => {
    const a = await file();
    const token = signStatusLink(await linkSecret(db()), { code: a.code, contact: 'someone.else@example.vn' }, new Date(), 1);
    const res = await verify({ token, code: a.code });
    expect(res.statusCode).toBe(403);
    expect((res.json() as { error: { code: string } }).error.code).toBe('status_link_invalid');
  });

  it('signs the link of the refusal mail too, for the same address', async () => {
    const a = await file();
    const rejected = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${a.code}/reject`,
      headers: supervisor.headers,
      payload: { reason: 'Sản phẩm không do công ty phân phối.' },
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const refusal = (await mailsTo(db(), a.code)).find((m) => m.dedupe_key.startsWith('complaint-rejected:'));
    expect(refusal?.to_address).toBe(a.email);
    const res = await verify({ token: statusLinkIn(refusal!.text).searchParams.get('t')!, code: a.code });
    expect(res.json()).toEqual({ code: a.code, contact: a.email });
  });

  it('is in the OpenAPI spec with its body and answer', async () => {
    const spec = (await app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, { post?: { requestBody: { content: Record<string, { schema: { required: string[] } }> }; responses: Record<string, unknown> } }>;
    };
    const op = spec.paths[VERIFY]?.post;
    expect(op?.requestBody.content['application/json'].schema.required).toEqual(['token']);
    expect(op?.responses).toHaveProperty('200');
  });
});
