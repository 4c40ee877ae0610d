import { describe, expect, it } from 'vitest';
import { lastNightlySlot, nightlyDue } from './time';

describe('nightly tasks (backup, upkeep) at an hour of the Vietnam night', () => {
  it('takes the latest slot at or before now, in Vietnam time', () => {
    expect(lastNightlySlot(new Date('2026-11-27T18:59:00Z'), 2).toISOString()).toBe('2026-11-26T19:00:00.000Z');
    expect(lastNightlySlot(new Date('2026-11-27T19:00:00Z'), 2).toISOString()).toBe('2026-11-27T19:00:00.000Z');
    expect(lastNightlySlot(new Date('2026-11-27T16:30:00Z'), 23).toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });

  it('is due when never done, or not since the last 02:00 in Vietnam (a missed one as soon as Sen is back)', () => {
    const at = (iso: string) => new Date(iso);
    expect(nightlyDue(null, at('2026-11-27T05:00:00Z'), 2)).toBe(true);
    // 01:59 Vietnam time on the 28th: last night's 02:00 slot was the 27th's, and a backup was made at 02:00:05 that night.
    expect(nightlyDue(at('2026-11-26T19:00:05Z'), at('2026-11-27T18:59:00Z'), 2)).toBe(false);
    // 02:00 on the 28th: a new slot.
    expect(nightlyDue(at('2026-11-26T19:00:05Z'), at('2026-11-27T19:00:00Z'), 2)).toBe(true);
    // Made by hand at 15:00 on the 27th, after that night's slot: nothing more until the 28th's.
    expect(nightlyDue(at('2026-11-27T08:00:00Z'), at('2026-11-27T18:00:00Z'), 2)).toBe(false);
    // Sen was stopped over the 28th's 02:00: due when it starts at 09:00.
    expect(nightlyDue(at('2026-11-26T19:00:05Z'), at('2026-11-28T02:00:00Z'), 2)).toBe(true);
    // Recorded a year ahead (the clock was wrong then): not trusted, due now.
    expect(nightlyDue(at('2027-11-27T19:00:05Z'), at('2026-11-28T02:00:00Z'), 2)).toBe(true);
  });

});
