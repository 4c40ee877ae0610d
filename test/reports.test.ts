import { inflateRawSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, seedComplaint, staffWithToken } from './factories';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { answerSurvey } from '../src/commands/answer-survey';
import { reopenComplaint } from '../src/commands/reopen-complaint';
import { createCorrectiveAction } from '../src/commands/manage-corrective-actions';
import { reportSummary } from '../src/db/queries/reports';
import { loadSlaContext } from '../src/db/queries/settings';
import { bucketsOf, parsePeriod, percentile, toCsv, type ReportSummary } from '../src/domain/reports';
import { crc32, renderXlsx } from '../src/documents/xlsx';
import type { Channel } from '../src/domain/schemas';
import type { Database } from '../src/db/open';

const HOUR = 3_600_000;
const vn = (isoLocal: string) => new Date(`${isoLocal}+07:00`);
const agent = { kind: 'agent' as const, id: null, channel: 'console' as const };

/** Reads a ZIP (as Sen writes it) back: every entry's name and inflated bytes, checking each CRC. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const end = buf.length - 22;
  expect(buf.readUInt32LE(end)).toBe(0x06054b50);
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    expect(buf.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const body = buf.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(crc32(data)).toBe(crc);
    out.set(name, data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

describe('report arithmetic', () => {
  it('percentiles interpolate between ranks; periods are whole Vietnam days cut by day, week (from Monday) or month', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([8, 2, 56], 50)).toBe(8);
    expect(percentile([2, 8, 56], 90)).toBeCloseTo(46.4);
    expect(percentile([8, 32], 50)).toBe(20);
    const p = parsePeriod({ from: '2025-03-03', to: '2025-03-16', groupBy: 'week' }, new Date());
    expect(p.start.toISOString()).toBe('2025-03-02T17:00:00.000Z');
    expect(p.end.toISOString()).toBe('2025-03-16T17:00:00.000Z');
    expect(bucketsOf(p)).toEqual(['2025-03-03', '2025-03-10']);
    expect(bucketsOf({ from: '2025-01-30', to: '2025-03-02', groupBy: 'month' })).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
    expect(bucketsOf({ from: '2025-03-05', to: '2025-03-06', groupBy: 'day' })).toEqual(['2025-03-05', '2025-03-06']);
    expect(() => parsePeriod({ from: '2025-03-10', to: '2025-03-01' }, new Date())).toThrow();
    expect(() => parsePeriod({ from: '2025-02-30' }, new Date())).toThrow();
  });

  it('CSV has a BOM, CRLF lines, quoted fields, and formulas made inert', () => {
    const csv = toCsv({ title: 't', columns: ['Tên', 'Số'], rows: [['Nguyễn, "Ánh"', 3], ['=HYPERLINK("x")', null]] });
    expect(csv).toBe('\uFEFFTên,Số\r\n"Nguyễn, ""Ánh""",3\r\n"\'=HYPERLINK(""x"")",\r\n');
  });

  it('XLSX is a valid ZIP with the workbook parts and inline-string cells', () => {
    const files = unzip(renderXlsx([{ name: 'Khối/lượng', columns: ['Kỳ', 'Số'], rows: [['03/03/2025', 2], ['<&>', null]] }]));
    expect([...files.keys()]).toEqual(
      expect.arrayContaining(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml']),
    );
    expect(files.get('xl/workbook.xml')!.toString()).toContain('<sheet name="Khối lượng"');
    const sheet = files.get('xl/worksheets/sheet1.xml')!.toString();
    expect(sheet).toContain('<c r="A2" t="inlineStr"><is><t xml:space="preserve">03/03/2025</t></is></c><c r="B2"><v>2</v></c>');
    expect(sheet).toContain('&lt;&amp;&gt;');
  });
});

describeEachDatabase('reports', (db) => {
  const codes: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
  const repeatPhone = randomPhone();
  let catA = '';
  let catB = '';
  let teamId = '';

  async function seed(database: Database, key: keyof typeof codes, o: { at: string; channel: Channel; phone?: string; name?: string; categoryId?: string }) {
    const created = await seedComplaint(database, {
      now: vn(o.at),
      channel: o.channel,
      input: {
        customer: { name: o.name ?? 'Khách Lẻ', phone: o.phone ?? randomPhone() },
        subject: `Khiếu nại ${key}`,
        ...(o.categoryId ? { categoryId: o.categoryId } : {}),
      },
    });
    codes[key] = created.code;
    return created.code;
  }
  const move = async (code: string, steps: [string, string][], rootCause?: string) => {
    for (const [to, at] of steps) {
      await transitionComplaint({
        database: db(),
        actor: agent,
        code,
        to: to as never,
        now: vn(at),
        ...(to === 'resolved' && rootCause ? { rootCauseId: rootCause } : {}),
      });
    }
  };

  beforeAll(async () => {
    const database = db();
    const id = async (q: ReturnType<typeof sql>) => (await database.db.execute<{ id: string }>(q)).rows[0].id;
    catA = await id(sql`select id from categories where slug = 'product_defect'`);
    catB = await id(sql`select id from categories where slug = 'delivery'`);
    teamId = await id(sql`insert into teams (name) values (${`Kho vận ${Date.now()}`}) returning id`);
    const defect = await id(sql`select id from root_causes where slug = 'product-defect'`);
    const delivery = await id(sql`select id from root_causes where slug = 'delivery'`);

    // A: web, product defect, acknowledged in 2 h, waits 4 working hours on the customer, resolved after 8 h, rated 5.
    const a = await seed(database, 'A', { at: '2025-03-03T09:00:00', channel: 'web', phone: repeatPhone, name: 'Nguyễn Văn Lặp', categoryId: catA });
    await move(a, [
      ['acknowledged', '2025-03-03T11:00:00'],
      ['investigating', '2025-03-03T11:00:00'],
      ['awaiting_customer', '2025-03-03T13:00:00'],
      ['investigating', '2025-03-04T08:00:00'],
      ['proposed', '2025-03-04T08:30:00'],
      ['resolved', '2025-03-04T09:00:00'],
    ], defect);
    await answerSurvey({ database, target: { code: a, contact: repeatPhone }, rating: 5, comment: 'Rất hài lòng, cảm ơn nhân viên', now: vn('2025-03-04T12:00:00') });

    // B: the same customer by email; acknowledged in 8 h, resolved, rated 3, reopened, resolved again (32 h from receipt).
    const b = await seed(database, 'B', { at: '2025-03-03T10:00:00', channel: 'email', phone: repeatPhone, name: 'Nguyễn Văn Lặp', categoryId: catA });
    await move(b, [
      ['acknowledged', '2025-03-04T10:00:00'],
      ['investigating', '2025-03-04T10:00:00'],
      ['proposed', '2025-03-05T09:00:00'],
      ['resolved', '2025-03-05T10:00:00'],
    ], delivery);
    await answerSurvey({ database, target: { code: b, contact: repeatPhone }, rating: 3, now: vn('2025-03-05T12:00:00') });
    const customerId = (await database.db.execute<{ customer_id: string }>(sql`select customer_id from complaints where code = ${b}`)).rows[0].customer_id;
    const reopened = await reopenComplaint({
      database,
      actor: { kind: 'customer', id: customerId, channel: 'portal' },
      code: b,
      reason: 'Vẫn giao thiếu hàng',
      now: vn('2025-03-06T09:00:00'),
    });
    expect(reopened.outcome).toBe('reopened');
    await move(b, [
      ['proposed', '2025-03-07T09:00:00'],
      ['resolved', '2025-03-07T10:00:00'],
    ]);

    // C: hotline, second week, never acknowledged.
    await seed(database, 'C', { at: '2025-03-10T09:00:00', channel: 'hotline' });
    // D: web, late delivery, a team, acknowledged a day after its 48 working hours.
    const d = await seed(database, 'D', { at: '2025-03-03T09:00:00', channel: 'web', categoryId: catB });
    await move(d, [['acknowledged', '2025-03-12T09:00:00']]);

    await database.db.execute(sql`update complaints set product = 'Đồng hồ' where code in (${a}, ${b})`);
    await database.db.execute(sql`update complaints set team_id = ${teamId} where code = ${d}`);
    await createCorrectiveAction({
      database,
      actor: agent,
      input: { title: 'Kiểm đếm hàng trước khi giao', rootCauseId: delivery, complaintCodes: [b] },
      now: vn('2025-03-10T09:00:00'),
    });
  });

  const summary = async (groupBy: 'day' | 'week' | 'month' = 'week'): Promise<ReportSummary> =>
    reportSummary(db(), {
      period: parsePeriod({ from: '2025-03-03', to: '2025-03-16', groupBy }, new Date()),
      sla: await loadSlaContext(db()),
      now: vn('2025-03-20T10:00:00'),
      windowDays: 7,
    });

  it('counts volumes by channel, category, product and team over time', async () => {
    const s = await summary();
    expect(s.volumes.total).toBe(4);
    const counts = (list: { key: string; label: string; count: number }[]) => Object.fromEntries(list.map((x) => [x.label, x.count]));
    expect(counts(s.volumes.byChannel)).toEqual({ Web: 2, Email: 1, 'Tổng đài': 1 });
    expect(counts(s.volumes.byCategory)).toEqual({ 'Sản phẩm lỗi': 2, 'Giao hàng chậm': 1, '(Chưa phân loại)': 1 });
    expect(counts(s.volumes.byProduct)).toEqual({ 'Đồng hồ': 2, '(Không ghi)': 2 });
    expect(s.volumes.byTeam.find((t) => t.key === teamId)?.count).toBe(1);
    expect(s.volumes.series.map((p) => [p.period, p.total, p.channel])).toEqual([
      ['2025-03-03', 3, { web: 2, email: 1 }],
      ['2025-03-10', 1, { hotline: 1 }],
    ]);
    expect(s.volumes.series[0].category).toEqual({ [catA]: 2, [catB]: 1 });
    const daily = await summary('day');
    expect(daily.volumes.series).toHaveLength(14);
    expect(daily.volumes.series.filter((p) => p.total > 0).map((p) => [p.period, p.total])).toEqual([
      ['2025-03-03', 3],
      ['2025-03-10', 1],
    ]);
  });

  it('measures on-time rates from the clocks, working time to acknowledge and resolve (median, p90), and time paused', async () => {
    const s = await summary();
    expect(s.sla.acknowledgement).toEqual({ met: 2, breached: 2, open: 0, onTimeRate: 0.5 });
    expect(s.sla.resolution).toEqual({ met: 2, breached: 0, open: 2, onTimeRate: 1 });
    expect(s.sla.timeToAcknowledge).toEqual({ count: 3, sampled: 3, medianMs: 8 * HOUR, p90Ms: Math.round(46.4 * HOUR) });
    expect(s.sla.timeToResolve).toEqual({ count: 2, sampled: 2, medianMs: 20 * HOUR, p90Ms: Math.round(29.6 * HOUR) });
    expect(s.sla.paused).toEqual({ totalMs: 4 * HOUR, complaints: 1, averageMs: 4 * HOUR });
  });

  it('reports CSAT, reopen rate, repeat complainants, root causes and the trend around a corrective action', async () => {
    const s = await summary();
    expect(s.csat).toEqual({ surveys: 3, sent: 0, answered: 2, responseRate: 0.6667, average: 4, distribution: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 1 } });
    expect(s.reopen).toEqual({ resolved: 2, reopened: 1, rate: 0.5 });
    expect(s.repeatCustomers).toMatchObject({ customers: 1, complaints: 2, top: [{ name: 'Nguyễn Văn Lặp', complaints: 2, codes: [codes.A, codes.B] }] });
    expect(s.rootCauses.withRootCause).toBe(2);
    expect(s.rootCauses.top.map((r) => [r.label, r.count, r.share])).toEqual([
      ['Giao hàng chậm hoặc sai', 1, 0.5],
      ['Lỗi sản phẩm', 1, 0.5],
    ]);
    expect(s.rootCauses.correctiveActions).toEqual([
      expect.objectContaining({ title: 'Kiểm đếm hàng trước khi giao', windowDays: 7, before: 1, after: 0, change: -1, rootCause: expect.objectContaining({ name: 'Giao hàng chậm hoặc sai' }) }),
    ]);
  });

  it('serves the summary and the CSV and XLSX exports to report readers only', async () => {
    const app = await buildTestApp(db());
    const sup = await staffWithToken(db(), 'supervisor');
    const q = 'from=2025-03-03&to=2025-03-16&groupBy=week';
    const res = await app.inject({ method: 'GET', url: `/api/v1/reports/summary?${q}`, headers: sup.headers });
    expect(res.statusCode).toBe(200);
    expect((res.json() as ReportSummary).volumes.total).toBe(4);
    expect((res.json() as ReportSummary).csat.average).toBe(4);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/reports/summary?from=2025-03-16&to=2025-03-03', headers: sup.headers });
    expect(bad.statusCode).toBe(422);
    expect((await app.inject({ method: 'GET', url: `/api/v1/reports/nope.csv?${q}`, headers: sup.headers })).statusCode).toBe(422);

    const csv = await app.inject({ method: 'GET', url: `/api/v1/reports/volumes.csv?${q}`, headers: sup.headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('bao-cao-volumes-2025-03-03-2025-03-16.csv');
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.rawPayload.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Kỳ (từ ngày),Phân loại,Giá trị,Số khiếu nại');
    expect(lines).toContain('03/03/2025,Tổng,Tất cả,3');
    expect(lines).toContain('03/03/2025,Danh mục,Sản phẩm lỗi,2');
    expect(lines).toContain('10/03/2025,Kênh,Tổng đài,1');

    const repeat = (await app.inject({ method: 'GET', url: `/api/v1/reports/repeat-customers.csv?${q}`, headers: sup.headers })).body;
    expect(repeat).toContain(`Nguyễn Văn Lặp,`);
    expect(repeat).toContain(`,2,"${codes.A}, ${codes.B}",03/03/2025,03/03/2025`);
    const csat = (await app.inject({ method: 'GET', url: `/api/v1/reports/csat.csv?${q}`, headers: sup.headers })).body;
    expect(csat).toContain(`${codes.A},04/03/2025,5,"Rất hài lòng, cảm ơn nhân viên",1`);
    const sla = (await app.inject({ method: 'GET', url: `/api/v1/reports/sla.csv?${q}`, headers: sup.headers })).body;
    expect(sla.split('\r\n')[1]).toMatch(/^Phản hồi tiếp nhận,2,2,0,50,8,46\.4,3,$/);

    const xlsx = await app.inject({ method: 'GET', url: `/api/v1/reports/root-causes.xlsx?${q}`, headers: sup.headers });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const files = unzip(xlsx.rawPayload);
    expect(files.get('[Content_Types].xml')!.toString()).toContain('/xl/worksheets/sheet1.xml');
    expect(files.get('xl/workbook.xml')!.toString()).toContain('name="Nguyên nhân gốc"');
    const sheet = files.get('xl/worksheets/sheet1.xml')!.toString();
    expect(sheet).toContain('<t xml:space="preserve">Giao hàng chậm hoặc sai</t>');
    expect(sheet).toContain('<t xml:space="preserve">Lỗi sản phẩm</t>');
    expect(sheet).toContain('Kiểm đếm hàng trước khi giao (10/03/2025)');
    expect(sheet.match(/<row /g)).toHaveLength(4);

    const agentUser = await staffWithToken(db(), 'agent');
    expect((await app.inject({ method: 'GET', url: `/api/v1/reports/csat.xlsx?${q}`, headers: agentUser.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/v1/reports/csat.xlsx?${q}` })).statusCode).toBe(401);
    await app.close();
  });
});

describeEachDatabase('product on a complaint', (db) => {
  it('is recorded at intake and by a change, and counted by the report', async () => {
    const { buildTestApp: build, staffWithToken: withToken, buildIntake: intake, randomPhone: phone } = await import('./factories');
    const app = await build(db());
    const agent = await withToken(db(), 'agent');
    const sup = await withToken(db(), 'supervisor');
    const a = await app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: agent.headers,
      payload: { ...intake({ customer: { name: 'Phan Thị Yến', phone: phone() } }), consent: undefined, channel: 'hotline', product: 'Tủ lạnh Inverter 300L' },
    });
    expect(a.statusCode, a.body).toBe(201);
    expect((a.json() as { product: string }).product).toBe('Tủ lạnh Inverter 300L');
    const b = await app.inject({ method: 'POST', url: '/api/v1/portal/complaints', payload: { ...intake({ customer: { name: 'Hồ Văn Lợi', phone: phone() } }) } });
    const code = (b.json() as { code: string }).code;
    const patched = await app.inject({ method: 'PATCH', url: `/api/v1/complaints/${code}`, headers: agent.headers, payload: { product: 'Tủ lạnh Inverter 300L' } });
    expect((patched.json() as { product: string; timeline: { type: string }[] }).timeline.map((e) => e.type)).toContain('product.changed');
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const report = await app.inject({ url: `/api/v1/reports/summary?from=${today}&to=${today}`, headers: sup.headers });
    expect(report.statusCode, report.body).toBe(200);
    expect(JSON.stringify(report.json())).toContain('Tủ lạnh Inverter 300L');
    await app.close();
  });
});
