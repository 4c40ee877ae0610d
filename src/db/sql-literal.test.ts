import { describe, expect, it } from 'vitest';
import { sqlLiteral } from './sql-literal';

describe('sqlLiteral', () => {
  it('quotes a string as an E-string, doubling quotes and backslashes', () => {
    expect(sqlLiteral("O'Brien")).toBe("E'O''Brien'");
    expect(sqlLiteral('a\\b')).toBe("E'a\\\\b'");
    expect(sqlLiteral("'); drop table complaints; --")).toBe("E'''); drop table complaints; --'");
    expect(sqlLiteral(42)).toBe("E'42'");
    expect(sqlLiteral(true)).toBe("E'true'");
  });

  it('writes null as SQL null, and a null element as NULL (a string "NULL" stays quoted)', () => {
    expect(sqlLiteral(null)).toBe('null');
    expect(sqlLiteral(undefined)).toBe('null');
    expect(sqlLiteral([null, 'NULL'])).toBe(`E'{NULL,"NULL"}'`);
  });

  it('writes an array with each element double-quoted and escaped for the array and for the string around it', () => {
    expect(sqlLiteral([])).toBe("E'{}'");
    expect(sqlLiteral(['a,b', '{x}', 'say "hi"', 'c:\\', "it's"])).toBe(`E'{"a,b","{x}","say \\\\"hi\\\\"","c:\\\\\\\\","it''s"}'`);
    expect(sqlLiteral([1, 2.5, false])).toBe(`E'{"1","2.5","false"}'`);
  });
});
