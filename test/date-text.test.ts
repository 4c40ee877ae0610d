// Unit tests of the web app's typed dates and times (web/src/date-text.ts); nothing here touches a database.
import { describe, expect, it } from 'vitest';
import { formatDateText, parseDateText, parseTimeText, timeOfLocal } from '../web/src/date-text';

describe('parseDateText', () => {
  it.each([
    ['25/12/2026', '2026-12-25'],
    ['5/1/2026', '2026-01-05'],
    [' 05 / 01 / 2026 ', '2026-01-05'],
    ['25-12-2026', '2026-12-25'],
    ['25.12.2026', '2026-12-25'],
    ['2026-12-25', '2026-12-25'],
    ['29/02/2028', '2028-02-29'],
    ['25122026', '2026-12-25'],
    ['', ''],
    ['   ', ''],
  ])('reads %j as %j (day first, as written in Vietnam)', (text, iso) => expect(parseDateText(text)).toBe(iso));
  it.each(['12/25/2026', '31/02/2026', '29/02/2026', '00/01/2026', '1/13/2026', '25/12/26', '2512026', '12252026', 'hôm nay', '2026-2-5', '25/12/2026 10:00'])(
    'refuses %j',
    (text) => expect(parseDateText(text)).toBeNull(),
  );
  it('formats back to dd/MM/yyyy', () => {
    expect(formatDateText('2026-01-05')).toBe('05/01/2026');
    expect(formatDateText('2026-12-25T10:30')).toBe('25/12/2026');
    expect(formatDateText('')).toBe('');
    for (const text of ['01/01/2026', '31/12/2026', '29/02/2028']) expect(formatDateText(parseDateText(text)!)).toBe(text);
  });
});

describe('parseTimeText', () => {
  it.each([
    ['14:30', '14:30'],
    ['9:05', '09:05'],
    ['14h30', '14:30'],
    ['14H30', '14:30'],
    ['9h', '09:00'],
    ['00:00', '00:00'],
    ['23:59', '23:59'],
    ['1430', '14:30'],
    ['930', '09:30'],
    ['', ''],
  ])('reads %j as %j (24-hour)', (text, hhmm) => expect(parseTimeText(text)).toBe(hhmm));
  it.each(['24:00', '12:60', '2460', '9', '14', '2:30 PM', 'trưa', '14:3', '14301'])('refuses %j', (text) => expect(parseTimeText(text)).toBeNull());
  it('keeps seconds when the field has them', () => {
    expect(parseTimeText('14:30:15', true)).toBe('14:30:15');
    expect(parseTimeText('14:30', true)).toBe('14:30:00');
    expect(parseTimeText('143015', true)).toBe('14:30:15');
    expect(parseTimeText('14:30:61', true)).toBeNull();
    expect(timeOfLocal('2026-12-25T14:30', true)).toBe('14:30:00');
    expect(timeOfLocal('2026-12-25T14:30:15', true)).toBe('14:30:15');
    expect(timeOfLocal('2026-12-25T14:30:15')).toBe('14:30');
    expect(timeOfLocal('')).toBe('');
  });
});
