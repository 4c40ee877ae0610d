import { expect, it } from 'vitest';
import { binaryJsonbArray, binaryTextArray } from '../src/db/binary-array';
import { describeEachDatabase } from './db';

// Texts that an array literal would have to escape or could misread, and texts of every UTF-8 length.
const TRICKY = [
  '',
  'NULL',
  'null',
  '"',
  '\\',
  '{a,b}',
  ' leading and trailing ',
  `O'Brien "VIP" \\ {a,b} NULL '); drop table complaints; -- \\' ,}{`,
  'Đồng hồ không chạy — đổi trả ngay!',
  'Dòng 1\nDòng 2\tcột\r\n',
  'emoji 😀 and 𝔘 (four bytes each)',
  'x'.repeat(70_000),
];

describeEachDatabase('binary text[] and jsonb[] parameters', (db) => {
  it('arrive as exactly the texts sent, nulls and empty arrays included, as the text literal would', async () => {
    const values = [...TRICKY, null, 'after a null'];
    const r = await db().pool.query<{ binary: (string | null)[]; literal: (string | null)[]; n: number; empty: string[] }>(
      'select $1::text[] as binary, $2::text[] as literal, cardinality($1::text[]) as n, $3::text[] as empty',
      [binaryTextArray(values), values, binaryTextArray([])],
    );
    expect(r.rows[0].binary).toEqual(values);
    expect(r.rows[0].binary).toEqual(r.rows[0].literal);
    expect(r.rows[0].n).toBe(values.length);
    expect(r.rows[0].empty).toEqual([]);
  });

  it('gives unnest() one row per element, in order', async () => {
    const r = await db().pool.query<{ i: string; v: string | null }>(
      'select i::text, v from unnest($1::text[]) with ordinality as u(v, i)',
      [binaryTextArray(['a', null, 'Đ'])],
    );
    expect(r.rows).toEqual([
      { i: '1', v: 'a' },
      { i: '2', v: null },
      { i: '3', v: 'Đ' },
    ]);
  });

  it('reads JSON texts as jsonb, the same values as sent as text', async () => {
    const docs = [{ subject: TRICKY[7], n: 1, nested: { list: [1, 'Đồng hồ', null] } }, { emoji: '😀' }, {}];
    const values = [...docs.map((d) => JSON.stringify(d)), null];
    const r = await db().pool.query<{ binary: unknown[]; literal: unknown[] }>('select $1::jsonb[] as binary, $2::jsonb[] as literal', [
      binaryJsonbArray(values),
      values,
    ]);
    expect(r.rows[0].binary).toEqual([...docs, null]);
    expect(r.rows[0].binary).toEqual(r.rows[0].literal);
  });

  it('is refused, changing nothing, where the statement expects another element type', async () => {
    await expect(db().pool.query('select $1::int[]', [binaryTextArray(['1'])])).rejects.toThrow(/element type/);
  });
});
