import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { nationalPhone, normalizeCustomerPhone, normalizeEmail, normalizePhone } from './contacts';
import { formatComplaintCode, normalizeComplaintCode, parseComplaintCode, vietnamYear } from './codes';
import { foldText } from './search-text';
import { parseInstant, toVietnamIso, formatVietnamDateTime } from './time';
import { canonicalJson, eventHash } from './timeline-hash';
import { normalizeIntake } from './intake';
import { errorMessage, pickLocale } from './errors';

describe('contacts', () => {
  it('normalises Vietnamese phone numbers written every usual way to one E.164', () => {
    for (const p of ['0912 345 678', '+84912345678', '091-234-5678', '84 912 345 678', '(091) 234.5678']) expect(normalizePhone(p), p).toBe('+84912345678');
    expect(normalizePhone('(028) 3822 1234')).toBe('+842838221234');
    expect(normalizePhone('12345')).toBeNull();
    expect(normalizePhone('0000000000')).toBeNull();
    expect(nationalPhone('+84912345678')).toBe('0912345678');
  });
  it('gives the national form libphonenumber gives, for mobiles, landlines and foreign numbers', () => {
    const oracle = (e164: string) => {
      const p = parsePhoneNumberFromString(e164)!;
      return p.country === 'VN' ? `0${p.nationalNumber}` : p.number;
    };
    for (const raw of ['0912 345 678', '(028) 3822 1234', '0243 826 1234', '0868 123 456', '1900 1234', '+33 6 12 34 56 78', '+1 415 555 2671']) {
      const e164 = normalizePhone(raw);
      expect(e164, raw).not.toBeNull();
      expect(nationalPhone(e164!), raw).toBe(oracle(e164!));
    }
    expect(nationalPhone('+33612345678')).toBe('+33612345678');
  });
  it('takes as a customer’s phone only a mobile or a fixed line, never a premium-rate or toll-free number', () => {
    for (const p of ['0912 345 678', '(028) 3822 1234', '+33 6 12 34 56 78', '+1 415 555 2671']) expect(normalizeCustomerPhone(p), p).toBe(normalizePhone(p));
    for (const p of ['1900 1234', '1900 123456', '1800 1234', '12345', '']) expect(normalizeCustomerPhone(p), p).toBeNull();
    // Still a number to find records by.
    expect(normalizePhone('1900 1234')).toBe('+8419001234');
  });
  it('lower-cases emails and refuses what is not one', () => {
    expect(normalizeEmail('  Huong.Nguyen@Example.COM ')).toBe('huong.nguyen@example.com');
    expect(normalizeEmail('huong@')).toBeNull();
    expect(normalizeEmail('a b@c.d')).toBeNull();
  });
});

describe('codes', () => {
  it('formats and parses KN codes', () => {
    expect(formatComplaintCode(2026, 123)).toBe('KN-2026-000123');
    expect(parseComplaintCode(' kn-2026-000123 ')).toEqual({ year: 2026, seq: 123, code: 'KN-2026-000123' });
    expect(parseComplaintCode('KN-2026-12')).toBeNull();
  });
  it('normalises a code for looking it up, whatever the case and spaces', () => {
    expect(normalizeComplaintCode(' kn-2026-000123 ')).toBe('KN-2026-000123');
    expect(normalizeComplaintCode('KN-2026-000123')).toBe('KN-2026-000123');
    expect(normalizeComplaintCode(' abc ')).toBe('ABC');
  });
  it('takes the year in Vietnam, not in UTC', () => {
    expect(vietnamYear(new Date('2026-12-31T17:30:00Z'))).toBe(2027);
    expect(vietnamYear(new Date('2026-12-31T16:59:59Z'))).toBe(2026);
  });
});

describe('search folding', () => {
  it('removes diacritics, đ and case', () => {
    expect(foldText('Đồng hồ bị NỨT mặt kính')).toBe('dong ho bi nut mat kinh');
    expect(foldText('ĐỨC ƯỚC Ỹ ỵ ặ ờ ữ')).toBe('duc uoc y y a o u');
    expect(foldText('Khiếu   nại')).toBe('khieu nai');
  });
});

describe('time', () => {
  it('prints and reads Vietnam time whatever the process zone', () => {
    expect(toVietnamIso(new Date('2026-12-23T10:00:00Z'))).toBe('2026-12-23T17:00:00+07:00');
    expect(formatVietnamDateTime(new Date('2026-12-23T10:05:00Z'))).toBe('23/12/2026 17:05');
    expect(parseInstant('2026-11-25T09:00')?.toISOString()).toBe('2026-11-25T02:00:00.000Z');
    expect(parseInstant('2026-11-25T09:00:00Z')?.toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect(parseInstant('2026-02-30')).toBeNull();
  });
});

describe('timeline hash', () => {
  const e = { complaintId: 'c', seq: 1, type: 't', actorType: 'agent', actorId: null, channel: 'web', payload: { b: 1, a: 'x' }, createdAt: new Date(0), prevHash: '' };
  it('does not depend on key order but on every field', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}');
    expect(eventHash({ ...e, payload: { a: 'x', b: 1 } })).toBe(eventHash(e));
    for (const change of [{ seq: 2 }, { type: 'u' }, { prevHash: 'x' }, { createdAt: new Date(1) }, { payload: { a: 'y', b: 1 } }, { actorId: 'u' }]) {
      expect(eventHash({ ...e, ...change })).not.toBe(eventHash(e));
    }
  });

  it('writes what the first version wrote, so chains stored before still verify', () => {
    // The first version of canonicalJson (entries, filter, sort, map), kept as the reference.
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
    };
    const payloads: unknown[] = [
      {},
      [],
      [undefined, null, 0, -1.5, 1e21, '', true],
      { z: 1, Z: 2, a: undefined, é: 'é', '😀': 'astral', '\uffff': 'last of the BMP', '10': 'x', '9': 'y', '"q"': 'quoted key' },
      { only: undefined },
      { first: undefined, second: 2 },
      { nested: { b: [{ d: undefined, c: 'Đồng hồ "hỏng"\n\\' }], a: null }, when: new Date(0), list: [[], {}, [[1]]] },
      { subject: 'Hàng lỗi', description: 'x'.repeat(5000), customer: { name: 'Nguyễn Văn A', phone: '+84912345678', email: null } },
    ];
    for (const p of payloads) expect(canonicalJson(p)).toBe(reference(p));
    for (const p of payloads.filter((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      const payload = p as Record<string, unknown>;
      expect(createHash('sha256').update(reference(['', 'c', 1, 't', 'agent', null, 'web', new Date(0).toISOString(), payload])).digest('hex')).toBe(
        eventHash({ ...e, payload }),
      );
    }
  });
});

describe('intake normalisation', () => {
  const base = { customer: { name: ' Hương ', phone: '0912 345 678' }, subject: ' Lỗi ', description: 'Mô tả', consent: true };
  it('trims and normalises', () => {
    expect(normalizeIntake(base, { requireConsent: true })).toMatchObject({ customer: { name: 'Hương', phoneE164: '+84912345678', email: null }, subject: 'Lỗi', orderRef: null });
  });
  it('lists every problem at once', () => {
    try {
      normalizeIntake({ customer: { name: '' }, subject: '', description: '', consent: false }, { requireConsent: true });
      expect.unreachable();
    } catch (err) {
      expect((err as { details: { fields: { field: string }[] } }).details.fields.map((f) => f.field)).toEqual(['customer.name', 'subject', 'description', 'customer.phone', 'consent']);
    }
  });
  it('does not require consent from staff intake', () => {
    expect(normalizeIntake({ ...base, consent: undefined }, { requireConsent: false }).consent).toBe(false);
  });
  it('picks the language from Accept-Language', () => {
    expect(pickLocale(undefined)).toBe('vi');
    expect(pickLocale('en-GB,en;q=0.8')).toBe('en');
    expect(pickLocale('fr, vi;q=0.5')).toBe('vi');
  });
  it('weighs the languages of Accept-Language by their q-values', () => {
    expect(pickLocale('en;q=0.1, vi;q=0.9')).toBe('vi');
    expect(pickLocale('vi;q=0.4, en;q=0.6')).toBe('en');
    expect(pickLocale('vi;q=0')).toBe('en');
    expect(pickLocale('vi;q=0, fr')).toBe('en');
    expect(pickLocale('vi;q=0, en;q=0')).toBe('vi');
    expect(pickLocale('en, vi')).toBe('en');
    expect(pickLocale('en;q=0.5, vi;q=0.5')).toBe('en');
    expect(pickLocale('en-US;q=0.8, vi-VN;q=0.9')).toBe('vi');
    expect(pickLocale('*')).toBe('vi');
    expect(pickLocale('fr, *;q=0.5, vi;q=0')).toBe('en');
    expect(pickLocale('fr')).toBe('vi');
    expect(pickLocale('en;q=abc, vi;q=0.2')).toBe('vi');
  });
  it('names the moves allowed in the message of a refused one, in the language asked', () => {
    expect(errorMessage('invalid_transition', 'vi', { allowed: ['investigating', 'withdrawn'] })).toBe(
      'Không thể chuyển khiếu nại sang trạng thái này. Từ trạng thái hiện tại, bạn có thể chuyển sang: “Đang xác minh”, “Khách hàng rút khiếu nại”.',
    );
    expect(errorMessage('forbidden_transition', 'en', { allowed: [] })).toBe(
      'Your role may not move the complaint to this status. From its current status, you may not move it to any other status.',
    );
    expect(errorMessage('invalid_transition', 'en')).toBe('The complaint cannot move to this status.');
    expect(errorMessage('proposal_required', 'en', { allowed: ['withdrawn'] })).toBe('The proposed status needs a proposal: use the proposal action.');
  });
});
