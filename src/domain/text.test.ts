import { describe, expect, it } from 'vitest';
import { cleanTextTree, hasForbiddenCharacters, trimText } from './text';

describe('text fields', () => {
  it('refuse NUL, other controls, DEL and lone surrogates, but take tabs, line breaks, emoji and Vietnamese', () => {
    for (const s of ['a\u0000b', '\u0007', 'x\u007f', 'a\ud800b', '\udc00z', 'tail\ud83d']) expect(hasForbiddenCharacters(s), JSON.stringify(s)).toBe(true);
    for (const s of ['Đồng hồ\tbị vỡ\r\ndòng 2\n', 'Cảm ơn 🙏', '']) expect(hasForbiddenCharacters(s), JSON.stringify(s)).toBe(false);
  });

  it('names every field that holds one, and makes the rest NFC except passwords', () => {
    const nfd = 'Nguyễn Thị Hương'.normalize('NFD');
    const body = { customer: { name: nfd, email: 'a\u0000@b.vn' }, items: [{ note: 'ok' }, { note: 'x\ud800' }], password: nfd };
    expect(cleanTextTree(body)).toEqual(['customer.email', 'items.1.note']);
    expect(body.customer.name).toBe('Nguyễn Thị Hương'.normalize('NFC'));
    expect(body.customer.name).not.toBe(nfd);
    expect(body.password).toBe(nfd);
    expect(cleanTextTree({ ['k\u0000']: 1 })).toEqual(['(body)']);
    expect(cleanTextTree('a\u0000')).toEqual(['(body)']);
  });

  it('trims spaces and invisible characters from the ends, so a text of them alone is empty', () => {
    expect(trimText('\u200b \u200c\u200d\u2060\ufeff\n\t')).toBe('');
    expect(trimText('\u200b Đồng hồ \u2060')).toBe('Đồng hồ');
    // A joiner inside a text is part of it (an emoji sequence).
    expect(trimText(' 👨\u200d👩 ')).toBe('👨\u200d👩');
    const long = `a${' '.repeat(200_000)}b`;
    expect(trimText(long)).toBe(long);
  });
});
