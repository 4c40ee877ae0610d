import { describe, expect, it } from 'vitest';
import { isPaymentCardNumber, maskPaymentCards, referenceWithoutCardNumbers } from './payment-cards';

/** `body` completed with its Luhn check digit. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d += 1) {
    const candidate = `${body}${d}`;
    let sum = 0;
    for (let i = 0; i < candidate.length; i += 1) {
      let x = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}
const wrongCheckDigit = (card: string) => card.slice(0, -1) + String((Number(card.at(-1)) + 1) % 10);

describe('payment card numbers in free text', () => {
  const napas16 = withCheckDigit('970436123456789');
  const napas19 = withCheckDigit('970415123456789012');
  const cards = [
    '4111111111111111', // Visa
    '4012888888881881',
    withCheckDigit('411111111111111111'), // Visa, 19 digits
    '5555555555554444', // Mastercard
    '2223003122003222', // Mastercard 2-series
    '378282246310005', // American Express
    '3530111333300000', // JCB
    '6200000000000005', // UnionPay
    napas16, // NAPAS, the cards of Vietnamese banks
    napas19,
    '6011111111111117', // Discover
  ];

  it('recognises the card numbers of every network by prefix, length and check digit', () => {
    for (const c of cards) expect(isPaymentCardNumber(c), c).toBe(true);
    for (const c of cards) expect(isPaymentCardNumber(wrongCheckDigit(c)), c).toBe(false);
    // Right check digit, but no network starts so or has that length.
    expect(isPaymentCardNumber(withCheckDigit('190365123456789'))).toBe(false);
    expect(isPaymentCardNumber(withCheckDigit('55555555555544445'))).toBe(false);
    expect(isPaymentCardNumber(withCheckDigit('3782822463100'))).toBe(false);
  });

  it('masks all but the last four digits, keeping spaces and hyphens, wherever they stand in the text', () => {
    expect(maskPaymentCards('Tôi đã thanh toán bằng thẻ 4111 1111 1111 1111, hết hạn 12/28.')).toEqual({
      text: 'Tôi đã thanh toán bằng thẻ **** **** **** 1111, hết hạn 12/28.',
      masked: 1,
    });
    expect(maskPaymentCards(`Thẻ ATM ${napas19} bị trừ tiền hai lần; thẻ Amex 3782-822463-10005 nữa.`)).toEqual({
      text: `Thẻ ATM ${'*'.repeat(15)}${napas19.slice(-4)} bị trừ tiền hai lần; thẻ Amex ****-******-*0005 nữa.`,
      masked: 2,
    });
    expect(maskPaymentCards('(5555555555554444)').text).toBe('(************4444)');
    expect(maskPaymentCards('số thẻ:4012888888881881.').text).toBe('số thẻ:************1881.');
  });

  it('finds a card typed with its expiry or CVV behind it, a number in front, dots or double spaces between groups', () => {
    expect(maskPaymentCards('thẻ 4111 1111 1111 1111 123').text).toBe('thẻ **** **** **** 1111 123');
    expect(maskPaymentCards('4111111111111111 12/27, CVV 123').text).toBe('************1111 12/27, CVV 123');
    expect(maskPaymentCards('ma don 1 4111111111111111').text).toBe('ma don 1 ************1111');
    expect(maskPaymentCards('4111.1111.1111.1111').text).toBe('****.****.****.1111');
    expect(maskPaymentCards('4111  1111  1111  1111').text).toBe('****  ****  ****  1111');
    expect(maskPaymentCards('thẻ 4111\u00a01111\u00a01111\u00a01111').text).toBe('thẻ ****\u00a0****\u00a0****\u00a01111');
    expect(maskPaymentCards('Amex 3782 822463 10005 hết hạn 09 28').text).toBe('Amex **** ****** *0005 hết hạn 09 28');
    // Two cards in one run, and a card between a list number and its CVV.
    expect(maskPaymentCards('4111 1111 1111 1111 5555 5555 5555 4444')).toEqual({ text: '**** **** **** 1111 **** **** **** 4444', masked: 2 });
    expect(maskPaymentCards('2. 5555-5555-5555-4444-321').text).toBe('2. ****-****-****-4444-321');
  });

  it('leaves alone what is not a card: phones, bank accounts for a refund, order numbers, wrong check digits, longer runs', () => {
    const keep = [
      'Gọi tôi: 0912 345 678 hoặc +84 912 345 678.',
      'Hoàn tiền vào tài khoản Vietcombank 0071001234567, BIDV 12010000123456, Techcombank 19036512345678.',
      'Mã đơn DH-20261127000123, vận đơn GHN 8423 1234 5678 9012 3.',
      `Thẻ ${wrongCheckDigit('4111111111111111')} không hợp lệ.`,
      `Mã giao dịch 9${'4111111111111111'}7 (21 chữ số) và ${withCheckDigit('190365123456789')}.`,
      'Ngày 27/11/2026 lúc 10:30, số tiền 1.250.000 đ.',
      // Amounts (dots between thousands), dates and their ranges, side by side as a table row comes out of HTML.
      'Tủ lạnh 2 5.030.000 10.060.000',
      ...Array.from({ length: 400 }, (_, i) => `SP${i} ${1 + (i % 9)} ${((i * 7919) % 90_000 + 10_000) * 1000} ${((i * 104_729) % 900_000 + 100_000) * 1000}`.replace(/\B(?=(\d{3})+(?!\d))/g, '.')),
      'Từ 24.01.2025-03.02.2025 và 15.03.2025-20.03.2025, tổng 1.250.000 2.500.000 3.750.000 5.000.000 đ.',
      '400 000 500 000 600 000 700 000 800 000 đ',
      // Groups of phones and accounts are never cut in two to make a card.
      'Số 0912 345 678 0987 654 321 0903 123 456 và 0071 0012 3456 7890 1234 5.',
      `Mã giao dịch liền ${'4111111111111111'}12 (một khối 18 chữ số).`,
      '',
    ];
    for (const text of keep) expect(maskPaymentCards(text), text).toEqual({ text, masked: 0 });
  });
});

describe('payment card masking on long input', () => {
  it('goes through 200 KB of digits and separators in one pass (no backtracking blow-up)', () => {
    for (const text of ['1 '.repeat(100_000), '4'.repeat(200_000), '4111-'.repeat(40_000), `${'9'.repeat(18)} `.repeat(10_000)]) {
      expect(maskPaymentCards(text).masked).toBe(0);
    }
    const many = `${'Thẻ 4111 1111 1111 1111; '.repeat(5_000)}`;
    expect(maskPaymentCards(many).masked).toBe(5_000);
  });
});

describe('references (order, refund, shipment numbers)', () => {
  it('keeps a bare number or letters and a number as the identifier it is; masks a card written into more text', () => {
    for (const ref of ['4111111111111111', 'DH-4111111111111111', 'GHN4012888888881881', 'VCB/5555555555554444']) expect(referenceWithoutCardNumbers(ref)).toBe(ref);
    expect(referenceWithoutCardNumbers('thẻ 4111 1111 1111 1111')).toBe('thẻ **** **** **** 1111');
  });
});
