import pg from 'pg';
import { readFileSync } from 'node:fs';
const db = process.argv[2];
const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${db}` });
await c.connect();
const names = readFileSync('/tmp/p/names.txt', 'utf8').trim().split('\n').filter(Boolean);
const orders = readFileSync('/tmp/p/orders.txt', 'utf8').trim().split('\n').filter(Boolean);
const esc = (s) => s.replace(/[\\%_']/g, (m) => (m === "'" ? "''" : `\\${m}`));
const variants = {
  z: (q) => `replace(c.search_text, ' ', 'z') like '%${esc(q.replaceAll(' ', 'z'))}%'`,
  nospace: (q) => `replace(c.search_text, ' ', '') like '%${esc(q.replaceAll(' ', ''))}%' and c.search_text like '%${esc(q)}%'`,
};
const only = process.argv[3]?.split(',') ?? Object.keys(variants);
async function time(cond, q) {
  const sql = `explain (analyze, format json) select c.id from complaints c where (${cond} or c.customer_id = any(array(select id from customers where search_name like '${esc(q)}%' limit 2000))) order by c.sort_due, c.id limit 51`;
  const ts = [];
  for (let i = 0; i < 3; i++) { const r = await c.query(sql); ts.push(r.rows[0]['QUERY PLAN'][0]['Execution Time']); }
  return ts.sort((a, b) => a - b)[1];
}
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
for (const [kind, qs] of [['names', names], ['orders', orders], ['words', ['dong ho', 'bao hanh', 'giao hang cham', 'hoan tien', 'may giat', 'khong hoat dong']]]) {
  for (const v of only) {
    const ts = [];
    let worst = ['', 0];
    for (const q of qs) { const t = await time(variants[v](q), q); ts.push(t); if (t > worst[1]) worst = [q, t]; }
    console.log(kind.padEnd(7), v.padEnd(8), 'p50', pct(ts, 0.5).toFixed(1), 'p95', pct(ts, 0.95).toFixed(1), 'max', worst[1].toFixed(1), worst[0]);
  }
}
await c.end();
