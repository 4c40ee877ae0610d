import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from './db';
import { sql } from 'drizzle-orm';
import { logSafeError, logSafeMessage } from '../src/db/errors';
import { buildTestApp, staffWithToken, testConfig, TEST_PASSWORD } from './factories';
import { ensureFirstAdmin } from '../src/bootstrap';
import { receiveEmail } from '../src/commands/receive-email';
import { parseInboundMail } from '../src/channels/email/parse';
import { LocalFileStore } from '../src/files/store';

describeEachDatabase('the served app', (db) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(db());
  });
  afterAll(async () => app?.close());

  it('publishes OpenAPI 3 with the public and staff routes, and its docs page', async () => {
    const spec = (await app.inject({ url: '/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const p of ['/api/v1/portal/complaints', '/api/v1/portal/complaints/{code}', '/api/v1/complaints', '/api/v1/complaints/{code}/transitions', '/api/v1/auth/login']) {
      expect(Object.keys(spec.paths)).toContain(p);
    }
    expect(spec.paths['/api/v1/portal/complaints'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['customer', 'subject', 'description']),
    );
    const docs = await app.inject({ url: '/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('serves the web app for pages and a JSON 404 for unknown API paths, with protective headers', async () => {
    const page = await app.inject({ url: '/staff/complaints/KN-2026-000001' });
    if (fs.existsSync('dist/web/index.html')) {
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    }
    const api = await app.inject({ url: '/api/v1/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
    expect(api.headers['x-content-type-options']).toBe('nosniff');
  });

  it('a customer’s HTML file, mailed in, downloads sandboxed: its own script could never run as Sen', async () => {
    const agent = await staffWithToken(db(), 'agent');
    const from = `html.${Date.now()}@khach.vn`;
    const page = '<html><body><script>fetch("/api/v1/complaints")</script>Hóa đơn</body></html>';
    const raw = Buffer.from(
      [
        `From: Khách <${from}>`,
        'To: khieunai@sen.test',
        'Subject: =?UTF-8?B?' + Buffer.from('Hóa đơn điện tử').toString('base64') + '?=',
        `Message-ID: <html-${Date.now()}@khach.vn>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hóa đơn điện tử của tôi đính kèm, bị tính sai tiền.',
        '--b',
        'Content-Type: text/html; charset=utf-8; name="hoa-don.html"',
        'Content-Disposition: attachment; filename="hoa-don.html"',
        '',
        page,
        '--b--',
        '',
      ].join('\r\n'),
    );
    const r = await receiveEmail({ database: db(), files: LocalFileStore.inDataDir(testConfig().dataDir), raw, mail: await parseInboundMail(raw), envelopeFrom: from, receipt: { baseUrl: 'http://localhost:3000', companyName: 'Sen' } });
    expect(r).toMatchObject({ outcome: 'created' });
    const code = (r as { code: string }).code;
    const shown = (await app.inject({ url: `/api/v1/complaints/${code}`, headers: agent.headers })).json() as { attachments: { sha256: string; filename: string }[] };
    const file = shown.attachments.find((a) => a.filename === 'hoa-don.html')!;
    const got = await app.inject({ url: `/api/v1/complaints/${code}/attachments/${file.sha256}`, headers: agent.headers });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toContain('text/html');
    expect(got.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(got.headers['content-disposition']).toMatch(/^attachment/);
  });

  it('lists active staff by name, narrowed to roles or a team on request', async () => {
    const admin = await staffWithToken(db(), 'admin');
    const team = (await app.inject({ method: 'POST', url: '/api/v1/teams', payload: { name: `Kế toán ${Math.random()}` }, headers: admin.headers })).json();
    const add = async (role: string, name: string, teamId?: string) =>
      (await app.inject({ method: 'POST', url: '/api/v1/users', payload: { email: `${role}-${Math.random().toString(36).slice(2)}@sen.test`, name, role, password: TEST_PASSWORD, teamId }, headers: admin.headers })).json();
    const sup = await add('supervisor', 'Bùi Thị Giám');
    const acc = await add('department', 'Đinh Văn Kế', team.id);
    type U = { id: string; name: string; role: string; teamId: string | null };
    const get = async (query: string) => (await app.inject({ url: `/api/v1/users${query}`, headers: admin.headers })).json().items as U[];
    const all = await get('');
    expect(all.map((u) => u.id)).toEqual(expect.arrayContaining([sup.id, acc.id]));
    const bosses = await get('?role=supervisor,admin');
    expect(bosses.map((u) => u.id)).toContain(sup.id);
    expect(bosses.every((u) => u.role === 'supervisor' || u.role === 'admin')).toBe(true);
    expect(bosses.length).toBeLessThan(all.length);
    expect((await get(`?teamId=${team.id}`)).map((u) => u.id)).toEqual([acc.id]);
    expect(await get(`?teamId=${team.id}&role=agent`)).toEqual([]);
    const bad = await app.inject({ url: '/api/v1/users?role=king', headers: { ...admin.headers, 'accept-language': 'en' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields).toEqual([expect.objectContaining({ field: 'role' })]);
    expect((await app.inject({ url: '/api/v1/users?rol=agent', headers: admin.headers })).json().error.fields).toEqual([expect.objectContaining({ field: 'rol', code: 'unknown_field' })]);
  });

  it('lets an admin add teams and staff, who can then log in', async () => {
    const admin = await staffWithToken(db(), 'admin');
    const team = await app.inject({ method: 'POST', url: '/api/v1/teams', payload: { name: `Kho ${Math.random()}` }, headers: admin.headers });
    expect(team.statusCode).toBe(201);
    const dup = await app.inject({ method: 'POST', url: '/api/v1/teams', payload: { name: team.json().name }, headers: admin.headers });
    expect(dup.statusCode).toBe(422);
    const email = `moi-${Math.random().toString(36).slice(2)}@sen.test`;
    const user = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email, name: 'Nhân Viên Mới', role: 'agent', password: TEST_PASSWORD, teamId: team.json().id },
      headers: admin.headers,
    });
    expect(user.statusCode, user.body).toBe(201);
    expect(user.body).not.toContain('password');
    const short = await app.inject({ method: 'POST', url: '/api/v1/users', payload: { email: 'x@sen.test', name: 'X', role: 'agent', password: 'short' }, headers: admin.headers });
    expect(short.json().error.fields).toContainEqual(expect.objectContaining({ field: 'password', code: 'too_short' }));
    // An unknown team, or a department member without one, is a field error (the unknown team was a 500).
    const ghost = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: `ma-${Math.random()}@sen.test`, name: 'Ma', role: 'agent', password: TEST_PASSWORD, teamId: '00000000-0000-0000-0000-000000000000' },
      headers: admin.headers,
    });
    expect(ghost.statusCode, ghost.body).toBe(422);
    expect(ghost.json().error.fields).toEqual([expect.objectContaining({ field: 'teamId', code: 'not_found' })]);
    const loose = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: `pb-${Math.random()}@sen.test`, name: 'Phòng ban', role: 'department', password: TEST_PASSWORD },
      headers: admin.headers,
    });
    expect(loose.json().error.fields).toEqual([expect.objectContaining({ field: 'teamId', code: 'required' })]);
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const agent = await staffWithToken(db(), 'agent');
    expect((await app.inject({ method: 'POST', url: '/api/v1/teams', payload: { name: 'X' }, headers: agent.headers })).statusCode).toBe(403);
  });
});

describeEachDatabase('logs', (db) => {
  it('a failed query is logged with its SQL and reason, never its parameters', async () => {
    const secret = `$argon2id$v=19$secret-${Math.random()}`;
    const err = await db()
      .db.execute(sql`insert into staff_users (email, name, role, password_hash, team_id) values ('x@sen.test', 'X', 'agent', ${secret}, ${'00000000-0000-0000-0000-000000000000'})`)
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toContain(secret);
    const logged = JSON.stringify(logSafeError(err));
    expect(logged).not.toContain(secret);
    expect(logSafeMessage(err)).toMatch(/insert into staff_users.*foreign key/);
  });
});

describeEachDatabase('first start', (db) => {
  it('creates the admin once, printing the generated password once', async () => {
    const before = await db().pool.query<{ n: number }>('select count(*)::int as n from staff_users');
    expect(before.rows[0].n).toBe(0);
    const lines: string[] = [];
    await ensureFirstAdmin(db(), testConfig({ adminEmail: 'Boss@CongTy.vn' }), (l) => lines.push(l));
    const pw = /Password \(shown once\): (\S+)/.exec(lines.join('\n'))?.[1];
    expect(pw).toBeTruthy();
    // Where to add staff while Sen runs (the CLI cannot open the embedded database Sen holds).
    expect(lines.join('\n')).toContain('Add staff, change the password: http://localhost:0/staff/admin/users');
    expect(lines.join('\n')).not.toContain('sen user add');
    const r = await db().pool.query('select email, role from staff_users');
    expect(r.rows).toEqual([{ email: 'boss@congty.vn', role: 'admin' }]);
    const again: string[] = [];
    await ensureFirstAdmin(db(), testConfig(), (l) => again.push(l));
    expect(again).toEqual([]);
  });
});
