import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../src/db/open';
import { buildIntake, buildTestApp } from './factories';

describe('database unreachable', () => {
  let database: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    // Nothing listens on port 1: every query fails to connect, as when the server is down.
    database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/sen', migrate: false });
    app = await buildTestApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('answers intake with 503 and Retry-After, so the sender retries', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: buildIntake() });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error.code).toBe('service_unavailable');
    expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('says so on /healthz', async () => {
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().status).toBe('unavailable');
  });

  it('answers a staff read with 503 too', async () => {
    const res = await app.inject({ url: '/api/v1/complaints', headers: { authorization: 'Bearer sen_x' } });
    expect(res.statusCode).toBe(503);
  });
});
