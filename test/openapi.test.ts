import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone, staffWithToken } from './factories';
import { ROUTE_ANSWERS } from '../src/http/openapi';

interface Response {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: { $ref?: string } }>;
}
interface Operation {
  description?: string;
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, { description?: string }> } }> };
  responses: Record<string, Response>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

/** Fastify's `/a/:code/*` as the document writes it: `/a/{code}/{*}`. */
const docPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*/g, '{*}');

/**
 * Each route handler's success codes as its source says them (`status(201)`, `.code(204)`,
 * `status(x ? 200 : 201)`), read from src/http/routes: the document must name every one.
 */
function successCodesInSource(): { method: string; url: string; codes: string[] }[] {
  const dir = path.resolve('src/http/routes');
  const out: { method: string; url: string; codes: string[] }[] = [];
  for (const group of fs.readdirSync(dir)) {
    const file = path.join(dir, group, 'index.ts');
    if (!fs.existsSync(file)) continue;
    const source = fs.readFileSync(file, 'utf8');
    const routes = [...source.matchAll(/\bapp\.(get|post|put|patch|delete)\(\s*(['`])([^'`]+)\2/g)];
    routes.forEach((m, i) => {
      const handler = source.slice(m.index, routes[i + 1]?.index ?? source.length);
      const codes = [...handler.matchAll(/\.(?:status|code)\(([^)]*)\)/g)].flatMap((c) => c[1].match(/\b2\d\d\b/g) ?? []);
      out.push({ method: m[1], url: m[3], codes: [...new Set(codes)] });
    });
  }
  return out;
}

describeEachDatabase('what /openapi.json says each operation answers', (db) => {
  let app: FastifyInstance;
  let spec: Spec;
  let agent: Record<string, string>;
  let admin: Record<string, string>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);

  beforeAll(async () => {
    app = await buildTestApp(db());
    spec = (await app.inject({ url: '/openapi.json' })).json() as Spec;
    ajv.addSchema({ $id: 'sen-openapi', components: spec.components });
    agent = (await staffWithToken(db(), 'agent')).headers;
    admin = (await staffWithToken(db(), 'admin')).headers;
  });
  afterAll(async () => app?.close());

  /** Asserts the answer's status is one the document names for the operation, and its body follows the documented schema. */
  const expectDocumented = (method: string, url: string, res: LightMyRequestResponse) => {
    const op = spec.paths[docPath(url)]?.[method.toLowerCase()];
    expect(op, `${method} ${url} in the document`).toBeDefined();
    const documented = op.responses[String(res.statusCode)];
    expect(documented, `${method} ${url} answered ${res.statusCode}, documented ${Object.keys(op.responses).join(', ')}`).toBeDefined();
    const ref = documented.content?.['application/json']?.schema.$ref;
    if (!ref) return;
    const validate = ajv.compile({ $ref: `sen-openapi${ref}` });
    expect(validate(res.json()), `${method} ${url} ${res.statusCode}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  };

  it('names, on every operation, a success and the errors that can happen there, each described in English and Vietnamese', () => {
    const wrong: string[] = [];
    let count = 0;
    for (const [p, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        count++;
        const has = (...codes: string[]) => codes.filter((c) => !op.responses[c]).forEach((c) => wrong.push(`${method} ${p}: no ${c}`));
        const codes = Object.keys(op.responses);
        if (!codes.some((c) => /^2\d\d$/.test(c))) wrong.push(`${method} ${p}: no success`);
        for (const [code, r] of Object.entries(op.responses)) {
          // Two paragraphs: English, then Vietnamese.
          if (!/\S\n\n\S/.test(r.description)) wrong.push(`${method} ${p} ${code}: description not in both languages`);
          if (Number(code) >= 400 && p !== '/healthz' && r.content?.['application/json'].schema.$ref !== '#/components/schemas/Error') {
            wrong.push(`${method} ${p} ${code}: not the Error schema`);
          }
        }
        has('503');
        if (!op.responses['503']?.headers?.['Retry-After']) wrong.push(`${method} ${p}: 503 without Retry-After`);
        if (op.description?.includes('Roles:')) has('401', '403');
        if (p.includes('{')) has('404');
        if (['post', 'put', 'patch'].includes(method)) has('400', '413', '415', '422');
        if (op.parameters?.some((x) => x.in === 'query')) has('422');
        if (/^\/api\/v1\/(portal|public)\//.test(p) || p === '/api/v1/auth/login') {
          has('429');
          if (!op.responses['429']?.headers?.['Retry-After']) wrong.push(`${method} ${p}: 429 without Retry-After`);
        }
        if (p.startsWith('/api/v1/portal/') && op.responses['401']) wrong.push(`${method} ${p}: a public route documented as needing a login`);
      }
    }
    expect(wrong).toEqual([]);
    expect(count).toBeGreaterThan(100);
    expect(Object.keys(spec.components.schemas)).toEqual(expect.arrayContaining(['Error', 'PortalComplaintReceipt', 'PortalComplaintView']));
  });

  it("documents every success code a route handler answers (201 for a new thing, 200 for its replay, 204), and lists no route that does not exist", () => {
    const missing: string[] = [];
    const routes = successCodesInSource();
    expect(routes.filter((r) => r.codes.includes('201')).length).toBeGreaterThan(20);
    for (const r of routes) {
      if (r.url.includes('${')) continue;
      const op = spec.paths[docPath(r.url)]?.[r.method];
      if (!op) continue; // hidden from the document
      for (const code of r.codes) if (!op.responses[code]) missing.push(`${r.method.toUpperCase()} ${r.url}: answers ${code}, documented ${Object.keys(op.responses).join(', ')}`);
      // A handler that sets no 2xx itself answers 200.
      if (!r.codes.length && !op.responses['200']) missing.push(`${r.method.toUpperCase()} ${r.url}: answers 200, not documented`);
    }
    expect(missing).toEqual([]);
    const stale = Object.keys(ROUTE_ANSWERS).filter((key) => {
      const [method, url] = key.split(' ');
      return !spec.paths[docPath(url)]?.[method.toLowerCase()];
    });
    expect(stale).toEqual([]);
  });

  it('answers creates with a status the document names (portal intake and its replay, staff create, notes, messages, categories, tokens, logout)', async () => {
    const phone = randomPhone();
    const intake = buildIntake({ customer: { name: 'Trần Văn Minh', phone } });
    const key = { 'idempotency-key': `openapi-${phone}` };
    const first = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: intake, headers: key });
    expect(first.statusCode).toBe(201);
    expectDocumented('POST', '/api/v1/portal/complaints', first);
    const again = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: intake, headers: key });
    expect(again.statusCode).toBe(200);
    expectDocumented('POST', '/api/v1/portal/complaints', again);
    const code = first.json().code as string;

    const message = { contact: phone, message: 'Tôi gửi thêm ảnh hoá đơn sau.' };
    const url = `/api/v1/portal/complaints/${code}/messages`;
    for (const expected of [201, 200]) {
      const res = await app.inject({ method: 'POST', url, payload: message });
      expect(res.statusCode).toBe(expected);
      expectDocumented('POST', '/api/v1/portal/complaints/:code/messages', res);
    }

    const staffCreate = await app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: agent,
      payload: { customer: { name: 'Đỗ Thị Lan', phone: randomPhone() }, subject: 'Giao thiếu hàng', description: 'Thiếu một hộp.', channel: 'hotline' },
    });
    expect(staffCreate.statusCode).toBe(201);
    expectDocumented('POST', '/api/v1/complaints', staffCreate);
    const note = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/notes`, headers: agent, payload: { body: 'Đã gọi khách.' } });
    expectDocumented('POST', '/api/v1/complaints/:code/notes', note);
    const category = await app.inject({ method: 'POST', url: '/api/v1/categories', headers: admin, payload: { name: `Loại ${phone}` } });
    expectDocumented('POST', '/api/v1/categories', category);
    const token = await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: agent, payload: { name: 'openapi' } });
    expectDocumented('POST', '/api/v1/auth/tokens', token);
    const logout = await app.inject({ method: 'POST', url: '/api/v1/auth/logout' });
    expectDocumented('POST', '/api/v1/auth/logout', logout);
    expect([note.statusCode, category.statusCode, token.statusCode, logout.statusCode]).toEqual([201, 201, 201, 204]);
  });

  it('documents the full answers of the public intake and the status lookup, which real answers follow', async () => {
    const phone = randomPhone();
    const created = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: buildIntake({ customer: { name: 'Vũ Thị Mai', phone } }) });
    expectDocumented('POST', '/api/v1/portal/complaints', created);
    const code = created.json().code as string;
    await app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${code}/messages`, payload: { contact: phone, message: 'Xin cho biết tiến độ.' } });
    const lookup = await app.inject({ url: `/api/v1/portal/complaints/${code}?contact=${phone}` });
    expect(lookup.statusCode).toBe(200);
    expectDocumented('GET', '/api/v1/portal/complaints/:code', lookup);
    const view = lookup.json();
    expect(view.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['complaint.created', 'message.received']));
    expect(view.promises.length).toBeGreaterThan(0);

    // Every field the answers carry is documented (the schemas allow more, so that clients stay forward-compatible).
    const props = (name: string) => Object.keys(spec.components.schemas[name].properties ?? {});
    expect(props('PortalComplaintReceipt')).toEqual(expect.arrayContaining(Object.keys(created.json())));
    expect(props('PortalComplaintView')).toEqual(expect.arrayContaining(Object.keys(view)));
    const required = (name: string) => (spec.components.schemas[name] as { required?: string[] }).required ?? [];
    expect(required('PortalComplaintView')).toEqual(expect.arrayContaining(['code', 'status', 'receivedAt', 'acknowledgementDueAt', 'resolutionDueAt', 'promises', 'timeline']));
    // A view missing a promised field does not pass: the schema is not a formality.
    const validate = ajv.compile({ $ref: 'sen-openapi#/components/schemas/PortalComplaintView' });
    const { promises: _promises, ...withoutPromises } = view;
    expect(validate(withoutPromises)).toBe(false);
  });

  it("documents Sen's error body, which real errors follow (422 with fields, 400, 415, 401, 404)", async () => {
    const noConsent = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: buildIntake({ customer: { name: 'Hà', phone: randomPhone() }, consent: undefined }) });
    expect(noConsent.statusCode).toBe(422);
    expect(noConsent.json().error.fields).toEqual([expect.objectContaining({ field: 'consent', code: 'consent_required' })]);
    expectDocumented('POST', '/api/v1/portal/complaints', noConsent);

    const broken = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: '{"customer": {', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    expectDocumented('POST', '/api/v1/portal/complaints', broken);
    const form = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: 'name=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
    expectDocumented('POST', '/api/v1/portal/complaints', form);
    const anonymous = await app.inject({ url: '/api/v1/complaints' });
    expect(anonymous.statusCode).toBe(401);
    expectDocumented('GET', '/api/v1/complaints', anonymous);
    const unknown = await app.inject({ url: `/api/v1/portal/complaints/KN-2020-999999?contact=${randomPhone()}`, headers: { 'accept-language': 'en' } });
    expect(unknown.statusCode).toBe(404);
    expectDocumented('GET', '/api/v1/portal/complaints/:code', unknown);

    // The schema is strict about the error's own fields: an undocumented one would not pass.
    const validate = ajv.compile({ $ref: 'sen-openapi#/components/schemas/Error' });
    expect(validate({ error: { code: 'x', message: 'y', extra: 1 } })).toBe(false);
  });

  it("says on the intake's consent that it must be true, and the docs page still loads", async () => {
    const body = spec.paths['/api/v1/portal/complaints'].post.requestBody!.content['application/json'].schema;
    expect(body.properties!.consent.description).toMatch(/must be true/i);
    expect(body.properties!.consent.description).toContain('consent_required');
    const docs = await app.inject({ url: '/docs' });
    expect([200, 302]).toContain(docs.statusCode);
    const ui = await app.inject({ url: '/docs/json' });
    expect(ui.statusCode).toBe(200);
    expect(ui.json().paths['/api/v1/portal/complaints'].post.responses['201']).toBeDefined();
  });
});
