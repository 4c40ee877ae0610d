import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from './db';
import { buildTestApp, seedComplaint, staffWithToken } from './factories';

type Op = { requestBody?: { content?: Record<string, { schema?: { additionalProperties?: boolean; type?: string } }> } };

/** Every JSON write of the staff API, refusing what is not a well-formed body of its own fields, and changing nothing. */
describeEachDatabase('bad input on every staff write', (db) => {
  let app: FastifyInstance;
  let headers: Record<string, string>;
  let code: string;
  beforeAll(async () => {
    app = await buildTestApp(db());
    headers = (await staffWithToken(db(), 'admin')).headers;
    code = (await seedComplaint(db())).code;
  });
  afterAll(async () => app?.close());

  const SAMPLE: Record<string, string> = { id: '00000000-0000-4000-8000-000000000000', sha256: 'a'.repeat(64), year: '2026', file: 'complaints.csv' };
  const PUBLIC = /^\/api\/v1\/(portal|public|webhooks)\/|^\/api\/v1\/auth\/(login|logout)$/;
  const writes = async () => {
    const spec = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, Op>> };
    return Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m, op]) => ['post', 'put', 'patch'].includes(m) && !PUBLIC.test(path) && op.requestBody?.content?.['application/json'])
        .map(([m, op]) => ({
          method: m.toUpperCase() as 'POST' | 'PUT' | 'PATCH',
          path,
          url: path.replace(/\{([^}]+)\}/g, (_, name: string) => (name === 'code' ? code : SAMPLE[name])),
          schema: op.requestBody!.content!['application/json'].schema,
        })),
    );
  };
  /** Rows in every table Sen writes to on a staff request: none may change. */
  const fingerprint = async () =>
    (
      await db().pool.query<{ n: string }>(`
        select (select count(*) from complaints) || '/' || (select count(*) from timeline_events) || '/' || (select count(*) from categories) || '/' ||
               (select count(*) from teams) || '/' || (select count(*) from staff_users) || '/' || (select count(*) from api_tokens) || '/' ||
               (select count(*) from idempotency_keys) || '/' || (select count(*) from customers) as n`)
    ).rows[0].n;

  it('answers 415 to a body that is not JSON, 400 to broken JSON and 413 to one over 1 MB, on every JSON write', async () => {
    const all = await writes();
    expect(all.length).toBeGreaterThan(40);
    const before = await fingerprint();
    const wrong: string[] = [];
    for (const r of all) {
      const form = await app.inject({ method: r.method, url: r.url, payload: 'name=x', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
      if (form.statusCode !== 415 || form.json().error.code !== 'unsupported_media_type') wrong.push(`${r.method} ${r.path}: form ${form.statusCode}`);
      const text = await app.inject({ method: r.method, url: r.url, payload: '{"name":"x"}', headers: { ...headers, 'content-type': 'text/plain' } });
      if (text.statusCode !== 415) wrong.push(`${r.method} ${r.path}: text/plain ${text.statusCode}`);
      const broken = await app.inject({ method: r.method, url: r.url, payload: '{"name": "x",', headers: { ...headers, 'content-type': 'application/json' } });
      if (broken.statusCode !== 400 || broken.json().error.code !== 'malformed_json') wrong.push(`${r.method} ${r.path}: broken JSON ${broken.statusCode}`);
      const big = await app.inject({ method: r.method, url: r.url, payload: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 1) }), headers: { ...headers, 'content-type': 'application/json' } });
      if (big.statusCode !== 413 || big.json().error.code !== 'payload_too_large') wrong.push(`${r.method} ${r.path}: 1 MB ${big.statusCode}`);
    }
    expect(wrong).toEqual([]);
    expect(await fingerprint()).toBe(before);
  });

  it('names an unknown field (422 unknown_field), in English when asked, on every JSON write', async () => {
    // Every JSON write, the settings (whose fields their domain parser checks) too: a field Sen does not know is never silently dropped.
    const closed = await writes();
    expect(closed.length).toBeGreaterThan(30);
    const before = await fingerprint();
    const wrong: string[] = [];
    for (const r of closed) {
      for (const [lang, message] of [['en', 'Unknown field.'], ['vi', 'Trường không được hỗ trợ.']] as const) {
        const res = await app.inject({ method: r.method, url: r.url, payload: { laAdmin: true }, headers: { ...headers, 'accept-language': lang } });
        const fields = res.statusCode === 422 ? (res.json().error.fields as { field: string; code: string; message: string }[]) : [];
        if (!fields.some((f) => f.field === 'laAdmin' && f.code === 'unknown_field' && f.message === message)) wrong.push(`${r.method} ${r.path} (${lang}): ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await fingerprint()).toBe(before);
  });
});
