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

  it('reads only the customer’s own words: not what they quote, forward or sign with', () => {
    const quoted = [
      'Don hang bi giao tre',
      '',
      'On Mon, Nov 3, 2025 at 10:00 AM Shopee <noreply@shopee.vn> wrote:',
      '> Your order has been shipped. Thank you for shopping with us. Please rate your order.',
    ].join('\n');
    expect(guessLanguage(quoted)).toBe('vi');
    const forwarded = [
      'Shop oi don hang chua giao',
      '',
      '---------- Forwarded message ---------',
      'From: Lazada <noreply@lazada.vn>',
      'Thank you for your order! Your order has been shipped and will be delivered in 3 days. If you have any questions please contact our customer service.',
    ].join('\n');
    expect(guessLanguage(forwarded)).toBe('vi');
    expect(guessLanguage('> The item was broken and I want a refund please\n> thank you for your help\nMáy hỏng rồi')).toBe('vi');
    // An English reply above a quoted Vietnamese mail is English.
    expect(guessLanguage('Hello, I still have not received the refund for my order.\n\nVào 10:00 ngày 3/11, Sen đã viết:\n> Kính gửi Quý khách, chúng tôi đã tiếp nhận khiếu nại')).toBe('en');
  });

  it('an English disclaimer under Vietnamese lines stays Vietnamese; an English mail signed with a Vietnamese name stays English', () => {
    expect(
      guessLanguage(
        'Máy hỏng\nSản phẩm bị lỗi.\n\nThis email and any attachments are confidential and intended solely for the addressee. If you have received this email in error please notify the sender.',
      ),
    ).toBe('vi');
    expect(guessLanguage('Hello,\nThe fridge I bought was delivered with a broken door and the shop has not answered my calls.\nRegards,\nNguyễn Văn Đức')).toBe('en');
  });

  it('does not count words both languages write alike (an, to, me, can, do, no)', () => {
    expect(guessLanguage('an to me can do no')).toBe('vi');
  });
});
