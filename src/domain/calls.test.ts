import { describe, expect, it } from 'vitest';
import { CALL_CLOCK_SKEW_MS, CALL_MAX_AGE_MS, checkCallTimes } from './calls';

describe('a logged call’s times', () => {
  const now = new Date('2026-11-26T03:00:00Z');
  const at = (ms: number) => new Date(now.getTime() + ms);

  it('takes a call that just ended, one a little ahead of Sen’s clock, and one logged days later', () => {
    expect(checkCallTimes(at(-10 * 60_000), at(-2 * 60_000), now)).toEqual([]);
    expect(checkCallTimes(at(CALL_CLOCK_SKEW_MS - 1000), null, now)).toEqual([]);
    expect(checkCallTimes(at(-CALL_MAX_AGE_MS + 60_000), null, now)).toEqual([]);
  });

  it('refuses a start in the future or long past, an end before the start or in the future', () => {
    expect(checkCallTimes(new Date('2062-01-01T00:00:00Z'), null, now)).toEqual([{ field: 'startedAt', code: 'in_future' }]);
    expect(checkCallTimes(new Date('2019-01-01T00:00:00Z'), null, now)).toEqual([{ field: 'startedAt', code: 'too_old' }]);
    expect(checkCallTimes(at(-60_000), at(-120_000), now)).toEqual([{ field: 'endedAt', code: 'invalid_value' }]);
    expect(checkCallTimes(at(-60_000), at(CALL_CLOCK_SKEW_MS + 60_000), now)).toEqual([{ field: 'endedAt', code: 'in_future' }]);
  });
});
