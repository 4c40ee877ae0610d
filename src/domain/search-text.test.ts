import { describe, expect, it } from 'vitest';
import {
  complaintSearchText,
  escapeLike,
  foldText,
  isMultiWordPhrase,
  nameSearchPattern,
  nameIndexKeys,
  NAME_PREFIX_MAX,
  orderNumberVariants,
  pairedPart,
  phraseStartPattern,
  searchKey,
  searchWords,
  wordStartPattern,
} from './search-text';

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

  it('searches an order number as typed, with a dash and with nothing between its letters and digits', () => {
    expect(orderNumberVariants('dh-12345')).toEqual(['dh-12345', 'dh12345']);
    expect(orderNumberVariants('dh12345')).toEqual(['dh12345', 'dh-12345']);
    for (const typed of ['dh_12345', 'dh/12345', 'dh.12345', 'dh 12345']) expect(orderNumberVariants(typed)).toEqual([typed, 'dh-12345', 'dh12345']);
    // Not an order number: words, a code-like text with two parts, too few digits, digits alone.
    for (const other of ['dong ho', 'dh-12', '12345', 'kn-2026-000001', 'abcdefg-12345', 'dh--12345']) expect(orderNumberVariants(other)).toBeNull();
  });

  it('matches a name by the start of its words, in order, wildcards in the query taken as written', () => {
    // LIKE semantics, spelt out: % is any run, the pattern is matched against ' ' || search_name.
    const like = (pattern: string, value: string) => {
      const re = pattern.replace(/\\(.)|%|_|[.*+?^${}()|[\]\\]/g, (m, esc: string | undefined) =>
        esc !== undefined ? esc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : m === '%' ? '.*' : m === '_' ? '.' : `\\${m}`);
      return new RegExp(`^${re}$`, 's').test(value);
    };
    const name = ` ${foldText('Nguyễn Văn Thành Long')}`;
    for (const q of ['long', 'thanh long', 'nguyen long', 'nguyen van thanh long', 'ng', 'nguyen v', 'van lo'])
      expect(like(nameSearchPattern(q), name), q).toBe(true);
    for (const q of ['uyen', 'long nguyen', 'ong', 'thanh van', 'nguyenvan'])
      expect(like(nameSearchPattern(q), name), q).toBe(false);
    expect(nameSearchPattern('a%b_c')).toBe('% a\\%b\\_c%');
    expect(escapeLike('100%\\x')).toBe('100\\%\\\\x');
  });

  it('asks the name index for each word of two letters or more, cut to the twelve letters it keeps', () => {
    expect(nameIndexKeys('nguyen v')).toEqual(['nguyen']);
    expect(nameIndexKeys('le thi le ha')).toEqual(['le', 'thi', 'ha']);
    expect(nameIndexKeys('cong ty thuongmaidientu')).toEqual(['cong', 'ty', 'thuongmaidie']);
    expect(nameIndexKeys('thuongmaidientu')[0]).toHaveLength(NAME_PREFIX_MAX);
    // Split at spaces only, as the pattern is: punctuation stays in the word it is written in.
    expect(nameIndexKeys('v. an')).toEqual(['v.', 'an']);
    expect(nameIndexKeys('a b')).toEqual([]);
  });

  it('falls back to the words of a query of two or more, each of two letters or more, one of three', () => {
    expect(searchWords(foldText('Samsung  tivi'))).toEqual(['samsung', 'tivi']);
    // Punctuation separates words; one-letter words and repeats are left out.
    expect(searchWords(foldText('màn hình, TIVI (Samsung) a màn'))).toEqual(['man', 'hinh', 'tivi', 'samsung']);
    // One word is the phrase already searched; two-letter words alone give the index nothing.
    expect(searchWords('samsung')).toBeNull();
    expect(searchWords('samsung a')).toBeNull();
    expect(searchWords('bi vo')).toBeNull();
    expect(searchWords('bi vo hop')).toEqual(['bi', 'vo', 'hop']);
  });

  it('matches a word at the start of a word of the text only', () => {
    const starts = (text: string, word: string) => new RegExp(wordStartPattern(word)).test(text);
    expect(starts('tivi samsung bi soc', 'sams')).toBe(true);
    expect(starts('(samsung) tivi', 'samsung')).toBe(true);
    expect(starts('hoa don dh-123', '123')).toBe(true);
    expect(starts('tivi samsung', 'sung')).toBe(false);
    expect(starts('dong ho', 'ong')).toBe(false);
  });

  it('gives the word-pair index the whole words of a phrase, the last only when it names its first three letters', () => {
    expect(pairedPart('hoang dung')).toBe('hoang dung');
    expect(pairedPart('duong van dung')).toBe('duong van dung');
    // Cut short as typed: "du" could be "dung", "dua"…; two whole words still make a pair.
    expect(pairedPart('hoang du')).toBeNull();
    expect(pairedPart('duong van d')).toBe('duong van');
    expect(pairedPart('hoang dun')).toBe('hoang dun');
    // A last word followed by punctuation is whole, however short.
    expect(pairedPart('tra lai 2,')).toBe('tra lai 2');
    // Punctuation separates words as in the text's index.
    expect(pairedPart('(ms. lan) hoan')).toBe('ms lan hoan');
    // Three digits in a row: an order number, a phone, an amount; their trigrams are rare, their pairs not.
    for (const digits of ['dh-12345', 'kh-pe3703217', 'dh 12345', 'tra 500 nghin']) expect(pairedPart(digits), digits).toBeNull();
    expect(pairedPart('tra 50 nghin')).toBe('tra 50 nghin');
    // One word has no pair: the trigram index serves it.
    for (const one of ['hoang', 'dh12345', 'an@x', '', '  ']) expect(pairedPart(one), one).toBeNull();
    expect(isMultiWordPhrase('dong ho')).toBe(true);
    expect(isMultiWordPhrase('dh-123')).toBe(true);
    expect(isMultiWordPhrase('dongho')).toBe(false);
  });

  it('matches a phrase of several words from the start of a word, anything in it taken as written', () => {
    const holds = (text: string, phrase: string) => new RegExp(phraseStartPattern(phrase)).test(text);
    expect(holds('dong ho bi vo', 'dong ho')).toBe(true);
    expect(holds('cua hang (dong ho) sai', 'dong ho')).toBe(true);
    expect(holds('dong hoa', 'dong ho')).toBe(true);
    expect(holds('dong ho', 'ong ho')).toBe(false);
    expect(holds('kn-2026 dh-123 abc', 'dh-123 a')).toBe(true);
    // Regular-expression characters are letters to match, not operators.
    expect(holds('gia (100k) con', '(100k) c')).toBe(true);
    expect(holds('gia x100k) con', '(100k) c')).toBe(false);
    expect(holds('a.b c', 'a.b c')).toBe(true);
    expect(holds('axb c', 'a.b c')).toBe(false);
    expect(holds('1+1 = 2', '1+1 =')).toBe(true);
    expect(phraseStartPattern('a.b c')).toBe('(^|[^a-z0-9])a\\.b c');
  });
});
