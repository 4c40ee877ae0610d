import { describe, expect, it } from 'vitest';
import { receiptSms, smsOutcome, smsParts, smsText, SMS_MAX_LENGTH } from './sms';

describe('SMS text: folded to GSM 7-bit, receipts in at most two parts', () => {
  it('drops Vietnamese marks, keeps case, makes quotes and dashes plain, drops what GSM cannot carry', () => {
    expect(smsText('Đã tiếp nhận khiếu nại “Điều hòa” – ĐỖ Ưng 😀')).toBe('Da tiep nhan khieu nai "Dieu hoa" - DO Ung');
    expect(smsText('Giá: 1.500.000₫ (đã gồm VAT)…')).toBe('Gia: 1.500.000 (da gom VAT)...');
  });

  it('counts parts as a phone does: 160 in one, 153 each beyond', () => {
    expect(smsParts('x'.repeat(160))).toBe(1);
    expect(smsParts('x'.repeat(161))).toBe(2);
    expect(smsParts('x'.repeat(306))).toBe(2);
    expect(smsParts('x'.repeat(307))).toBe(3);
  });

  it('a receipt names the code, the times in Vietnam and the status page, in the customer’s language, in two parts at most', () => {
    const m = {
      code: 'KN-2026-000123',
      companyName: 'Công ty Cổ phần Điện máy Sen',
      receivedAt: new Date('2026-11-27T02:05:00Z'),
      acknowledgementDueAt: new Date('2026-12-01T02:05:00Z'),
      lookupUrl: 'https://sen.example.vn/tra-cuu?code=KN-2026-000123',
      language: 'vi' as const,
    };
    expect(receiptSms(m)).toBe(
      'Cong ty Co phan Dien may Sen: Da tiep nhan khieu nai KN-2026-000123 luc 27/11/2026 09:05. Chung toi se lien he Quy khach truoc 01/12/2026 09:05. Tra cuu: https://sen.example.vn/tra-cuu?code=KN-2026-000123',
    );
    expect(receiptSms({ ...m, language: 'en' })).toMatch(/^Cong ty Co phan Dien may Sen: we received your complaint KN-2026-000123 at 27\/11\/2026 09:05\./);
    // A very long company name is shortened; the code and the address stay whole.
    const long = receiptSms({ ...m, companyName: 'Tập đoàn '.repeat(30) });
    expect(long.length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
    expect(long).toContain('KN-2026-000123');
    expect(long.endsWith(m.lookupUrl)).toBe(true);
  });

  it('reads a gateway’s answer: 2xx sent; 408, 429 and 5xx again later; other refusals final', () => {
    expect([200, 202, 400, 401, 404, 408, 429, 500, 503].map(smsOutcome)).toEqual(['sent', 'sent', 'refused', 'refused', 'refused', 'retry', 'retry', 'retry', 'retry']);
  });
});
