import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachDatabase } from './db';
// The benchmark's seeded generator: the same phrases on every run.
import { prng } from '../bench/data';
import { indexPathIds, listComplaints, searchConditions } from '../src/db/queries/complaints';
import { complaintSearchText, foldText, pairedPart } from '../src/domain/search-text';
import { seedComplaint } from './factories';

interface Sample {
  subject: string;
  description: string;
  orderRef?: string;
}
const SAMPLES: Sample[] = readFileSync(new URL('../../shared/data/complaints-vi.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Sample);


/**
 * A phrase of several words is looked up by its word pairs (SQL sen_search_pairs over the complaint's folded text,
 * domain/search-text.ts pairedPart for the query), then checked as written. The index may only narrow: a complaint
 * holding the phrase from the start of a word must never be missed, whatever the punctuation and wherever the
 * phrase is cut.
 */
describeEachDatabase('word pairs of a phrase', (db) => {
  it('every phrase a complaint holds from the start of a word has its pairs among the complaint’s', async () => {
    const rand = prng(7);
    const texts = SAMPLES.map((s, i) =>
      complaintSearchText({ code: `KN-2026-${String(i + 1).padStart(6, '0')}`, subject: s.subject, description: s.description, orderRef: s.orderRef }),
    );
    const cases: { text: string; phrase: string }[] = [];
    for (const text of texts) {
      const starts = [...text.matchAll(/(?<![a-z0-9])[a-z0-9]/g)].map((m) => m.index);
      for (let k = 0; k < 60; k += 1) {
        const start = starts[Math.floor(rand() * starts.length)];
        // Cut anywhere: mid-word, after punctuation, after a space (trimmed, as a query is).
        const phrase = text.slice(start, start + 2 + Math.floor(rand() * 40)).trim();
        if (pairedPart(phrase)) cases.push({ text, phrase });
      }
    }
    expect(cases.length).toBeGreaterThan(1000);
    const { rows } = await db().pool.query<{ phrase: string; text: string }>(
      `select t as text, p as phrase from unnest($1::text[], $2::text[]) as v(t, p)
       where not (sen_search_pairs(t) @> sen_search_pairs(p))`,
      [cases.map((c) => c.text), cases.map((c) => pairedPart(c.phrase))],
    );
    expect(rows).toEqual([]);
    // And it narrows: another complaint's phrase is rarely all there.
    const { rows: [other] } = await db().pool.query<{ held: number }>(
      `select count(*)::int as held from unnest($1::text[], $2::text[]) as v(t, p) where sen_search_pairs(t) @> sen_search_pairs(p)`,
      [cases.map((_, i) => cases[(i + 97) % cases.length].text), cases.map((c) => pairedPart(c.phrase))],
    );
    expect(other.held).toBeLessThan(cases.length / 10);
  });

  it('finds a name whose every trigram is common only where it stands, from the start of a word, reading few complaints', async () => {
    const first = await seedComplaint(db());
    const { rows: [cu] } = await db().pool.query<{ customer_id: string }>('select customer_id from complaints where id = $1', [first.id]);
    // Every complaint has the syllables of "Hoàng Dũng" and the letters across them ("ngdu"), none the phrase, but for:
    const special: Record<number, string> = {
      1500: 'Anh Hoàng Dũng gọi lại về đơn hàng', // the phrase
      2200: 'Khách (Hoàng Dũng) báo lỗi', // after punctuation
      2900: 'Gặp Hoàng Dũngx ở quầy', // the last word may go on
      1700: 'Ông Choàng Dũng nói', // not from the start of a word
      1800: 'Hoàng, Dũng và Lan', // not as written
      1900: 'Dũng Hoàng', // not in that order
    };
    const subjectOf = (g: number) => special[g] ?? `Chị Hoàng Lan dùng thử ${g % 2 ? 'ứng dụng' : 'bóng đèn'} rồi đổi trả`;
    const gs = Array.from({ length: 3000 }, (_, i) => i + 1);
    await db().pool.query(
      `insert into complaints (code, status, channel, subject, description, customer_id, received_at, acknowledgement_due_at,
         resolution_due_at, sort_due, search_text)
       select 'KN-2001-' || lpad(g::text, 6, '0'), 'received', 'web', subject, 'mô tả', $1::uuid,
         now(), now(), now(), now() + (g || ' minutes')::interval, 'kn-2001-' || lpad(g::text, 6, '0') || ' ' || folded
       from unnest($2::int[], $3::text[], $4::text[]) as v(g, subject, folded)`,
      [cu.customer_id, gs, gs.map(subjectOf), gs.map((g) => foldText(subjectOf(g)))],
    );
    await db().pool.query('vacuum analyze complaints');
    const page = await listComplaints(db(), { q: 'hoàng dũng' }, { limit: 10 });
    expect(page.items.map((i) => i.code)).toEqual(['KN-2001-001500', 'KN-2001-002200', 'KN-2001-002900']);
    expect(page.byWords).toBe(false);
    // Cut short as typed ("hoang d") the phrase is checked on what the trigram index gives: the same complaints.
    expect((await listComplaints(db(), { q: 'hoang dun' }, { limit: 10 })).items.map((i) => i.code)).toEqual([
      'KN-2001-001500', 'KN-2001-002200', 'KN-2001-002900',
    ]);
    expect((await listComplaints(db(), { q: 'hoang d' }, { limit: 10 })).items.map((i) => i.code)).toEqual([
      'KN-2001-001500', 'KN-2001-002200', 'KN-2001-002900',
    ]);
    // Mid-word, the phrase is no match (and its words in any order find "Dũng Hoàng", the fallback by words).
    const oang = await listComplaints(db(), { q: 'oang dung' }, { limit: 10 });
    expect(oang.items.map((i) => i.code)).toEqual([]);
    // The index hands back the complaints holding the pair, not the 3,000 holding its trigrams.
    const plan = await db().db.execute<{ 'QUERY PLAN': string }>(
      sql`explain (analyze, costs off, timing off, summary off) ${indexPathIds(await searchConditions(db(), 'hoang dung'), [], false, 11)}`,
    );
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text, text).toMatch(/Bitmap Index Scan on complaints_search_idx \(actual rows=[1-9](\.0+)? .*\n.*Index Cond: \(sen_search_pairs\(search_text\) @>/);
    expect(text).not.toMatch(/Seq Scan on complaints/);
  });
});
