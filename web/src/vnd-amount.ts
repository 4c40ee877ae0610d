// Amounts in VND as staff type or paste them (a proposal's amount, the approval threshold). The
// dong has no minor unit, so a decimal part is either zeros left by a spreadsheet or a mistake:
// reading "1.850.000,50" by dropping the comma is how 1.850.000 became 185.000.050.

import type { MessageKey } from './i18n/vi';

/** Why a typed amount was refused. */
export type VndAmountProblem = 'fraction' | 'negative' | 'invalid' | 'too_large';

/** A typed amount: nothing typed, a whole number of dong, or refused with the reason. */
export type ParsedVndAmount =
  | { state: 'empty' }
  | { state: 'ok'; value: number }
  | { state: 'invalid'; problem: VndAmountProblem };

/** The message shown beside the field for each reason. */
export const VND_AMOUNT_PROBLEM_MESSAGES: Record<VndAmountProblem, MessageKey> = {
  fraction: 'validation.amountFraction',
  negative: 'validation.amountNegative',
  invalid: 'validation.amountInvalid',
  too_large: 'validation.amountTooLarge',
};

// 15 digits stay exact as a JavaScript number; the server's own limits are far below.
const MAX_DIGITS = 15;
const CURRENCY = /^(?:₫|đ|vnđ|vnd)\s*|\s*(?:₫|đ|vnđ|vnd)$/giu;
const MINUS = /^[-\u2212]/u;

/** 1500000 → "1.500.000" (dots between thousands, as Vietnamese amounts are written). */
export function groupThousands(n: number, separator = '.'): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.trunc(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

interface Pieces {
  /** Digit runs, in order; an empty one where two separators meet or one ends the text. */
  groups: string[];
  /** The separators between them, whitespace runs as ' '. */
  separators: string[];
}

/** "1.850.000,00" → groups 1|850|000|00, separators .|.|, — or null when it holds anything else. */
function piecesOf(text: string): Pieces | null {
  if (!/^[\d.,\s]*$/u.test(text)) return null;
  const parts = text.replace(/\s+/gu, ' ').split(/([.,\s])/u);
  return { groups: parts.filter((_, i) => i % 2 === 0), separators: parts.filter((_, i) => i % 2 === 1) };
}

/**
 * Reads an amount in whole VND as Vietnamese staff write it: "1.850.000", "1,850,000",
 * "1850000", "2 000 000 ₫"; a decimal part of one or two zeros ("1.850.000,00", "1,850,000.0")
 * is dropped. Refused, never guessed: a non-zero decimal part ("12,5"), a negative amount, a
 * thousands group that is not three digits, a decimal mark that is also the thousands mark
 * ("1.850.000.00"), mixed thousands marks, letters.
 */
export function parseVndAmount(text: string): ParsedVndAmount {
  const bare = text.trim().replace(CURRENCY, '').trim();
  if (!bare) return { state: 'empty' };
  if (MINUS.test(bare)) {
    return /^\d[\d.,\s]*$/u.test(bare.slice(1)) ? { state: 'invalid', problem: 'negative' } : { state: 'invalid', problem: 'invalid' };
  }
  const pieces = piecesOf(bare);
  if (!pieces || pieces.groups.some((g) => g === '')) return { state: 'invalid', problem: 'invalid' };
  const groups = [...pieces.groups];
  const separators = [...pieces.separators];
  // Thousands groups have three digits, so one or two after a last '.' or ',' are decimals.
  let fraction = '';
  let decimalMark = '';
  const last = groups[groups.length - 1];
  const lastMark = separators[separators.length - 1];
  if ((lastMark === '.' || lastMark === ',') && last.length <= 2) {
    fraction = groups.pop() ?? '';
    decimalMark = separators.pop() ?? '';
  }
  if (separators.length) {
    const mark = separators[0];
    const wellGrouped =
      separators.every((s) => s === mark) &&
      mark !== decimalMark &&
      /^[1-9]\d{0,2}$/.test(groups[0]) &&
      groups.slice(1).every((g) => g.length === 3);
    if (!wellGrouped) return { state: 'invalid', problem: 'invalid' };
  }
  if (/[1-9]/.test(fraction)) return { state: 'invalid', problem: 'fraction' };
  const digits = groups.join('').replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_DIGITS) return { state: 'invalid', problem: 'too_large' };
  return { state: 'ok', value: Number(digits) };
}

/**
 * What the amount box shows after each keystroke or paste: digits typed in a row are grouped
 * ("1850000" → "1.850.000", "1.8500" → "18.500"), keeping the user's thousands mark. Anything
 * that may still become a decimal part (a last group of fewer than three digits, a second kind of
 * mark) or is not digits and marks is left exactly as typed, so "1.850.000,00" typed key by key
 * ends as typed and never as 185.000.000.
 */
export function formatVndWhileTyping(text: string): string {
  const pieces = piecesOf(text.trim());
  if (!pieces) return text;
  const { groups, separators } = pieces;
  const digits = groups.join('');
  if (!digits || digits.replace(/^0+(?=\d)/, '').length > MAX_DIGITS) return text;
  if (!separators.length) return groupThousands(Number(digits));
  const mark = separators[0];
  const regroup =
    separators.every((s) => s === mark) &&
    groups.every((g) => g !== '') &&
    !groups[0].startsWith('0') &&
    groups[groups.length - 1].length >= 3;
  return regroup ? groupThousands(Number(digits), mark) : text;
}

/** The amount as it should stay in the box once the user leaves it: "1,850,000.00" → "1.850.000"; unchanged when refused or empty. */
export function normalizeVndInput(text: string): string {
  const parsed = parseVndAmount(text);
  return parsed.state === 'ok' ? groupThousands(parsed.value) : text;
}
