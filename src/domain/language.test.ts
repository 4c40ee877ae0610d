import { describe, expect, it } from 'vitest';
import { guessLanguage } from './language';

describe('guessLanguage: the language a customer wrote in', () => {
  it('finds English in an English complaint', () => {
    expect(guessLanguage('Broken kettle\nHello, I received my order yesterday but the kettle was broken. Please replace it.')).toBe('en');
    expect(guessLanguage("Refund not received — I'm still waiting for the refund of order 12345 after two weeks.")).toBe('en');
  });

  it('keeps Vietnamese for Vietnamese, with or without diacritics', () => {
    expect(guessLanguage('Đồng hồ bị lỗi\nTôi mua đồng hồ ngày 03/11, về nhà thì không chạy.')).toBe('vi');
    expect(guessLanguage('toi khong nhan duoc hang, shop giup em voi')).toBe('vi');
    expect(guessLanguage('Don hang chua giao, cam on shop')).toBe('vi');
  });

  it('keeps Vietnamese when English is only a few words or a signature in a Vietnamese mail', () => {
    expect(guessLanguage('Máy giặt bị rò nước, tôi đã gọi hotline nhưng chưa ai đến sửa.\n\nSent from my iPhone')).toBe('vi');
    expect(guessLanguage('Order 12345')).toBe('vi');
    expect(guessLanguage('')).toBe('vi');
  });

  it('does not count words both languages write alike (an, to, me, can, do, no)', () => {
    expect(guessLanguage('an to me can do no')).toBe('vi');
  });
});
