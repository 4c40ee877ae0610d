import { describe, expect, it } from 'vitest';
import { backupName, backupsToPrune, newestBackupAt, type Backup } from './backup';

describe('backup names and retention', () => {
  it('names a backup by its Vietnam date and time, so that names sort by age', () => {
    expect(backupName(new Date('2026-11-27T17:30:05Z'))).toBe('sen-backup-20261128-003005');
    expect(backupName(new Date('2026-12-31T16:59:59Z')) < backupName(new Date('2026-12-31T17:00:00Z'))).toBe(true);
  });

  it('deletes the oldest so that the newest `keep` stay, and never the last one', () => {
    const names = ['sen-backup-20261125-120000', 'sen-backup-20261127-120000', 'sen-backup-20261126-120000'];
    expect(backupsToPrune(names, 2)).toEqual(['sen-backup-20261125-120000']);
    expect(backupsToPrune(names, 0)).toEqual(['sen-backup-20261126-120000', 'sen-backup-20261125-120000']);
    expect(backupsToPrune(names, 7)).toEqual([]);
    // Folders it did not name are not its to delete, and do not take a place.
    expect(backupsToPrune(['sen-backup-old-copy', ...names, 'sen-backup-20261124-120000.partial'], 2)).toEqual(['sen-backup-20261125-120000']);
  });

  it('takes the newest backup made at or before now for the schedule (one dated later was made with a wrong clock)', () => {
    const b = (createdAt: string) => ({ manifest: { createdAt } }) as Backup;
    const now = new Date('2026-11-27T05:00:00Z');
    expect(newestBackupAt([b('2027-11-27T05:00:00Z'), b('2026-11-26T19:00:00Z'), b('2026-11-25T19:00:00Z')], now)?.toISOString()).toBe('2026-11-26T19:00:00.000Z');
    expect(newestBackupAt([b('2027-01-01T00:00:00Z')], now)).toBeNull();
  });
});
