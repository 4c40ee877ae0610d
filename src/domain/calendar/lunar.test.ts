import { describe, it, expect } from 'vitest';
import amlich from 'amlich';
import { CalendarError } from './errors';
import { lunarToSolar, solarToLunar } from './lunar';
import { dayNumberOf, ymdOfDayNumber } from './civil';

const YEARS = Array.from({ length: 300 }, (_, i) => 1900 + i);

function oracleSolar(day: number, month: number, year: number, leap = false): string {
  const [d, m, y] = amlich.convertLunar2Solar(day, month, year, leap ? 1 : 0, 7);
  return `${y}-${m}-${d}`;
}

function solar(day: number, month: number, year: number, leap = false): string {
  const r = lunarToSolar(day, month, year, leap);
  return `${r.year}-${r.month}-${r.day}`;
}

describe('lunar calendar (Hồ Ngọc Đức, UTC+7) against the amlich oracle', () => {
  it('gives Tết (1/1 âm lịch) of every year 1900–2199 as amlich does', () => {
    for (const year of YEARS) expect(solar(1, 1, year), `Tết ${year}`).toBe(oracleSolar(1, 1, year));
  });

  it('gives Giỗ Tổ Hùng Vương (10/3 âm lịch) of every year 1900–2199 as amlich does', () => {
    for (const year of YEARS) expect(solar(10, 3, year), `Giỗ Tổ ${year}`).toBe(oracleSolar(10, 3, year));
  });

  it('converts every solar day 1900–2199 to the same lunar date as amlich, except amlich\'s two "day 0" bugs', () => {
    const mismatches: string[] = [];
    for (let dn = dayNumberOf(1900, 1, 1); dn <= dayNumberOf(2199, 12, 31); dn += 1) {
      const { year, month, day } = ymdOfDayNumber(dn);
      const ours = solarToLunar(day, month, year);
      const [ld, lm, ly, leap] = amlich.convertSolar2Lunar(day, month, year, 7);
      if (ours.day !== ld || ours.month !== lm || ours.year !== ly || ours.leap !== (leap === 1)) {
        mismatches.push(`${year}-${month}-${day}: amlich ${ld}/${lm}/${ly}, ours ${ours.day}/${ours.month}/${ours.year}`);
      }
    }
    // amlich's k estimate is one lunation too high on these two days and it answers lunar day 0;
    // the day before is 29 and the day after is mùng 1, so the right answer is day 30.
    expect(mismatches).toEqual([
      '2054-5-7: amlich 0/4/2054, ours 30/3/2054',
      '2062-4-9: amlich 0/3/2062, ours 30/2/2062',
    ]);
  });

  it('round-trips every solar day 1900–2199 through the lunar date, leap months included', () => {
    let mismatches = 0;
    let leapDays = 0;
    for (let dn = dayNumberOf(1900, 2, 1); dn <= dayNumberOf(2199, 12, 31); dn += 1) {
      const { year, month, day } = ymdOfDayNumber(dn);
      const l = solarToLunar(day, month, year);
      if (l.leap) leapDays += 1;
      const back = lunarToSolar(l.day, l.month, l.year, l.leap);
      if (dayNumberOf(back.year, back.month, back.day) !== dn) mismatches += 1;
    }
    expect(mismatches).toBe(0);
    expect(leapDays).toBeGreaterThan(100 * 29);
  });

  it('uses UTC+7, not the Chinese UTC+8 calendar (Tết 2007 and 2030 differ)', () => {
    expect(lunarToSolar(1, 1, 2007)).toEqual({ year: 2007, month: 2, day: 17 });
    expect(lunarToSolar(1, 1, 2030)).toEqual({ year: 2030, month: 2, day: 2 });
    expect(lunarToSolar(1, 1, 2007, false, 8)).toEqual({ year: 2007, month: 2, day: 18 });
    expect(lunarToSolar(1, 1, 2030, false, 8)).toEqual({ year: 2030, month: 2, day: 3 });
  });

  it('matches the research note: Tết 2024–2027 and Giỗ Tổ 2024–2027', () => {
    expect(solar(1, 1, 2024)).toBe('2024-2-10');
    expect(solar(1, 1, 2025)).toBe('2025-1-29');
    expect(solar(1, 1, 2026)).toBe('2026-2-17');
    expect(solar(1, 1, 2027)).toBe('2027-2-6');
    expect(solar(10, 3, 2024)).toBe('2024-4-18');
    expect(solar(10, 3, 2025)).toBe('2025-4-7');
    expect(solar(10, 3, 2026)).toBe('2026-4-26');
    expect(solar(10, 3, 2027)).toBe('2027-4-16');
  });

  it('converts leap months as amlich does (e.g. leap month 2 of 2023, leap month 6 of 2025)', () => {
    expect(solar(1, 2, 2023, true)).toBe(oracleSolar(1, 2, 2023, true));
    expect(solar(1, 6, 2025, true)).toBe(oracleSolar(1, 6, 2025, true));
    expect(solarToLunar(25, 7, 2025)).toEqual({ day: 1, month: 6, year: 2025, leap: true });
  });

  it('refuses a leap month the year does not have, day 30 of a 29-day month, and years out of range', () => {
    expect(() => lunarToSolar(1, 3, 2025, true)).toThrow(CalendarError);
    expect(() => lunarToSolar(1, 1, 2026, true)).toThrow(/no leap month/);
    // Tháng Chạp of Ất Tỵ (ending 16/2/2026) has 29 days: its last day is 29 Chạp.
    expect(solarToLunar(16, 2, 2026)).toEqual({ day: 29, month: 12, year: 2025, leap: false });
    expect(() => lunarToSolar(30, 12, 2025)).toThrow(/only 29 days/);
    expect(() => lunarToSolar(1, 1, 1899)).toThrow(expect.objectContaining({ code: 'out-of-range' }));
    expect(() => solarToLunar(1, 1, 2200)).toThrow(expect.objectContaining({ code: 'out-of-range' }));
    expect(() => solarToLunar(30, 2, 2024)).toThrow(expect.objectContaining({ code: 'invalid-date' }));
  });
});
