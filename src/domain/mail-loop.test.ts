import { describe, expect, it } from 'vitest';
import { classifyInbound, type InboundEnvelope } from './mail-loop';

const person = 'huong.nguyen@example.com';

function classify(over: Partial<InboundEnvelope> = {}, headers: Record<string, string> = {}) {
  return classifyInbound({ envelopeFrom: person, from: `Nguyễn Thị Hương <${person}>`, headers, ...over });
}

describe('classifyInbound', () => {
  it('takes an ordinary customer message for a complaint', () => {
    expect(classify({}, { subject: 'Khiếu nại: máy giặt giao sai mẫu' })).toEqual({ kind: 'complaint', reason: expect.any(String) });
  });

  describe('bounces', () => {
    it('recognises the null envelope sender, however it is written', () => {
      for (const envelopeFrom of [null, '', '  ', '<>']) {
        const r = classify({ envelopeFrom });
        expect(r.kind, String(envelopeFrom)).toBe('bounce');
        expect(r.reason).toMatch(/MAIL FROM/);
      }
    });

    it('recognises MAILER-DAEMON and postmaster in From or in the envelope, in any case', () => {
      expect(classify({ from: 'Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>' })).toMatchObject({ kind: 'bounce', reason: expect.stringMatching(/From/) });
      expect(classify({ from: 'postmaster@example.com' }).kind).toBe('bounce');
      expect(classify({ from: 'PostMaster@Example.com' }).kind).toBe('bounce');
      expect(classify({ envelopeFrom: 'mailer-daemon@mx.example.com' })).toMatchObject({ kind: 'bounce', reason: expect.stringMatching(/envelope/) });
      // Only the local part counts: a domain named postmaster is someone's address.
      expect(classify({ from: 'lan@postmaster.example.com' }).kind).toBe('complaint');
      expect(classify({ from: 'postmaster.fan@example.com' }).kind).toBe('complaint');
    });

    it('recognises delivery-status and disposition-notification reports', () => {
      expect(classify({ contentType: 'multipart/report; report-type=delivery-status; boundary="x"' })).toMatchObject({
        kind: 'bounce',
        reason: expect.stringMatching(/multipart\/report.*delivery-status/),
      });
      expect(classify({}, { 'content-type': 'Multipart/Report; report-type="disposition-notification"; boundary=y' }).kind).toBe('bounce');
    });

    it('falls back to Return-Path when the envelope is not known (IMAP)', () => {
      expect(classify({ envelopeFrom: undefined }, { 'return-path': '<>' })).toMatchObject({ kind: 'bounce', reason: expect.stringMatching(/Return-Path/) });
      expect(classify({ envelopeFrom: undefined }, { 'return-path': `<${person}>` }).kind).toBe('complaint');
      expect(classify({ envelopeFrom: undefined }).kind).toBe('complaint');
      // A known envelope wins over the header.
      expect(classify({ envelopeFrom: person }, { 'return-path': '<>' }).kind).toBe('complaint');
    });

    it('puts a bounce before any auto-reply marker it also carries', () => {
      expect(classify({ envelopeFrom: '' }, { 'auto-submitted': 'auto-replied' }).kind).toBe('bounce');
    });
  });

  describe('auto-replies', () => {
    it('treats Auto-Submitted other than no as an auto-reply', () => {
      for (const v of ['auto-replied', 'auto-generated', 'Auto-Replied; owner-email="x@y"', 'auto-notified (vacation)']) {
        const r = classify({}, { 'auto-submitted': v });
        expect(r.kind, v).toBe('auto_reply');
        expect(r.reason).toMatch(/^Auto-Submitted/);
      }
      expect(classify({}, { 'auto-submitted': 'no' }).kind).toBe('complaint');
      expect(classify({}, { 'auto-submitted': 'No (a person wrote this)' }).kind).toBe('complaint');
    });

    it('treats X-Autoreply and X-Autorespond as auto-replies whatever their value', () => {
      expect(classify({}, { 'x-autoreply': 'yes' })).toMatchObject({ kind: 'auto_reply', reason: expect.stringMatching(/X-Autoreply/) });
      expect(classify({}, { 'x-autorespond': '' })).toMatchObject({ kind: 'auto_reply', reason: expect.stringMatching(/X-Autorespond/) });
    });

    it('reads X-Auto-Response-Suppress for All, OOF or AutoReply only', () => {
      for (const v of ['All', 'OOF', 'DR, RN, NRN, OOF, AutoReply', 'autoreply']) {
        expect(classify({}, { 'x-auto-response-suppress': v }).kind, v).toBe('auto_reply');
      }
      expect(classify({}, { 'x-auto-response-suppress': 'DR, RN, NRN' }).kind).toBe('complaint');
    });

    it('treats Precedence: auto_reply as an auto-reply', () => {
      expect(classify({}, { precedence: 'auto_reply' })).toEqual({ kind: 'auto_reply', reason: 'Precedence: auto_reply' });
    });

    it('recognises vacation subjects even with no header at all', () => {
      for (const subject of [
        'Out of Office: Khiếu nại đơn hàng',
        'Out of office until Monday',
        'Automatic reply: [KN-2026-000123] Sen đã tiếp nhận',
        'Auto: Đơn hàng 123',
        'AutoReply: away',
        'Trả lời tự động: Khiếu nại',
        'TRẢ LỜI TỰ ĐỘNG: Khiếu nại',
        'Vắng mặt: đến 20/01',
      ]) {
        const r = classify({ subject });
        expect(r.kind, subject).toBe('auto_reply');
        expect(r.reason).toMatch(/Subject/);
      }
    });

    it('reads the subject from the headers when no decoded subject is given, and NFC-normalizes it', () => {
      expect(classify({}, { subject: 'Automatic reply: hello' }).kind).toBe('auto_reply');
      expect(classify({ subject: 'Trả lời tự động: x'.normalize('NFD') }).kind).toBe('auto_reply');
    });

    it('does not take a complaint about an absence for a vacation notice', () => {
      for (const subject of ['Nhân viên vắng mặt khi giao hàng', 'Vắng mặt khi giao hàng', 'Re: Automatic reply ở tổng đài không giúp gì', 'Autodesk license', 'Automobile bị trầy']) {
        expect(classify({ subject }).kind, subject).toBe('complaint');
      }
    });

    it('calls a vacation notice sent as bulk an auto-reply', () => {
      expect(classify({ subject: 'Out of Office: x' }, { precedence: 'bulk' }).kind).toBe('auto_reply');
    });

    it('recognises its own X-Loop', () => {
      expect(classify({}, { 'x-loop': 'sen@cskh.example.vn' })).toMatchObject({ kind: 'auto_reply', reason: expect.stringMatching(/X-Loop/) });
      expect(classify({}, { 'x-loop': 'SEN' }).kind).toBe('auto_reply');
      expect(classify({}, { 'x-loop': 'ticket-system@other.example' }).kind).toBe('complaint');
    });
  });

  describe('bulk mail', () => {
    it('reads Precedence: bulk, junk and list', () => {
      for (const v of ['bulk', 'Junk', 'list']) {
        expect(classify({}, { precedence: v }), v).toEqual({ kind: 'bulk', reason: `Precedence: ${v.toLowerCase()}` });
      }
      expect(classify({}, { precedence: 'first-class' }).kind).toBe('complaint');
    });

    it('reads List-Id and List-Unsubscribe', () => {
      expect(classify({}, { 'list-id': 'Khuyen mai <km.lists.example.com>' })).toMatchObject({ kind: 'bulk', reason: expect.stringMatching(/List-Id/) });
      expect(classify({}, { 'list-unsubscribe': '<mailto:u@example.com>' })).toMatchObject({ kind: 'bulk', reason: expect.stringMatching(/List-Unsubscribe/) });
    });

    it('accepts a Map as well as a record, and header names in any case', () => {
      expect(classify({ headers: new Map([['list-id', 'x']]) }).kind).toBe('bulk');
      expect(classify({}, { 'List-Id': 'x' }).kind).toBe('bulk');
    });
  });
});
