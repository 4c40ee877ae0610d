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
 * A run of digits with separators as people type them between groups: one space, hyphen or dot, or two
 * spaces; not part of a longer run of digits. A card number may be only part of a run ("4111 1111 1111 1111
 * 123" with its CVV, "1 4111…" after a list number), so windows of it are tried too (below).
 */
const RUN = /(?<!\d)\d(?:(?:[ .-]| {2})?\d)*(?!\d)/g;
const SEPARATOR = /[ .-]/;
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

/**
 * Where the card numbers of one run of digits are, as [first, last] indexes into its digits. The whole run
 * first; failing that, windows of 15–19 digits that begin and end where a group does (the run's ends, or a
 * separator), so that a card typed with its expiry or CVV behind it, or a number in front, is still found,
 * while groups of a phone or an account number are never cut in two to make a match.
 */
function cardWindows(run: string): [number, number][] {
  const digits: string[] = [];
  const startsGroup: boolean[] = [];
  const endsGroup: boolean[] = [];
  for (let i = 0; i < run.length; i += 1) {
    if (SEPARATOR.test(run[i])) continue;
    startsGroup.push(i === 0 || SEPARATOR.test(run[i - 1]));
    endsGroup.push(i === run.length - 1 || SEPARATOR.test(run[i + 1]));
    digits.push(run[i]);
  }
  const all = digits.join('');
  if (all.length >= MIN_DIGITS && all.length <= MAX_DIGITS && isPaymentCardNumber(all)) return [[0, all.length - 1]];
  const found: [number, number][] = [];
  for (let i = 0; i + MIN_DIGITS <= all.length; ) {
    let taken = 0;
    if (startsGroup[i]) {
      for (let length = Math.min(MAX_DIGITS, all.length - i); length >= MIN_DIGITS; length -= 1) {
        if (endsGroup[i + length - 1] && isPaymentCardNumber(all.slice(i, i + length))) {
          taken = length;
          break;
        }
      }
    }
    if (taken) {
      found.push([i, i + taken - 1]);
      i += taken;
    } else i += 1;
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
