// Unit tests of the web app's VND amount input (web/src/vnd-amount.ts). They live here because
// vitest.config.ts only collects src/, test/ and e2e/; nothing here touches a database.
import { describe, expect, it } from 'vitest';
import { formatVndWhileTyping, normalizeVndInput, parseVndAmount } from '../web/src/vnd-amount';

const ok = (value: number) => ({ state: 'ok', value });
const refused = (problem: string) => ({ state: 'invalid', problem });

describe('parseVndAmount', () => {
  it.each([
    ['1.850.000', 1_850_000],
    ['1,850,000', 1_850_000],
    ['1850000', 1_850_000],
    ['1.850.000,00', 1_850_000],
    ['1,850,000.00', 1_850_000],
    ['1.850.000,0', 1_850_000],
    ['1850000.00', 1_850_000],
    [' 2 000 000 ₫', 2_000_000],
    ['2\u00a0000\u00a0000 ₫', 2_000_000],
    ['2.000.000đ', 2_000_000],
    ['500.000 VNĐ', 500_000],
    ['1.850', 1_850],
    ['0', 0],
    ['100.000.000.000', 100_000_000_000],
  ])('reads %j as %d', (text, value) => {
    expect(parseVndAmount(text)).toEqual(ok(value));
  });

  it.each([
    ['1.850.000,50', 'fraction'],
    ['1,850,000.50', 'fraction'],
    ['2.000.000,50', 'fraction'],
    ['12,5', 'fraction'],
    ['abc', 'invalid'],
    ['12abc', 'invalid'],
    ['--5', 'invalid'],
    ['-5', 'negative'],
    ['−1.000', 'negative'],
    // A decimal mark that is also the thousands mark could be a missing zero: 1.850.000.000?
    ['1.850.000.00', 'invalid'],
    ['1.850,000', 'invalid'],
    ['18.50.000', 'invalid'],
    ['0.500', 'invalid'],
    ['12 5', 'invalid'],
    ['1..000', 'invalid'],
    ['1.000.', 'invalid'],
    [',5', 'invalid'],
    ['1234567890123456', 'too_large'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(parseVndAmount(text)).toEqual(refused(problem));
  });

  it('reads nothing typed as empty', () => {
    expect(parseVndAmount('')).toEqual({ state: 'empty' });
    expect(parseVndAmount('   ')).toEqual({ state: 'empty' });
  });
});

describe('formatVndWhileTyping', () => {
  /** The box after typing `text` one key at a time, formatting after each as the form does. */
  function typed(text: string): string {
    let box = '';
    for (const ch of text) box = formatVndWhileTyping(box + ch);
    return box;
  }

  it('groups digits as they are typed', () => {
    expect(typed('1850000')).toBe('1.850.000');
    expect(formatVndWhileTyping('1.8500')).toBe('18.500');
    expect(formatVndWhileTyping('0005')).toBe('5');
  });

  it('never folds a decimal part into the amount, key by key or pasted', () => {
    for (const [text, shown] of [
      ['1.850.000,00', '1.850.000,00'],
      ['1,850,000.00', '1,850,000.00'],
      ['1850000,00', '1.850.000,00'],
    ]) {
      const box = typed(text);
      expect(box).toBe(shown);
      expect(parseVndAmount(box)).toEqual(ok(1_850_000));
      expect(normalizeVndInput(box)).toBe('1.850.000');
    }
    expect(formatVndWhileTyping('1.850.000,00')).toBe('1.850.000,00');
    expect(parseVndAmount(typed('2.000.000,50'))).toEqual(refused('fraction'));
    expect(parseVndAmount(typed('12,5'))).toEqual(refused('fraction'));
  });

  it('keeps the thousands mark the user types until the box is left', () => {
    expect(formatVndWhileTyping('1,850,000')).toBe('1,850,000');
    expect(normalizeVndInput('1,850,000')).toBe('1.850.000');
  });

  it('leaves what is not an amount as typed, for the error to name', () => {
    expect(formatVndWhileTyping('abc')).toBe('abc');
    expect(formatVndWhileTyping('-5')).toBe('-5');
    expect(formatVndWhileTyping(' 2 000 000 ₫')).toBe(' 2 000 000 ₫');
    expect(normalizeVndInput(' 2 000 000 ₫')).toBe('2.000.000');
    expect(normalizeVndInput('1.850.000,50')).toBe('1.850.000,50');
    expect(formatVndWhileTyping('')).toBe('');
  });
});
