import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachDatabase } from './db';
// The benchmark's seeded generator: the same names and queries on every run.
import { prng } from '../bench/data';
import { customersNamed } from '../src/db/queries/complaints';
import { foldText, nameSearchPattern } from '../src/domain/search-text';

const NAMES: string[] = readFileSync(new URL('../../shared/data/complaints-vi.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => (JSON.parse(line) as { customer: { name: string } }).customer.name);


/**
 * A customer's name is looked up through the beginnings of its words (SQL sen_name_prefixes, domain/search-text.ts
 * nameIndexKeys), then checked with the name pattern. The index may only narrow: every customer whose name fits the
 * pattern must be found, however the query is cut or typed.
 */
describeEachDatabase('customers found by name', (db) => {
  it('finds through the name index exactly the customers whose name fits the pattern', async () => {
    const rand = prng(11);
    const pick = <T,>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const words = NAMES.map((n) => n.split(' '));
    const family = [...new Set(words.map((w) => w[0]))];
    const given = [...new Set(words.map((w) => w[w.length - 1]))];
    const middle = [...new Set(words.flatMap((w) => w.slice(1, -1)))];
    // The shared names, names made of their words, and what else a name field holds: an initial, a company, punctuation,
    // a word longer than the twelve letters the index keeps.
    const names = new Set(NAMES);
    while (names.size < 1500) names.add([pick(family), ...(rand() < 0.8 ? [pick(middle)] : []), pick(given)].join(' '));
    for (const n of ['Nguyễn V. An', 'Công ty TNHH Thươngmạiđiệntửtoàncầu', 'Trần-Lê Bảo Ngọc', 'Lê  Hà', 'Phạm Thị Hương (mẹ)', 'Ô Văn Ý'])
      names.add(n);
    await db().pool.query(`insert into customers (name, search_name) select n, f from unnest($1::text[], $2::text[]) as v(n, f)`, [
      [...names],
      [...names].map(foldText),
    ]);
    await db().pool.query('vacuum analyze customers');
    const queries = ['le', 'ha', 'nguyen v', 'tran thi h', 'cong ty thuongmaidientu', 'thuongmaidientutoancau', 'tran-le', 'huong (me)', 'o van y', 'v. an'];
    for (let i = 0; i < 150; i += 1) {
      const w = foldText(pick([...names])).split(' ');
      const k = rand();
      const q = k < 0.3 ? w[w.length - 1] : k < 0.55 ? `${w[0]} ${w[w.length - 1]}` : k < 0.8 ? w.join(' ') : `${w.slice(0, -1).join(' ')} ${w[w.length - 1].slice(0, 1 + Math.floor(rand() * 3))}`;
      queries.push(q);
    }
    let found = 0;
    for (const q of queries) {
      const byIndex = (await db().db.execute<{ id: string }>(customersNamed(q))).rows.map((r) => r.id).sort();
      const all = (
        await db().pool.query<{ id: string }>(`select id from customers where (' ' || search_name) like $1`, [nameSearchPattern(q)])
      ).rows.map((r) => r.id).sort();
      expect(byIndex, q).toEqual(all);
      found += all.length ? 1 : 0;
    }
    // The queries find names (most of them), so the comparison is not one of empty lists.
    expect(found).toBeGreaterThan(queries.length * 0.9);
  });
});
