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
  const chain = (payloads: Record<string, unknown>[], types: string[]) => {
    const events: (HashableEvent & { hash: string })[] = [];
    payloads.forEach((payload, i) => {
      const e = { complaintId: 'c1', seq: i + 1, type: types[i], actorType: 'agent', actorId: 'a1', channel: 'console', payload, createdAt: new Date(Date.UTC(2026, 10, 27, 1, i)), prevHash: events.at(-1)?.hash ?? '' };
      events.push({ ...e, hash: eventHash(e) });
    });
    return events;
  };
  const head = (events: { hash: string }[]) => ({ eventCount: events.length, lastEventHash: events.at(-1)!.hash });

  it('verifies when the redacted events are the ones its erasure event lists', () => {
    const events = chain([{ subject: 'Nguyễn Văn An' }, { to: 'closed' }, { reason: 'request', redactedSeqs: [1] }], ['complaint.created', 'status.changed', ANONYMISED_EVENT]);
    events[0].payload = { subject: REDACTED };
    expect(verifyChain(events, head(events))).toEqual([]);
  });
  it('still reports an event changed that the erasure did not list, and a forged list', () => {
    const events = chain([{ subject: 'Nguyễn Văn An' }, { note: 'x' }, { reason: 'request', redactedSeqs: [1] }], ['complaint.created', 'note.added', ANONYMISED_EVENT]);
    events[1].payload = { note: 'y' };
    expect(verifyChain(events, head(events))).toEqual([{ seq: 2, problem: 'hash_mismatch' }]);
    const forged = chain([{ subject: 'Nguyễn Văn An' }, { note: 'x' }, { reason: 'request', redactedSeqs: [1] }], ['complaint.created', 'note.added', ANONYMISED_EVENT]);
    forged[1].payload = { note: 'y' };
    forged[2].payload = { reason: 'request', redactedSeqs: [1, 2] };
    expect(verifyChain(forged, head(forged)).map((p) => p.seq).sort()).toEqual([2, 3]);
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
