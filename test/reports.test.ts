import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildTestApp, randomPhone, seedComplaint, staffWithToken } from './factories';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { answerSurvey } from '../src/commands/answer-survey';
import { reopenComplaint } from '../src/commands/reopen-complaint';
import { createCorrectiveAction } from '../src/commands/manage-corrective-actions';
import { setComplaintRootCause } from '../src/commands/manage-root-causes';
import { cancelInformationRequest, requestInformation } from '../src/commands/request-information';
import { proposeResolution } from '../src/commands/propose-resolution';
import { decideProposal } from '../src/commands/decide-proposal';
import { implementProposal } from '../src/commands/implement-proposal';
import { reportSummary } from '../src/db/queries/reports';
import { loadSlaContext } from '../src/db/queries/settings';
import { bucketsOf, parsePeriod, percentile, toCsv, type PeriodFigures, type ReportSummary } from '../src/domain/reports';
import { crc32, renderXlsx } from '../src/documents/xlsx';
import type { Channel } from '../src/domain/schemas';
import { migrationsFolder, type Database } from '../src/db/open';

const HOUR = 3_600_000;
const vn = (isoLocal: string) => new Date(`${isoLocal}+07:00`);
const agent = { kind: 'agent' as const, id: null, channel: 'console' as const };
const portalCustomer = { kind: 'customer' as const, id: null, channel: 'portal' as const };
const minutesBefore = (at: Date, minutes: number) => new Date(at.getTime() - minutes * 60_000);

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
  // March: A–D (the whole-period figures); June: P–U, over four weeks (the figures of each period).
  const codes: Record<'A' | 'B' | 'C' | 'D' | 'P' | 'Q' | 'R' | 'S' | 'T' | 'U', string> = { A: '', B: '', C: '', D: '', P: '', Q: '', R: '', S: '', T: '', U: '' };
  const junePhones = { P: randomPhone(), Q: randomPhone(), S: randomPhone() };
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
  /** Plain status changes (acknowledge, investigate), each at its Vietnam time. */
  const move = async (code: string, steps: [string, string][]) => {
    for (const [to, at] of steps) await transitionComplaint({ database: db(), actor: agent, code, to: to as never, now: vn(at) });
  };
  /** Asks the customer for information at `from` (the resolution clock pauses) and withdraws the request at `to` (it runs again). */
  const waitOnCustomer = async (code: string, from: string, to: string) => {
    const { id } = await requestInformation({
      database: db(),
      actor: agent,
      code,
      items: [{ kind: 'invoice' }],
      message: 'Xin anh/chị gửi hoá đơn mua hàng.',
      mail: { baseUrl: 'http://sen.test', companyName: 'Công ty Sen' },
      now: vn(from),
    });
    await cancelInformationRequest({ database: db(), actor: agent, code, requestId: id, reason: 'Khách đã đọc số hoá đơn qua điện thoại', now: vn(to) });
  };
  /** Resolved at `at` the policy's way: a proposal half an hour before, accepted by the customer, carried out. */
  const resolveAt = async (code: string, at: string, rootCauseId?: string) => {
    const t = vn(at);
    const { proposal } = await proposeResolution({ database: db(), actor: agent, code, kind: 'other', description: 'Giải thích và hướng dẫn sử dụng.', now: minutesBefore(t, 30) });
    await decideProposal({ database: db(), actor: portalCustomer, code, proposalId: proposal.id, decision: 'accept', channel: 'portal', at: minutesBefore(t, 15), now: minutesBefore(t, 15) });
    await implementProposal({ database: db(), actor: agent, code, proposalId: proposal.id, doneAt: minutesBefore(t, 5), rootCauseId, now: t });
  };
  const customerOf = async (code: string) =>
    (await db().db.execute<{ customer_id: string }>(sql`select customer_id from complaints where code = ${code}`)).rows[0].customer_id;

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
    ]);
    await waitOnCustomer(a, '2025-03-03T13:00:00', '2025-03-04T08:00:00');
    await resolveAt(a, '2025-03-04T09:00:00', defect);
    await answerSurvey({ database, target: { code: a, contact: repeatPhone }, rating: 5, comment: 'Rất hài lòng, cảm ơn nhân viên', now: vn('2025-03-04T12:00:00') });

    // B: the same customer by email; acknowledged in 8 h, resolved, rated 3, reopened, resolved again (32 h from receipt).
    const b = await seed(database, 'B', { at: '2025-03-03T10:00:00', channel: 'email', phone: repeatPhone, name: 'Nguyễn Văn Lặp', categoryId: catA });
    await move(b, [
      ['acknowledged', '2025-03-04T10:00:00'],
      ['investigating', '2025-03-04T10:00:00'],
    ]);
    await resolveAt(b, '2025-03-05T10:00:00', delivery);
    await answerSurvey({ database, target: { code: b, contact: repeatPhone }, rating: 3, now: vn('2025-03-05T12:00:00') });
    const reopened = await reopenComplaint({
      database,
      actor: { kind: 'customer', id: await customerOf(b), channel: 'portal' },
      code: b,
      reason: 'Vẫn giao thiếu hàng',
      now: vn('2025-03-06T09:00:00'),
    });
    expect(reopened.outcome).toBe('reopened');
    await resolveAt(b, '2025-03-07T10:00:00');

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

    // June, by week (Monday 02/06 to Sunday 29/06), business hours Mon–Fri 08–12 and 13–17.
    // Week of 02/06 — P: web, acknowledged in 2 h, resolved in 6 h, rated 4.
    const p = await seed(database, 'P', { at: '2025-06-02T09:00:00', channel: 'web', phone: junePhones.P });
    await move(p, [
      ['acknowledged', '2025-06-02T11:00:00'],
      ['investigating', '2025-06-02T11:00:00'],
    ]);
    await resolveAt(p, '2025-06-02T16:00:00', defect);
    await answerSurvey({ database, target: { code: p, contact: junePhones.P }, rating: 4, now: vn('2025-06-03T12:00:00') });
    // Q: email, acknowledged in 3 h, waits 8 working hours on the customer, resolved in 15 h (delivery), rated 2.
    const q = await seed(database, 'Q', { at: '2025-06-03T09:00:00', channel: 'email', phone: junePhones.Q });
    await move(q, [
      ['acknowledged', '2025-06-03T12:00:00'],
      ['investigating', '2025-06-03T12:00:00'],
    ]);
    await waitOnCustomer(q, '2025-06-03T14:00:00', '2025-06-04T14:00:00');
    await resolveAt(q, '2025-06-05T08:00:00', delivery);
    await answerSurvey({ database, target: { code: q, contact: junePhones.Q }, rating: 2, now: vn('2025-06-05T12:00:00') });
    // Week of 09/06 — R: hotline, never acknowledged (both deadlines missed by 31/07).
    await seed(database, 'R', { at: '2025-06-09T09:00:00', channel: 'hotline' });
    // S: web, acknowledged in 1 h, resolved in 9 h, rated 5, reopened and resolved again (25 h from receipt).
    const sc = await seed(database, 'S', { at: '2025-06-10T09:00:00', channel: 'web', phone: junePhones.S });
    await move(sc, [
      ['acknowledged', '2025-06-10T10:00:00'],
      ['investigating', '2025-06-10T10:00:00'],
    ]);
    await resolveAt(sc, '2025-06-11T10:00:00', delivery);
    await answerSurvey({ database, target: { code: sc, contact: junePhones.S }, rating: 5, now: vn('2025-06-11T12:00:00') });
    const again = await reopenComplaint({
      database,
      actor: { kind: 'customer', id: await customerOf(sc), channel: 'portal' },
      code: sc,
      reason: 'Hàng giao lại vẫn sai màu',
      now: vn('2025-06-12T09:00:00'),
    });
    expect(again.outcome).toBe('reopened');
    await resolveAt(sc, '2025-06-13T10:00:00');
    // T: office, acknowledged in 1 h, resolved on 14/07, after its 20 working days (184 working hours).
    const t = await seed(database, 'T', { at: '2025-06-11T09:00:00', channel: 'office' });
    await move(t, [
      ['acknowledged', '2025-06-11T10:00:00'],
      ['investigating', '2025-06-11T10:00:00'],
    ]);
    await resolveAt(t, '2025-07-14T09:00:00', delivery);
    // Week of 16/06 — U: web, never acknowledged, a delivery root cause recorded. Week of 23/06: nothing.
    const u = await seed(database, 'U', { at: '2025-06-17T09:00:00', channel: 'web' });
    await setComplaintRootCause({ database, actor: agent, code: u, rootCauseId: delivery, now: vn('2025-06-18T09:00:00') });
    // A corrective action on delivery, opened on Wednesday 11/06.
    await createCorrectiveAction({
      database,
      actor: agent,
      input: { title: 'Đối chiếu màu và mẫu trước khi đóng gói', rootCauseId: delivery, complaintCodes: [sc] },
      now: vn('2025-06-11T10:00:00'),
    });
  });

  const summary = async (groupBy: 'day' | 'week' | 'month' = 'week'): Promise<ReportSummary> =>
    reportSummary(db(), {
      period: parsePeriod({ from: '2025-03-03', to: '2025-03-16', groupBy }, new Date()),
      sla: await loadSlaContext(db()),
      now: vn('2025-03-20T10:00:00'),
      windowDays: 7,
    });
  const june = async (groupBy: 'day' | 'week' | 'month' = 'week', locale: 'vi' | 'en' = 'vi'): Promise<ReportSummary> =>
    reportSummary(db(), {
      period: parsePeriod({ from: '2025-06-02', to: '2025-06-29', groupBy }, new Date()),
      sla: await loadSlaContext(db()),
      now: vn('2025-07-31T10:00:00'),
      windowDays: 14,
      locale,
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
    // Week by week: one whole week before the opening (B, received 03/03), the opening week, and the week of "now" (20/03), not over.
    expect(s.rootCauses.correctiveActions[0].weeks).toEqual([
      { week: '2025-03-03', count: 1, phase: 'before', partial: false },
      { week: '2025-03-10', count: 0, phase: 'opening', partial: false },
      { week: '2025-03-17', count: 0, phase: 'after', partial: true },
    ]);
  });

  it('gives on-time rates, working times, pauses, CSAT and reopen rate for each week, empty weeks included', async () => {
    const s = await june();
    const none = { count: 0, sampled: 0, medianMs: null, p90Ms: null };
    const noRatings = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    const expected: PeriodFigures[] = [
      {
        period: '2025-06-02',
        complaints: 2,
        acknowledgement: { met: 2, breached: 0, open: 0, onTimeRate: 1 },
        resolution: { met: 2, breached: 0, open: 0, onTimeRate: 1 },
        timeToAcknowledge: { count: 2, sampled: 2, medianMs: 2.5 * HOUR, p90Ms: 2.9 * HOUR },
        timeToResolve: { count: 2, sampled: 2, medianMs: 10.5 * HOUR, p90Ms: 14.1 * HOUR },
        paused: { totalMs: 8 * HOUR, complaints: 1, averageMs: 8 * HOUR },
        csat: { surveys: 2, sent: 0, answered: 2, responseRate: 1, average: 3, distribution: { ...noRatings, '2': 1, '4': 1 } },
        reopen: { resolved: 2, reopened: 0, rate: 0 },
      },
      {
        period: '2025-06-09',
        complaints: 3,
        acknowledgement: { met: 2, breached: 1, open: 0, onTimeRate: 0.6667 },
        resolution: { met: 1, breached: 2, open: 0, onTimeRate: 0.3333 },
        timeToAcknowledge: { count: 2, sampled: 2, medianMs: HOUR, p90Ms: HOUR },
        timeToResolve: { count: 2, sampled: 2, medianMs: 104.5 * HOUR, p90Ms: Math.round(168.1 * HOUR) },
        paused: { totalMs: 0, complaints: 0, averageMs: null },
        // S was surveyed after each of its two resolutions, T once; only S's first was answered.
        csat: { surveys: 3, sent: 0, answered: 1, responseRate: 0.3333, average: 5, distribution: { ...noRatings, '5': 1 } },
        reopen: { resolved: 2, reopened: 1, rate: 0.5 },
      },
      {
        period: '2025-06-16',
        complaints: 1,
        acknowledgement: { met: 0, breached: 1, open: 0, onTimeRate: 0 },
        resolution: { met: 0, breached: 1, open: 0, onTimeRate: 0 },
        timeToAcknowledge: none,
        timeToResolve: none,
        paused: { totalMs: 0, complaints: 0, averageMs: null },
        csat: { surveys: 0, sent: 0, answered: 0, responseRate: null, average: null, distribution: noRatings },
        reopen: { resolved: 0, reopened: 0, rate: null },
      },
      {
        period: '2025-06-23',
        complaints: 0,
        acknowledgement: { met: 0, breached: 0, open: 0, onTimeRate: null },
        resolution: { met: 0, breached: 0, open: 0, onTimeRate: null },
        timeToAcknowledge: none,
        timeToResolve: none,
        paused: { totalMs: 0, complaints: 0, averageMs: null },
        csat: { surveys: 0, sent: 0, answered: 0, responseRate: null, average: null, distribution: noRatings },
        reopen: { resolved: 0, reopened: 0, rate: null },
      },
    ];
    expect(s.trend).toEqual(expected);
    expect(s.volumes.series.map((p) => p.total)).toEqual([2, 3, 1, 0]);

    // The whole period: the same complaints together (not an average of the weeks' rates).
    expect(s.sla).toMatchObject({
      acknowledgement: { met: 4, breached: 2, open: 0, onTimeRate: 0.6667 },
      resolution: { met: 3, breached: 3, open: 0, onTimeRate: 0.5 },
      timeToAcknowledge: { count: 4, sampled: 4, medianMs: 1.5 * HOUR, p90Ms: 2.7 * HOUR },
      timeToResolve: { count: 4, sampled: 4, medianMs: 20 * HOUR, p90Ms: Math.round(136.3 * HOUR) },
      paused: { totalMs: 8 * HOUR, complaints: 1, averageMs: 8 * HOUR },
    });
    expect(s.csat).toEqual({ surveys: 5, sent: 0, answered: 3, responseRate: 0.6, average: 3.67, distribution: { ...noRatings, '2': 1, '4': 1, '5': 1 } });
    expect(s.reopen).toEqual({ resolved: 4, reopened: 1, rate: 0.25 });

    // By month the period is one bucket, with the whole period's figures; by day, the days.
    const monthly = await june('month');
    expect(monthly.trend).toHaveLength(1);
    expect(monthly.trend[0]).toMatchObject({ period: '2025-06-01', complaints: 6, acknowledgement: s.sla.acknowledgement, timeToResolve: s.sla.timeToResolve, csat: s.csat, reopen: s.reopen });
    const daily = await june('day');
    expect(daily.trend).toHaveLength(28);
    expect(daily.trend.filter((p) => p.complaints > 0).map((p) => [p.period, p.complaints, p.acknowledgement.onTimeRate, p.timeToResolve.medianMs])).toEqual([
      ['2025-06-02', 1, 1, 6 * HOUR],
      ['2025-06-03', 1, 1, 15 * HOUR],
      ['2025-06-09', 1, 0, null],
      ['2025-06-10', 1, 1, 25 * HOUR],
      ['2025-06-11', 1, 1, 184 * HOUR],
      ['2025-06-17', 1, 0, null],
    ]);
  });

  it('follows the complaints with a corrective action\'s root cause week by week, from before its opening to now', async () => {
    const s = await june();
    expect(s.rootCauses.correctiveActions).toHaveLength(1);
    const a = s.rootCauses.correctiveActions[0];
    // 14 days either side of 11/06 10:00: Q, S and T before; U after.
    expect(a).toMatchObject({ title: 'Đối chiếu màu và mẫu trước khi đóng gói', windowDays: 14, before: 3, after: 1, change: -0.6667 });
    // Two whole weeks before the opening week, then every week to the week of 31/07.
    expect(a.weeks.map((w) => [w.week, w.count, w.phase])).toEqual([
      ['2025-05-26', 0, 'before'],
      ['2025-06-02', 1, 'before'],
      ['2025-06-09', 2, 'opening'],
      ['2025-06-16', 1, 'after'],
      ['2025-06-23', 0, 'after'],
      ['2025-06-30', 0, 'after'],
      ['2025-07-07', 0, 'after'],
      ['2025-07-14', 0, 'after'],
      ['2025-07-21', 0, 'after'],
      ['2025-07-28', 0, 'after'],
    ]);
    expect(a.weeks.filter((w) => w.partial).map((w) => w.week)).toEqual(['2025-07-28']);
    // Labels in English when asked: channels, the root cause's English name.
    const en = await june('week', 'en');
    expect(en.volumes.byChannel.map((c) => c.label)).toEqual(['Web', 'Email', 'Hotline', 'Office']);
    expect(en.rootCauses.top.map((r) => r.label)).toContain('Late or wrong delivery');
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

    // English: with Accept-Language, or with ?lang= (which wins; the page passes its own language).
    const en = { ...sup.headers, 'accept-language': 'en-US,en;q=0.9' };
    const enLines = (await app.inject({ method: 'GET', url: `/api/v1/reports/volumes.csv?${q}`, headers: en })).body.split('\r\n');
    expect(enLines[0]).toBe('\uFEFFPeriod (from),Dimension,Value,Complaints');
    expect(enLines).toContain('03/03/2025,Total,All,3');
    expect(enLines).toContain('03/03/2025,Category,Product defect,2');
    expect(enLines).toContain('10/03/2025,Channel,Hotline,1');
    const enSla = await app.inject({ method: 'GET', url: `/api/v1/reports/sla.csv?${q}`, headers: en });
    expect(enSla.headers['content-disposition']).toContain('report-sla-2025-03-03-2025-03-16.csv');
    expect(enSla.body.split('\r\n')[0]).toBe('\uFEFFClock,On time,Late,Running,On-time rate (%),Median (working hours),P90 (working hours),Measured,Paused (working hours)');
    expect(enSla.body.split('\r\n')[1]).toMatch(/^Acknowledgement,2,2,0,50,8,46\.4,3,$/);
    const viByParam = await app.inject({ method: 'GET', url: `/api/v1/reports/sla.csv?${q}&lang=vi`, headers: en });
    expect(viByParam.body.split('\r\n')[1]).toMatch(/^Phản hồi tiếp nhận,/);
    const enByParam = (await app.inject({ method: 'GET', url: `/api/v1/reports/csat.csv?${q}&lang=en`, headers: sup.headers })).body;
    expect(enByParam.startsWith('\uFEFFComplaint code,Rated on,Rating (1–5),Comment,Resolution no.\r\n')).toBe(true);
    const enRepeat = (await app.inject({ method: 'GET', url: `/api/v1/reports/repeat-customers.csv?${q}&lang=en`, headers: sup.headers })).body;
    expect(enRepeat.startsWith('\uFEFFCustomer,Phone,Email,Complaints,Complaint codes,First,Last\r\n')).toBe(true);
    const enCauses = unzip((await app.inject({ method: 'GET', url: `/api/v1/reports/root-causes.xlsx?${q}`, headers: en })).rawPayload);
    expect(enCauses.get('xl/workbook.xml')!.toString()).toContain('name="Root causes"');
    expect(enCauses.get('xl/worksheets/sheet1.xml')!.toString()).toContain('<t xml:space="preserve">Late or wrong delivery</t>');
    expect((await app.inject({ method: 'GET', url: `/api/v1/reports/sla.csv?${q}&lang=fr`, headers: sup.headers })).statusCode).toBe(422);

    const agentUser = await staffWithToken(db(), 'agent');
    expect((await app.inject({ method: 'GET', url: `/api/v1/reports/csat.xlsx?${q}`, headers: agentUser.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/v1/reports/csat.xlsx?${q}` })).statusCode).toBe(401);
    await app.close();
  });

  it('serves each week\'s figures in one summary, and exports them: SLA by period, satisfaction (CSAT distribution, reopen rate), action trend', async () => {
    const app = await buildTestApp(db());
    const sup = await staffWithToken(db(), 'supervisor');
    const q = 'from=2025-06-02&to=2025-06-29&groupBy=week&windowDays=14';
    const res = await app.inject({ method: 'GET', url: `/api/v1/reports/summary?${q}`, headers: sup.headers });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json() as ReportSummary;
    expect(s.trend.map((p) => [p.period, p.acknowledgement.onTimeRate, p.resolution.onTimeRate, p.csat.average, p.reopen.rate])).toEqual([
      ['2025-06-02', 1, 1, 3, 0],
      ['2025-06-09', 0.6667, 0.3333, 5, 0.5],
      ['2025-06-16', 0, 0, null, null],
      ['2025-06-23', null, null, null, null],
    ]);
    expect(s.rootCauses.correctiveActions[0].weeks.slice(0, 4).map((w) => [w.week, w.count, w.phase])).toEqual([
      ['2025-05-26', 0, 'before'],
      ['2025-06-02', 1, 'before'],
      ['2025-06-09', 2, 'opening'],
      ['2025-06-16', 1, 'after'],
    ]);

    const csv = async (name: string, headers: Record<string, string> = sup.headers, extra = '') => {
      const r = await app.inject({ method: 'GET', url: `/api/v1/reports/${name}.csv?${q}${extra}`, headers });
      expect(r.statusCode, r.body).toBe(200);
      return r.body.replace(/^\uFEFF/, '').split('\r\n');
    };
    // SLA by period, Vietnamese by default: a row per week, then the whole period.
    const sla = await csv('sla-periods');
    expect(sla[0]).toBe(
      'Kỳ (từ ngày),Số khiếu nại,Tiếp nhận đúng hạn,Tiếp nhận quá hạn,Tiếp nhận đang chạy,Tỉ lệ tiếp nhận đúng hạn (%),' +
        'Giải quyết đúng hạn,Giải quyết quá hạn,Giải quyết đang chạy,Tỉ lệ giải quyết đúng hạn (%),' +
        'Trung vị đến tiếp nhận (giờ làm việc),P90 đến tiếp nhận (giờ làm việc),Trung vị đến giải quyết (giờ làm việc),P90 đến giải quyết (giờ làm việc),' +
        'Tạm dừng (giờ làm việc),Số khiếu nại tạm dừng,CSAT trung bình (1–5),Tỉ lệ mở lại (%)',
    );
    expect(sla.slice(1, 6)).toEqual([
      '02/06/2025,2,2,0,0,100,2,0,0,100,2.5,2.9,10.5,14.1,8,1,3,0',
      '09/06/2025,3,2,1,0,66.7,1,2,0,33.3,1,1,104.5,168.1,0,0,5,50',
      '16/06/2025,1,0,1,0,0,0,1,0,0,,,,,0,0,,',
      '23/06/2025,0,0,0,0,,0,0,0,,,,,,0,0,,',
      'Cả kỳ,6,4,2,0,66.7,3,3,0,50,1.5,2.7,20,136.3,8,1,3.67,25',
    ]);
    expect((await csv('sla-periods', { ...sup.headers, 'accept-language': 'en' }))[5]).toBe('Whole period,6,4,2,0,66.7,3,3,0,50,1.5,2.7,20,136.3,8,1,3.67,25');

    // Satisfaction: surveys, the CSAT average and its distribution (1–5), the reopen rate.
    const sat = await csv('satisfaction');
    expect(sat[0]).toBe('Kỳ (từ ngày),Số khảo sát,Đã gửi,Đã trả lời,Tỉ lệ phản hồi (%),CSAT trung bình (1–5),1 sao,2 sao,3 sao,4 sao,5 sao,Đã giải quyết,Mở lại,Tỉ lệ mở lại (%)');
    expect(sat.slice(1, 6)).toEqual([
      '02/06/2025,2,0,2,100,3,0,1,0,1,0,2,0,0',
      '09/06/2025,3,0,1,33.3,5,0,0,0,0,1,2,1,50',
      '16/06/2025,0,0,0,,,0,0,0,0,0,0,0,',
      '23/06/2025,0,0,0,,,0,0,0,0,0,0,0,',
      'Cả kỳ,5,0,3,60,3.67,0,1,0,1,1,4,1,25',
    ]);
    const satEn = await csv('satisfaction', { ...sup.headers, 'accept-language': 'en' });
    expect(satEn[0]).toBe('Period (from),Surveys,Sent,Answered,Response rate (%),Average CSAT (1–5),1 star,2 stars,3 stars,4 stars,5 stars,Resolved,Reopened,Reopen rate (%)');
    expect(satEn[5]).toBe('Whole period,5,0,3,60,3.67,0,1,0,1,1,4,1,25');

    // The same as XLSX, in the language asked by ?lang=.
    const xlsx = async (name: string, extra = '') => {
      const r = await app.inject({ method: 'GET', url: `/api/v1/reports/${name}.xlsx?${q}${extra}`, headers: sup.headers });
      expect(r.statusCode).toBe(200);
      const files = unzip(r.rawPayload);
      return { workbook: files.get('xl/workbook.xml')!.toString(), sheet: files.get('xl/worksheets/sheet1.xml')!.toString() };
    };
    const cell = (ref: string, v: string | number) =>
      typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${v}</t></is></c>`;
    const satVi = await xlsx('satisfaction');
    expect(satVi.workbook).toContain('name="Hài lòng và mở lại"');
    expect(satVi.sheet).toContain('<t xml:space="preserve">Tỉ lệ mở lại (%)</t>');
    expect(satVi.sheet).toContain('<t xml:space="preserve">5 sao</t>');
    // Row 6, the whole period: average 3.67, one answer each of 2, 4 and 5 stars, reopen rate 25 %.
    expect(satVi.sheet).toContain([cell('A6', 'Cả kỳ'), cell('B6', 5), cell('C6', 0), cell('D6', 3), cell('E6', 60), cell('F6', 3.67)].join(''));
    expect(satVi.sheet).toContain([cell('G6', 0), cell('H6', 1), cell('I6', 0), cell('J6', 1), cell('K6', 1), cell('L6', 4), cell('M6', 1), cell('N6', 25)].join(''));
    const satXlsxEn = await xlsx('satisfaction', '&lang=en');
    expect(satXlsxEn.workbook).toContain('name="Satisfaction and reopening"');
    expect(satXlsxEn.sheet).toContain('<t xml:space="preserve">Reopen rate (%)</t>');
    expect(satXlsxEn.sheet).toContain(cell('A6', 'Whole period'));
    const slaXlsxEn = await xlsx('sla-periods', '&lang=en');
    expect(slaXlsxEn.workbook).toContain('name="SLA by period"');
    expect(slaXlsxEn.sheet).toContain([cell('A3', '09/06/2025'), cell('B3', 3), cell('C3', 2), cell('D3', 1), cell('E3', 0), cell('F3', 66.7)].join(''));

    // The action's weeks: before, the opening week, after.
    const trend = await csv('action-trend', sup.headers, '&lang=en');
    expect(trend[0]).toBe('Corrective action,Root cause,Opened on,Week (from),Complaints,Phase');
    expect(trend.slice(1, 5)).toEqual([
      'Đối chiếu màu và mẫu trước khi đóng gói,Late or wrong delivery,11/06/2025,26/05/2025,0,Before',
      'Đối chiếu màu và mẫu trước khi đóng gói,Late or wrong delivery,11/06/2025,02/06/2025,1,Before',
      'Đối chiếu màu và mẫu trước khi đóng gói,Late or wrong delivery,11/06/2025,09/06/2025,2,Week opened',
      'Đối chiếu màu và mẫu trước khi đóng gói,Late or wrong delivery,11/06/2025,16/06/2025,1,After',
    ]);
    expect((await csv('action-trend'))[3]).toBe('Đối chiếu màu và mẫu trước khi đóng gói,Giao hàng chậm hoặc sai,11/06/2025,09/06/2025,2,Tuần mở hành động');
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

describeEachDatabase('withdrawn and merged complaints', (db) => {
  const agent = { kind: 'agent' as const, id: null, channel: 'console' as const };
  it('leave on-time rates alone: clocks stopped in time are cancelled, not met; the customer reads that the promise no longer applies', async () => {
    const database = db();
    const phone = randomPhone();
    const at = (local: string) => vn(local);
    const make = async (local: string, p = randomPhone()) =>
      (await seedComplaint(database, { now: at(local), input: { customer: { name: 'Khách Rút', phone: p } } })).code;
    // Received in September 2024: one acknowledged in time, one withdrawn by the customer in time,
    // one merged into the first in time, and one withdrawn after its acknowledgement was already late.
    const kept = await make('2024-09-03T09:00:00');
    await transitionComplaint({ database, actor: agent, code: kept, to: 'acknowledged', now: at('2024-09-03T10:00:00') });
    const withdrawn = await make('2024-09-03T09:00:00', phone);
    await transitionComplaint({ database, actor: agent, code: withdrawn, to: 'withdrawn', reason: 'Khách đã nhận được hàng', now: at('2024-09-04T09:00:00') });
    const merged = await make('2024-09-03T09:00:00');
    await transitionComplaint({ database, actor: agent, code: merged, to: 'acknowledged', now: at('2024-09-03T11:00:00') });
    await transitionComplaint({ database, actor: agent, code: merged, to: 'merged', mergedInto: kept, now: at('2024-09-04T09:00:00') });
    const late = await make('2024-09-03T09:00:00');
    await transitionComplaint({ database, actor: agent, code: late, to: 'withdrawn', reason: 'Khách không chờ được nữa', now: at('2024-09-20T09:00:00') });

    const s = await reportSummary(database, {
      period: parsePeriod({ from: '2024-09-02', to: '2024-09-15', groupBy: 'week' }, new Date()),
      sla: await loadSlaContext(database),
      now: at('2024-12-01T10:00:00'),
      windowDays: 7,
    });
    // Acknowledgement: kept and merged (acknowledged before the merge) met; late breached; the in-time withdrawal not counted.
    expect(s.sla.acknowledgement).toEqual({ met: 2, breached: 1, open: 0, onTimeRate: 0.6667 });
    // Resolution: the kept one still runs long past its due (breached); the three endings in time are not counted… but
    // the late withdrawal came before the resolution due (20 working days), so it is cancelled too.
    expect(s.sla.resolution).toEqual({ met: 0, breached: 1, open: 0, onTimeRate: 0 });

    const app = await buildTestApp(database);
    const agentUser = await staffWithToken(database, 'agent');
    const staffView = (await app.inject({ url: `/api/v1/complaints/${withdrawn}`, headers: agentUser.headers })).json() as {
      clocks: { kind: string; state: string; level: string }[];
    };
    expect(staffView.clocks.map((c) => [c.kind, c.state, c.level])).toEqual([
      ['acknowledgement', 'cancelled', 'cancelled'],
      ['resolution', 'cancelled', 'cancelled'],
      ['negotiation', 'cancelled', 'cancelled'],
    ]);
    const pub = await app.inject({ url: `/api/v1/portal/complaints/${withdrawn}?contact=${encodeURIComponent(phone)}` });
    expect((pub.json() as { promises: { kind: string; state: string }[] }).promises.map((p) => [p.kind, p.state])).toEqual([
      ['acknowledgement', 'cancelled'],
      ['resolution', 'cancelled'],
    ]);
    await app.close();

    // A data folder from before the state existed: migration 0027 cancels the same clocks again.
    await database.db.execute(sql`update complaints set clocks = (select jsonb_object_agg(k, v - 'cancelled') from jsonb_each(clocks) as x(k, v))
      where code in (${kept}, ${withdrawn}, ${merged}, ${late})`);
    const states = async (code: string) =>
      (await database.db.execute<{ k: string; v: string | null }>(sql`select k, v->>'cancelled' as v from complaints, jsonb_each(clocks) as x(k, v) where code = ${code} order by k`)).rows.map((r) => [r.k, r.v]);
    expect(await states(withdrawn)).toEqual([['acknowledgement', null], ['negotiation', null], ['resolution', null]]);
    await database.db.execute(sql.raw(await readFile(path.join(migrationsFolder, '0027_cancelled_clocks.sql'), 'utf8')));
    expect(await states(withdrawn)).toEqual([['acknowledgement', 'true'], ['negotiation', 'true'], ['resolution', 'true']]);
    // The merged one was acknowledged in time before the merge: that stays met; the rest is cancelled.
    expect(await states(merged)).toEqual([['acknowledgement', null], ['negotiation', 'true'], ['resolution', 'true']]);
    expect(await states(late)).toEqual([['acknowledgement', null], ['negotiation', null], ['resolution', 'true']]);
    expect(await states(kept)).toEqual([['acknowledgement', null], ['negotiation', null], ['resolution', null]]);
  });
});
