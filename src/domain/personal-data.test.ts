import { describe, expect, it } from 'vitest';
import { ANONYMISED_EVENT, REDACTED, dataRequestDeadlines, daysPeriodEnd, redactPayload, retentionCutoff } from './personal-data';
import { defaultCalendar, isWorkingDay } from './calendar';
import { toVietnamIso } from './time';
import { eventHash, verifyChain, type HashableEvent } from './timeline-hash';

describe('redactPayload', () => {
  it('keeps what the history needs and drops every text about the person, even one lower-case word', () => {
    const payload = {
      from: 'received',
      to: 'acknowledged',
      channel: 'email',
      reason: 'Khách Nguyễn Văn An gọi lại',
      subject: 'lan',
      at: '2026-11-27T03:00:00.000Z',
      day: '2026-11-30',
      requestId: '3f0c2a4e-9b1d-4c1e-8f00-0123456789ab',
      previousCode: 'KN-2026-000123',
      amountVnd: 1_500_000,
      accepted: true,
      attachments: [{ filename: 'hoa-don.png', sha256: 'a'.repeat(64), size: 1200, contentType: 'image/png' }],
      contacts: { phone: '+84912345678', email: 'an@example.com' },
      kind: 'Số 12 ngõ 5',
    };
    expect(redactPayload(payload)).toEqual({
      from: 'received',
      to: 'acknowledged',
      channel: 'email',
      reason: REDACTED,
      subject: REDACTED,
      at: '2026-11-27T03:00:00.000Z',
      day: '2026-11-30',
      requestId: '3f0c2a4e-9b1d-4c1e-8f00-0123456789ab',
      previousCode: 'KN-2026-000123',
      amountVnd: 1_500_000,
      accepted: true,
      attachments: [{ filename: REDACTED, sha256: 'a'.repeat(64), size: 1200, contentType: 'image/png' }],
      contacts: { phone: REDACTED, email: REDACTED },
      kind: REDACTED,
    });
  });
});

describe('retentionCutoff', () => {
  it('goes back whole months, to the last day of a shorter month', () => {
    expect(retentionCutoff(new Date('2026-03-31T05:00:00Z'), 1)?.toISOString()).toBe('2026-02-28T05:00:00.000Z');
    expect(retentionCutoff(new Date('2028-03-31T05:00:00Z'), 1)?.toISOString()).toBe('2028-02-29T05:00:00.000Z');
    expect(retentionCutoff(new Date('2026-11-27T05:00:00Z'), 60)?.toISOString()).toBe('2021-11-27T05:00:00.000Z');
    expect(retentionCutoff(new Date('2026-01-15T00:00:00Z'), 13)?.toISOString()).toBe('2024-12-15T00:00:00.000Z');
  });
  it('keeps data for ever when the period is 0', () => {
    expect(retentionCutoff(new Date(), 0)).toBeNull();
  });
});

describe('a hash chain after an erasure', () => {
  type Ev = HashableEvent & { hash: string };
  const base = (seq: number, type: string, payload: Record<string, unknown>, prevHash: string): HashableEvent => ({
    complaintId: 'c1', seq, type, actorType: 'agent', actorId: 'a1', channel: 'console', payload, createdAt: new Date(Date.UTC(2026, 10, 27, 1, seq)), prevHash,
  });
  /** Two events, then an erasure that redacts the first: as anonymiseCustomer writes it. */
  const erased = () => {
    const e1 = base(1, 'complaint.created', { channel: 'web', subject: 'Nguyễn Văn An' }, '');
    const h1 = eventHash(e1);
    const e2 = base(2, 'status.changed', { from: 'received', to: 'closed' }, h1);
    const h2 = eventHash(e2);
    const redacted = { ...e1, payload: { channel: 'web', subject: REDACTED } };
    const e3 = base(3, ANONYMISED_EVENT, { reason: 'request', redacted: [{ seq: 1, hash: eventHash(redacted) }] }, h2);
    const events: Ev[] = [{ ...redacted, hash: h1 }, { ...e2, hash: h2 }, { ...e3, hash: eventHash(e3) }];
    return { events, head: { eventCount: 3, lastEventHash: events[2].hash } };
  };

  it('verifies: the redacted event links by its original hash and matches the hash the erasure recorded', () => {
    const { events, head } = erased();
    expect(verifyChain(events, head)).toEqual([]);
  });
  it('still catches a redacted event altered afterwards: its type, time or the values the redaction keeps', () => {
    for (const change of [{ type: 'note.added' }, { createdAt: new Date(0) }, { payload: { channel: 'email', subject: REDACTED } }]) {
      const { events, head } = erased();
      Object.assign(events[0], change);
      expect(verifyChain(events, head)).toEqual([{ seq: 1, problem: 'hash_mismatch' }]);
    }
  });
  it('still catches an event the erasure did not list, and an altered list', () => {
    const { events, head } = erased();
    events[1].payload = { from: 'received', to: 'rejected' };
    expect(verifyChain(events, head)).toEqual([{ seq: 2, problem: 'hash_mismatch' }]);
    const forged = erased();
    forged.events[2].payload = { reason: 'request', redacted: [] };
    expect(verifyChain(forged.events, forged.head).map((p) => p.seq).sort()).toEqual([1, 3]);
  });
});

describe('deadlines of a data-subject request', () => {
  const cal = defaultCalendar();
  it('gives 2 working days for the first reply and 15 days, ending on a working day, to carry it out', () => {
    // Friday 27/11/2026 10:00: the reply by Tuesday 01/12 17:00; day 15 is Saturday 12/12, so Monday 14/12 17:00.
    const d = dataRequestDeadlines(new Date('2026-11-27T10:00:00+07:00'), cal);
    expect(toVietnamIso(d.replyDueAt)).toBe('2026-12-01T17:00:00+07:00');
    expect(toVietnamIso(d.dueAt)).toBe('2026-12-14T17:00:00+07:00');
  });
  it('moves a period that ends on a day off to the next working day, whatever the holiday', () => {
    for (let i = 0; i < 400; i += 3) {
      const start = new Date(Date.UTC(2026, 0, 1, 3) + i * 86_400_000);
      const end = daysPeriodEnd(start, 15, cal);
      const last = new Date(Date.parse(`${toVietnamIso(start).slice(0, 10)}T00:00:00Z`) + 15 * 86_400_000).toISOString().slice(0, 10);
      const endDay = toVietnamIso(end).slice(0, 10);
      expect(endDay >= last).toBe(true);
      expect(isWorkingDay(endDay, cal)).toBe(true);
      for (let day = last; day < endDay; day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
        expect(isWorkingDay(day, cal), day).toBe(false);
      }
    }
  });
});
