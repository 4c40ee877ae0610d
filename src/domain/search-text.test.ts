import { describe, expect, it } from 'vitest';
import { complaintSearchText, foldText, searchKey } from './search-text';

describe('search text', () => {
  it('folds diacritics, đ, case and runs of white space', () => {
    expect(foldText('  Đồng hồ   ĐEO tay\tbị\nvỡ ')).toBe('dong ho deo tay bi vo');
  });

  it('takes the spaces out of a folded query for the trigram index, and nothing else', () => {
    expect(searchKey(foldText('Lê Tấn Bảo'))).toBe('letanbao');
    expect(searchKey('dh-84791')).toBe('dh-84791');
    expect(searchKey('bao')).toBe('bao');
  });

  it('keeps a complaint’s code, subject, contacts, order and description, not the customer name', () => {
    const text = complaintSearchText({ code: 'KN-2026-000123', subject: 'Giao thiếu hàng', description: 'Thiếu 2 hộp', orderRef: 'DH-99', email: 'an@x.vn' });
    for (const part of ['kn-2026-000123', 'giao thieu hang', 'thieu 2 hop', 'dh-99', 'an@x.vn']) expect(text).toContain(part);
  });
});
