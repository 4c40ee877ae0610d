import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../src/db/open';
import pg from 'pg';
import { buildIntake, buildTestApp, randomPhone, staffWithToken } from './factories';
import { openTestDatabase, TEST_PG_URL, type TestDatabase } from './db';

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
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().status).toBe('unavailable');
  });

  it('answers a staff read with 503 too', async () => {
    const res = await app.inject({ url: '/api/v1/complaints', headers: { authorization: 'Bearer sen_x' } });
    expect(res.statusCode).toBe(503);
  });
});

describe('database lost while Sen runs, then back [postgres]', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: pg.Client;
  let name: string;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    name = new URL(database.url!).pathname.slice(1);
    app = await buildTestApp(database);
    admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.query(`alter database ${name} with allow_connections true`).catch(() => undefined);
    await admin?.end();
    await app?.close();
    await database?.close();
  });

  const intake = () => app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: buildIntake({ customer: { name: 'Trần Thị Lan', phone: randomPhone() } }) });

  it('answers 503 with Retry-After while the server is gone, stores nothing twice, and serves again once it is back, without a restart', async () => {
    const staff = await staffWithToken(database, 'agent');
    expect((await intake()).statusCode).toBe(201);

    // The server drops every connection of Sen's database and refuses new ones (a restart, a failover).
    await admin.query(`alter database ${name} with allow_connections false`);
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [name]);

    for (const res of [await intake(), await intake()]) {
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json().error.code).toBe('service_unavailable');
    }
    const list = await app.inject({ url: '/api/v1/complaints', headers: staff.headers });
    expect(list.statusCode).toBe(503);
    const health = await app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(503);
    expect(health.headers['retry-after']).toBe('5');
    expect(health.json()).toEqual({ status: 'unavailable', database: 'postgres' });

    await admin.query(`alter database ${name} with allow_connections true`);
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const again = await intake();
    expect(again.statusCode, again.body).toBe(201);
    expect((await app.inject({ url: '/api/v1/complaints', headers: staff.headers })).statusCode).toBe(200);
    // Only the two intakes answered 201 were stored, with consecutive codes.
    const stored = await database.pool.query<{ code: string }>('select code from complaints order by code');
    expect(stored.rows).toHaveLength(2);
    expect(Number(stored.rows[1].code.slice(-6)) - Number(stored.rows[0].code.slice(-6))).toBe(1);
  });
});
