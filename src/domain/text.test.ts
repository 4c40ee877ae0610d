import { describe, expect, it } from 'vitest';
import { cleanTextTree, hasForbiddenCharacters } from './text';

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
});
