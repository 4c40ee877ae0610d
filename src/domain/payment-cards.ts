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

/** Digits, each but the last followed by at most one space or hyphen; not part of a longer run of digits. */
const CANDIDATE = /(?<![\d])\d(?:[ -]?\d){14,18}(?![\d])/g;

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
 * The text with every payment card number in it masked: each digit but the last four becomes `*`, the
 * spaces and hyphens stay where they were ("**** **** **** 1111"). `masked` counts them.
 */
export function maskPaymentCards(text: string): { text: string; masked: number } {
  let masked = 0;
  // Most texts hold no run of 15 digits at all: nothing to build then.
  if (!/\d{4}/.test(text)) return { text, masked };
  const out = text.replace(CANDIDATE, (run) => {
    const digits = run.replace(/[ -]/g, '');
    if (!isPaymentCardNumber(digits)) return run;
    masked += 1;
    let keep = 4;
    let result = '';
    for (let i = run.length - 1; i >= 0; i -= 1) {
      const ch = run[i];
      if (ch === ' ' || ch === '-') result = ch + result;
      else if (keep > 0) {
        result = ch + result;
        keep -= 1;
      } else result = `*${result}`;
    }
    return result;
  });
  return { text: out, masked };
}

/** The text with card numbers masked (maskPaymentCards), for the places that only need the text. */
export const withoutCardNumbers = (text: string): string => maskPaymentCards(text).text;
