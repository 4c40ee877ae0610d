import { describe, expect, it } from 'vitest';
import { complaintCodeInSubject, forgedSender, idsIn, normalizeMessageId, referencedIds, stripReplyPrefixes } from './mail-threading';

describe('complaintCodeInSubject', () => {
  it('finds a bracketed or bare code anywhere, in any case, and returns it in upper case', () => {
    expect(complaintCodeInSubject('Re: [KN-2026-000123] Yêu cầu bổ sung')).toBe('KN-2026-000123');
    expect(complaintCodeInSubject('TL: về khiếu nại kn-2026-000123 của tôi')).toBe('KN-2026-000123');
    expect(complaintCodeInSubject('[ kn-2026-000042 ]')).toBe('KN-2026-000042');
    expect(complaintCodeInSubject('KN-2026-000123')).toBe('KN-2026-000123');
    expect(complaintCodeInSubject('(KN-2026-1234567)')).toBe('KN-2026-1234567');
  });

  it('prefers the bracketed code to one merely mentioned', () => {
    expect(complaintCodeInSubject('Như KN-2025-000001, xem [KN-2026-000123]')).toBe('KN-2026-000123');
  });

  it('returns null when there is no code or only something like one', () => {
    expect(complaintCodeInSubject('Khiếu nại máy giặt')).toBeNull();
    expect(complaintCodeInSubject('KN-2026-12345')).toBeNull();
    expect(complaintCodeInSubject('XKN-2026-000123')).toBeNull();
    expect(complaintCodeInSubject('KN-2026-000123A')).toBeNull();
    expect(complaintCodeInSubject('')).toBeNull();
  });
});

describe('normalizeMessageId', () => {
  it('strips brackets and white space and lower-cases the domain only', () => {
    expect(normalizeMessageId('<CAF1abc.XYZ@Mail.Example.COM>')).toBe('CAF1abc.XYZ@mail.example.com');
    expect(normalizeMessageId('  < abc@Host >  ')).toBe('abc@host');
    expect(normalizeMessageId('abc@HOST')).toBe('abc@host');
    expect(normalizeMessageId('<a\r\n b@HOST>')).toBe('ab@host');
  });

  it('keeps an id without @ as it is, and gives null for nothing', () => {
    expect(normalizeMessageId('<NoDomain123>')).toBe('NoDomain123');
    expect(normalizeMessageId('<>')).toBeNull();
    expect(normalizeMessageId('   ')).toBeNull();
  });
});

describe('referencedIds', () => {
  it('lists In-Reply-To first, then References from the newest, normalized and de-duplicated', () => {
    expect(
      referencedIds('<C@Sen.Example.VN>', '<A@Mail.Example.COM>\r\n <B@sen.example.vn>\r\n <C@sen.example.vn>'),
    ).toEqual(['C@sen.example.vn', 'B@sen.example.vn', 'A@mail.example.com']);
  });

  it('accepts References as an array and a missing header', () => {
    expect(referencedIds(undefined, ['<a@x>', '<b@x>'])).toEqual(['b@x', 'a@x']);
    expect(referencedIds('<a@x>', undefined)).toEqual(['a@x']);
    expect(referencedIds(undefined, undefined)).toEqual([]);
    expect(referencedIds(['<b@x>'], '<a@x> <b@x>')).toEqual(['b@x', 'a@x']);
  });

  it('ignores the comment old mailers put in In-Reply-To and reads ids written without brackets', () => {
    expect(referencedIds('Your message of "Mon, 5 Jan 2026" <m1@Host>', undefined)).toEqual(['m1@host']);
    expect(referencedIds(undefined, 'a@x b@x')).toEqual(['b@x', 'a@x']);
  });

  it('exposes the ids of one header in header order', () => {
    expect(idsIn('<a@x> <b@X>')).toEqual(['a@x', 'b@x']);
  });
});

describe('stripReplyPrefixes', () => {
  it('strips English and Vietnamese reply and forward prefixes, repeated', () => {
    expect(stripReplyPrefixes('Re: RE: Fwd: FW: [KN-2026-000123] Máy giặt')).toBe('[KN-2026-000123] Máy giặt');
    expect(stripReplyPrefixes('TL: Re: Khiếu nại')).toBe('Khiếu nại');
    expect(stripReplyPrefixes('Chuyển tiếp: TL: Hóa đơn')).toBe('Hóa đơn');
    expect(stripReplyPrefixes('Trả lời: Hóa đơn')).toBe('Hóa đơn');
    expect(stripReplyPrefixes('re : Re[2]: Re(3): fw: x')).toBe('x');
  });

  it('leaves words that only start like a prefix, and NFC-normalizes', () => {
    expect(stripReplyPrefixes('Refund: đơn 123')).toBe('Refund: đơn 123');
    expect(stripReplyPrefixes('TLC bị hỏng')).toBe('TLC bị hỏng');
    expect(stripReplyPrefixes('Re: Khiếu nại'.normalize('NFD'))).toBe('Khiếu nại'.normalize('NFC'));
  });
});

describe('forgedSender: a failure the receiving server reported', () => {
  it('believes the topmost Authentication-Results only, and only its failures', () => {
    expect(forgedSender(undefined)).toBeNull();
    expect(forgedSender('mx.congty.vn; spf=pass smtp.mailfrom=khach.vn; dkim=pass header.d=khach.vn; dmarc=pass header.from=khach.vn')).toBeNull();
    expect(forgedSender('mx.congty.vn; spf=fail smtp.mailfrom=khach.vn; dkim=none; dmarc=fail (p=reject) header.from=khach.vn')).toMatch(/dmarc=fail/);
    expect(forgedSender('mx.congty.vn; spf=softfail smtp.mailfrom=khach.vn; dkim=none')).toMatch(/spf=softfail/);
    // Forwarded through a list: SPF fails, the author's DKIM signature still passes.
    expect(forgedSender('mx.congty.vn; spf=fail smtp.mailfrom=list.vn; dkim=pass header.d=khach.vn')).toBeNull();
    // A "fail" lower down was written by whoever sent it, not by the company's server.
    expect(forgedSender('mx.congty.vn; dmarc=pass header.from=khach.vn\nevil.example; dmarc=fail')).toBeNull();
    expect(forgedSender('mx.congty.vn; DMARC=FAIL header.from=khach.vn')).toMatch(/dmarc=fail/);
    expect(forgedSender('mx.congty.vn; x-dmarc=fail')).toBeNull();
  });
});
