import { describe, expect, it } from 'vitest';
import { backupDue, backupName, backupsToPrune } from './backup';

describe('backup names, schedule and retention', () => {
  it('names a backup by its Vietnam date and time, so that names sort by age', () => {
    expect(backupName(new Date('2026-11-27T17:30:05Z'))).toBe('sen-backup-20261128-003005');
    expect(backupName(new Date('2026-12-31T16:59:59Z')) < backupName(new Date('2026-12-31T17:00:00Z'))).toBe(true);
  });

  it('is due when there is none, or none since the last 02:00 in Vietnam (a missed one as soon as Sen is back)', () => {
    const at = (iso: string) => new Date(iso);
    expect(backupDue(null, at('2026-11-27T05:00:00Z'), 2)).toBe(true);
    // 01:59 Vietnam time on the 28th: last night's 02:00 slot was the 27th's, and a backup was made at 02:00:05 that night.
    expect(backupDue(at('2026-11-26T19:00:05Z'), at('2026-11-27T18:59:00Z'), 2)).toBe(false);
    // 02:00 on the 28th: a new slot.
    expect(backupDue(at('2026-11-26T19:00:05Z'), at('2026-11-27T19:00:00Z'), 2)).toBe(true);
    // Made by hand at 15:00 on the 27th, after that night's slot: nothing more until the 28th's.
    expect(backupDue(at('2026-11-27T08:00:00Z'), at('2026-11-27T18:00:00Z'), 2)).toBe(false);
    // Sen was stopped over the 28th's 02:00: due when it starts at 09:00.
    expect(backupDue(at('2026-11-26T19:00:05Z'), at('2026-11-28T02:00:00Z'), 2)).toBe(true);
  });

  it('deletes the oldest so that the newest `keep` stay, and never the last one', () => {
    const names = ['sen-backup-20261125-120000', 'sen-backup-20261127-120000', 'sen-backup-20261126-120000'];
    expect(backupsToPrune(names, 2)).toEqual(['sen-backup-20261125-120000']);
    expect(backupsToPrune(names, 0)).toEqual(['sen-backup-20261126-120000', 'sen-backup-20261125-120000']);
    expect(backupsToPrune(names, 7)).toEqual([]);
  });
});
