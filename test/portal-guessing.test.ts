/**
 * The portal against guessing (http/contact-guard.ts): complaint codes run in sequence, so someone who knows a
 * customer's phone number could try code after code on the routes that check a code against a contact. Failures
 * are counted per contact and per client address across all those routes, and past the limit both are refused
 * for the rest of the hour, with the right code too.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { checkSubject, FailureLedger, purgeFailedChecks } from '../src/db/queries/failed-checks';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone, testConfig } from './factories';

const limits = (more: { failedChecksPerContact?: number; failedChecksPerAddress?: number }) => ({ rateLimits: { ...testConfig().rateLimits, ...more } });

/** Each route that takes a code and a contact, as a request. */
const ROUTES = (code: string, contact: string) => [
  { method: 'GET' as const, url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(contact)}` },
  { method: 'GET' as const, url: `/api/v1/portal/complaints/${code}/followup?contact=${encodeURIComponent(contact)}` },
  { method: 'GET' as const, url: `/api/v1/portal/complaints/${code}/information?contact=${encodeURIComponent(contact)}` },
  { method: 'GET' as const, url: `/api/v1/portal/complaints/${code}/proposals?contact=${encodeURIComponent(contact)}` },
  { method: 'POST' as const, url: `/api/v1/portal/complaints/${code}/messages`, payload: { contact, message: 'Cho tôi hỏi tình trạng.' } },
];

describeEachDatabase('the portal against guessing complaint codes', (db) => {
  let app: FastifyInstance;
  let proxied: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(db(), limits({ failedChecksPerContact: 5, failedChecksPerAddress: 12 }));
    proxied = await buildTestApp(db(), { trustProxy: 1, ...limits({ failedChecksPerAddress: 3 }) });
  });
  afterAll(async () => {
    await app?.close();
    await proxied?.close();
  });
  const file = async (phone: string) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: buildIntake({ customer: { name: 'Lê Thị Thu', phone } }) });
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { code: string }).code;
  };
  /** A code of this year that no complaint has. */
  const unknownCode = (i: number) => `KN-${new Date().getFullYear()}-${String(990_000 + i)}`;

  it('after five wrong codes with one phone, from any addresses and on any of the routes, that phone is refused for the hour, even with its right code; others are not', async () => {
    const phone = randomPhone();
    const code = await file(phone);
    const other = randomPhone();
    const otherCode = await file(other);
    expect((await app.inject({ ...ROUTES(code, phone)[0], remoteAddress: '10.1.0.1' })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({ ...ROUTES(unknownCode(i), phone)[i], remoteAddress: `10.1.1.${i}` });
      expect(r.statusCode, r.body).toBe(404);
    }
    // The right code now, from an address never seen, the phone written another way: refused, and told when to come back.
    const international = `+84${phone.slice(1)}`;
    for (const [i, route] of ROUTES(code, international).entries()) {
      const r = await app.inject({ ...route, remoteAddress: `10.1.2.${i}` });
      expect(r.statusCode, route.url).toBe(429);
      expect((r.json() as { error: { code: string; message: string } }).error).toMatchObject({ code: 'contact_checks_exceeded', message: expect.stringContaining('đường dẫn trong thư') });
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(3500);
      expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(3600);
    }
    const english = await app.inject({ ...ROUTES(code, phone)[0], remoteAddress: '10.1.3.1', headers: { 'accept-language': 'en' } });
    expect((english.json() as { error: { message: string } }).error.message).toMatch(/too many times/);
    // Another customer, from the very addresses that guessed, is served as usual.
    expect((await app.inject({ ...ROUTES(otherCode, other)[0], remoteAddress: '10.1.1.0' })).statusCode).toBe(200);
  });

  it('an address that fails twelve times, whatever the phones, is refused on every such route; another address is not', async () => {
    const phone = randomPhone();
    const code = await file(phone);
    for (let i = 0; i < 12; i++) {
      const r = await app.inject({ ...ROUTES(unknownCode(i), randomPhone())[i % 5], remoteAddress: '10.2.0.1' });
      expect(r.statusCode, r.body).toBe(404);
    }
    for (const route of ROUTES(code, phone)) expect((await app.inject({ ...route, remoteAddress: '10.2.0.1' })).statusCode, route.url).toBe(429);
    expect((await app.inject({ ...ROUTES(code, phone)[0], remoteAddress: '10.2.0.2' })).statusCode).toBe(200);
    // Filing a new complaint is not a check of a code: still open to that address.
    const filed = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: buildIntake({ customer: { name: 'Khách Mới', phone: randomPhone() } }), remoteAddress: '10.2.0.1' });
    expect(filed.statusCode).toBe(201);
  });

  it('behind one proxy (TRUST_PROXY=1) the address counted is the one the proxy saw, not what the client wrote in X-Forwarded-For', async () => {
    const phone = randomPhone();
    const code = await file(phone);
    const via = (forwarded: string) => ({ remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': forwarded } });
    for (let i = 0; i < 3; i++) {
      const r = await proxied.inject({ ...ROUTES(unknownCode(i), randomPhone())[0], ...via(`198.18.0.${i}, 203.0.113.7`) });
      expect(r.statusCode).toBe(404);
    }
    // A new forged left-most entry each time changes nothing: the proxy's own entry names the client.
    expect((await proxied.inject({ ...ROUTES(code, phone)[0], ...via('198.18.9.9, 203.0.113.7') })).statusCode).toBe(429);
    expect((await proxied.inject({ ...ROUTES(code, phone)[0], ...via('203.0.113.8') })).statusCode).toBe(200);
  });

  it('counts together across Sen processes on one database: failures on one make the other refuse', async () => {
    const second = await buildTestApp(db(), limits({ failedChecksPerContact: 5, failedChecksPerAddress: 12 }));
    try {
      const phone = randomPhone();
      const code = await file(phone);
      for (let i = 0; i < 5; i++) {
        const r = await (i % 2 ? app : second).inject({ ...ROUTES(unknownCode(i), phone)[0], remoteAddress: `10.4.0.${i}` });
        expect(r.statusCode).toBe(404);
      }
      for (const instance of [app, second]) expect((await instance.inject({ ...ROUTES(code, phone)[0], remoteAddress: '10.4.1.1' })).statusCode).toBe(429);
      // Only hashes are kept: neither the phone nor an address is in the table.
      const kept = JSON.stringify((await db().pool.query('select * from failed_checks')).rows);
      expect(kept).not.toContain(phone.slice(1));
      expect(kept).not.toContain('10.4.0.1');
    } finally {
      await second.close();
    }
  });

  it('lets a contact refused try again once the hour from its first failure is over, and forgets it then', async () => {
    let now = Date.parse('2026-11-28T03:00:00Z');
    const ledger = new FailureLedger(db(), () => now);
    const me = checkSubject('contact', `+849${String(Math.random()).slice(2, 10)}`);
    const other = checkSubject('contact', '+84987654321');
    for (let i = 0; i < 3; i++) await ledger.fail([me]);
    expect(await ledger.blockedFor([{ subject: me, max: 3 }])).toBe(3600);
    expect(await ledger.blockedFor([{ subject: me, max: 4 }])).toBe(0);
    expect(await ledger.blockedFor([{ subject: other, max: 3 }])).toBe(0);
    now += 3_599_000;
    expect(await ledger.blockedFor([{ subject: other, max: 3 }, { subject: me, max: 3 }])).toBe(1);
    now += 1_000;
    expect(await ledger.blockedFor([{ subject: me, max: 3 }])).toBe(0);
    // A failure after the hour starts a new count.
    await ledger.fail([me]);
    expect(await ledger.blockedFor([{ subject: me, max: 1 }])).toBe(3600);
    expect(await ledger.blockedFor([{ subject: me, max: 2 }])).toBe(0);
    now += 3_600_000;
    expect(await purgeFailedChecks(db(), new Date(now))).toBeGreaterThanOrEqual(1);
    expect((await db().pool.query('select 1 from failed_checks where subject = $1', [me])).rows).toEqual([]);
  });
});

describe('the counts behind the guard', () => {
  it('TRUST_PROXY: unset none, a number of proxies, or their addresses; never every hop', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.0/24' }).trustProxy).toEqual(['10.0.0.1', '10.0.0.0/24']);
  });
});
