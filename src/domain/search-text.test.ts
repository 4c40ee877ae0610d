import { describe, expect, it } from 'vitest';
import { complaintSearchText, foldText, orderRefKey, orderRefQuery, searchKey, searchTerms, searchWords } from './search-text';

describe('search text', () => {
  it('folds diacritics, đ, case and runs of white space', () => {
    expect(foldText('  Đồng hồ   ĐEO tay\tbị\nvỡ ')).toBe('dong ho deo tay bi vo');
  });

  it('takes the spaces out of a folded query for the trigram index, and nothing else', () => {
    expect(searchKey(foldText('Lê Tấn Bảo'))).toBe('letanbao');
    expect(searchKey('dh-84791')).toBe('dh-84791');
    expect(searchKey('bao')).toBe('bao');
  });

  it('keeps a complaint’s code, subject, contacts, order, description and customer name, and the order without separators', () => {
    const text = complaintSearchText({
      code: 'KN-2026-000123', subject: 'Giao thiếu hàng', description: 'Thiếu 2 hộp', orderRef: 'DH-99/01', email: 'an@x.vn', customerName: 'Trần Văn Minh',
    });
    for (const part of ['kn-2026-000123', 'giao thieu hang', 'thieu 2 hop', 'dh-99/01', 'an@x.vn', 'tran van minh', 'dh9901']) expect(text).toContain(part);
    expect(complaintSearchText({ code: 'KN-2026-000124', subject: 'Đã xoá', description: '', customerName: null })).toBe('kn-2026-000124 \u0001 da xoa \u0001 \u0001 \u0001 \u0001 \u0001 \u0001 \u0001');
  });

  it('writes an order number without its separators, folded', () => {
    for (const ref of ['DH-12345', 'dh_12345', 'DH 12 345', 'Đh/123.45', 'dh12345']) expect(orderRefKey(ref), ref).toBe('dh12345');
  });

  it('cuts folded text into words of letters and digits', () => {
    expect(searchWords(foldText('Lê Văn Đức, DH-90211 (thegioiso.vn)'))).toEqual(['le', 'van', 'duc', 'dh', '90211', 'thegioiso', 'vn']);
  });
});

describe('search terms', () => {
  it('matches one- and two-letter words whole, longer words by their start, words with digits anywhere', () => {
    expect(searchTerms('Trần Minh')).toEqual([
      { text: 'tran', match: 'prefix' },
      { text: 'minh', match: 'prefix' },
    ]);
    expect(searchTerms('Lê')).toEqual([{ text: 'le', match: 'word' }]);
    expect(searchTerms('Nguyễn Văn A')).toEqual([
      { text: 'nguyen', match: 'prefix' },
      { text: 'van', match: 'prefix' },
      { text: 'a', match: 'word' },
    ]);
    expect(searchTerms('dh-90211')).toEqual([
      { text: 'dh', match: 'word' },
      { text: '90211', match: 'contains' },
    ]);
    expect(searchTerms('x'.repeat(61))).toEqual([{ text: 'x'.repeat(61), match: 'contains' }]);
  });

  it('drops punctuation and repeats, and refuses a query with no word of two characters', () => {
    expect(searchTerms(' lê, LÊ! ')).toEqual([{ text: 'le', match: 'word' }]);
    for (const q of ['a', 'Ă', 'a b', '!!', '  ', '中国']) expect(searchTerms(q), q).toBeNull();
    expect(searchTerms('An')).toEqual([{ text: 'an', match: 'word' }]);
  });

  it('gives the order-number form of a query with digits written with other separators', () => {
    expect(orderRefQuery('dh 12345')).toBe('dh12345');
    expect(orderRefQuery('DH-12345')).toBe('dh12345');
    expect(orderRefQuery('0912 345')).toBe('0912345');
    expect(orderRefQuery('DH12345')).toBeNull();
    expect(orderRefQuery('dong ho')).toBeNull();
    expect(orderRefQuery('1 2')).toBeNull();
  });
});
