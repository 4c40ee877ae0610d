import { describe, expect, it } from 'vitest';
import { backupName, backupsToPrune } from './backup';

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
  });
});
