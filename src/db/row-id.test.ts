import { describe, expect, it } from 'vitest';
import { newRowId } from './row-id';

describe('newRowId', () => {
  it('gives UUIDv7 ids of the current time, all different, also across refills of the random pool', () => {
    const before = Date.now();
    const ids = Array.from({ length: 2000 }, () => newRowId());
    const after = Date.now();
    expect(new Set(ids).size).toBe(ids.length);
    // The 74 random bits differ too, not only the time: no two ids share them.
    expect(new Set(ids.map((id) => id.slice(15))).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
  });
});
