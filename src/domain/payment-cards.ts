/**
 * Payment card numbers (PAN) typed into free text — "tôi đã thanh toán bằng thẻ 4111 1111 1111 1111" — are
 * masked before anything is stored: a card number is sensitive personal data (financial information, Law
 * 91/2025) that no complaint needs, and whoever holds it can pay with it (PCI DSS forbids keeping it in
 * clear). The last four digits stay, which is what a refund or a bank's dispute asks for.
 *
 * A run of 15–19 digits (spaces or hyphens between them allowed) counts as a card number only when its
 * first digits belong to a card network and its check digit is right (Luhn), so that order numbers, phone
 * numbers and the bank account numbers customers give for a refund (which have no check digit and are
 * needed) are left alone: a random run passes both tests about once in a few hundred.
 */

/** Networks by leading digits and lengths: Visa, Mastercard, Amex, JCB, UnionPay, NAPAS (Vietnam), Discover. */
const NETWORKS: { prefix: RegExp; lengths: readonly number[] }[] = [
  { prefix: /^4/, lengths: [16, 19] },
  { prefix: /^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/, lengths: [16] },
  { prefix: /^3[47]/, lengths: [15] },
  { prefix: /^35(2[89]|[3-8]\d)/, lengths: [16, 17, 18, 19] },
  { prefix: /^62/, lengths: [16, 17, 18, 19] },
  { prefix: /^9704/, lengths: [16, 19] },
  { prefix: /^(6011|65|64[4-9])/, lengths: [16, 17, 18, 19] },
];

/**
 * A run of digits with separators as people type them between groups: a space (also a no-break one), a
 * hyphen or a dot, or two spaces; not part of a longer run of digits. A card number may be only part of a run
 * ("4111 1111 1111 1111 123" with its CVV, "1 4111…" after a list number), so windows of it are tried too (below).
 */
const RUN = /(?<!\d)\d(?:(?:[ .\-\u00a0\u202f]| {2})?\d)*(?!\d)/g;
const SEPARATOR = /[ .\-\u00a0\u202f]/;
const MIN_DIGITS = 15;
const MAX_DIGITS = 19;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isPaymentCardNumber(digits: string): boolean {
  return NETWORKS.some((n) => n.lengths.includes(digits.length) && n.prefix.test(digits)) && luhnValid(digits);
}

/** A run's groups of digits, each with the separator before it ('' for the first). */
function groupsOf(run: string): { digits: string; sep: string }[] {
  const groups: { digits: string; sep: string }[] = [];
  let sep = '';
  let digits = '';
  for (const ch of run) {
    if (SEPARATOR.test(ch)) {
      if (digits) groups.push({ digits, sep });
      if (digits) sep = '';
      digits = '';
      sep += ch;
    } else digits += ch;
  }
  if (digits) groups.push({ digits, sep });
  return groups;
}

/**
 * Whether groups read as one card number written as people write them: one block of digits, or groups of four
 * with a last one of one to four ("4111 1111 1111 1111", "… 123" of 19 digits), or American Express's 4-6-5. A
 * dot separates only groups of exactly four ("4111.1111.1111.1111"): dotted groups of three are amounts
 * ("5.030.000") and dates, which must never be read as a card.
 */
function cardShaped(groups: { digits: string; sep: string }[]): boolean {
  if (groups.length === 1) return true;
  const sizes = groups.map((g) => g.digits.length);
  if (groups.slice(1).some((g) => g.sep.includes('.'))) return sizes.every((n) => n === 4);
  if (sizes.length === 3 && sizes[0] === 4 && sizes[1] === 6 && sizes[2] === 5) return true;
  return sizes.slice(0, -1).every((n) => n === 4) && sizes[sizes.length - 1] >= 1 && sizes[sizes.length - 1] <= 4;
}

/**
 * Where the card numbers of one run of digits are, as [first, last] indexes into its digits: runs of whole
 * groups of 15–19 digits shaped like a card (cardShaped), the whole run first, then windows of it from left to
 * right, so that a card typed with its expiry or CVV behind it, or a number in front, is still found, while a
 * list of amounts, dates or phone numbers (groups of two or three) never makes one.
 */
function cardWindows(run: string): [number, number][] {
  const groups = groupsOf(run);
  const offsets: number[] = [];
  let total = 0;
  for (const g of groups) {
    offsets.push(total);
    total += g.digits.length;
  }
  const found: [number, number][] = [];
  for (let a = 0; a < groups.length; ) {
    let taken = -1;
    let length = 0;
    let b = a;
    for (; b < groups.length && length + groups[b].digits.length <= MAX_DIGITS; b += 1) length += groups[b].digits.length;
    // Longest first: groups a..b-1 hold at most 19 digits.
    for (let end = b - 1, n = length; end >= a && n >= MIN_DIGITS; n -= groups[end].digits.length, end -= 1) {
      const window = groups.slice(a, end + 1);
      if (cardShaped(window) && isPaymentCardNumber(window.map((g) => g.digits).join(''))) {
        taken = end;
        break;
      }
    }
    if (taken >= 0) {
      found.push([offsets[a], offsets[taken] + groups[taken].digits.length - 1]);
      a = taken + 1;
    } else a += 1;
  }
  return found;
}

/**
 * The text with every payment card number in it masked: each digit but the last four becomes `*`, the
 * separators and any digits around the card stay where they were ("**** **** **** 1111 123"). `masked` counts them.
 */
export function maskPaymentCards(text: string): { text: string; masked: number } {
  let masked = 0;
  // Most texts hold no four digits together at all: nothing to build then.
  if (!/\d[ .-]?\d[ .-]?\d[ .-]?\d/.test(text)) return { text, masked };
  const out = text.replace(RUN, (run) => {
    if (run.length < MIN_DIGITS) return run;
    const windows = cardWindows(run);
    if (!windows.length) return run;
    masked += windows.length;
    // Digit index → masked or not: digits of a window but its last four.
    let result = '';
    let digit = 0;
    let w = 0;
    for (const ch of run) {
      if (SEPARATOR.test(ch)) {
        result += ch;
        continue;
      }
      while (w < windows.length && digit > windows[w][1]) w += 1;
      const inside = w < windows.length && digit >= windows[w][0] && digit <= windows[w][1] - 4;
      result += inside ? '*' : ch;
      digit += 1;
    }
    return result;
  });
  return { text: out, masked };
}

/** The text with card numbers masked (maskPaymentCards), for the places that only need the text. */
export const withoutCardNumbers = (text: string): string => maskPaymentCards(text).text;

/**
 * A reference (order, refund or shipment number) with card numbers masked only where it is more than one: a
 * reference that is a bare number, or letters and a number ("DH-4111111111111111"), is an identifier the
 * company needs as it is — one long number in ten that starts like a card passes the check digit by chance.
 */
export const referenceWithoutCardNumbers = (ref: string): string => (/^[A-Za-z]{0,6}[-/]?\d+$/.test(ref) ? ref : withoutCardNumbers(ref));
