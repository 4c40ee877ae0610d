import { describe, expect, it } from 'vitest';
import { complaintSearchText, foldText, searchKey, SEARCH_JOINER } from './search-text';

describe('search text', () => {
  it('folds diacritics, đ, case and runs of white space', () => {
    expect(foldText('  Đồng hồ   ĐEO tay\tbị\nvỡ ')).toBe('dong ho deo tay bi vo');
  });

  it('joins the words of a folded query with a letter folded Vietnamese never has', () => {
    expect(searchKey(foldText('Lê Tấn Bảo'))).toBe('leztanzbao');
    expect(searchKey('bao')).toBe('bao');
    // The joiner cannot come out of folding Vietnamese letters, so a joined phrase is only found where the words touch.
    const vietnamese = 'aáàảãạăắằẳẵặâấầẩẫậbcdđeéèẻẽẹêếềểễệghiíìỉĩịklmnoóòỏõọôốồổỗộơớờởỡợpqrstuúùủũụưứừửữựvxyýỳỷỹỵ';
    expect(foldText(vietnamese + vietnamese.toUpperCase())).not.toContain(SEARCH_JOINER);
  });

  it('keeps a complaint’s code, subject, contacts, order and description, not the customer name', () => {
    const text = complaintSearchText({ code: 'KN-2026-000123', subject: 'Giao thiếu hàng', description: 'Thiếu 2 hộp', orderRef: 'DH-99', email: 'an@x.vn' });
    for (const part of ['kn-2026-000123', 'giao thieu hang', 'thieu 2 hop', 'dh-99', 'an@x.vn']) expect(text).toContain(part);
  });
});
