import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { buildIntake, buildTestApp, randomPhone, staffWithToken } from './factories';
import { verifyAudit } from '../src/commands/verify-audit';
import type { Database } from '../src/db/open';

type Staff = Awaited<ReturnType<typeof staffWithToken>>;

interface ProposalView {
  id: string;
  kind: string;
  status: string;
  amountVnd: number | null;
  amountText: string | null;
  approval: { state: string; by: { id: string; name: string } | null; note: string | null };
  decision: { decision: string; channel: string; at: string; note: string | null } | null;
  implementation: { doneAt: string; refundReference: string | null; shipmentReference: string | null } | null;
}

interface CustomerProposals {
  code: string;
  status: string;
  proposals: { id: string; status: string; amountText: string | null; canDecide: boolean; kindLabel: { vi: string } }[];
}

async function count(database: Database, query: ReturnType<typeof sql>): Promise<number> {
  return Number((await database.db.execute<{ n: string }>(query)).rows[0].n);
}

describeEachDatabase('resolution: proposals, approval, customer decisions, implementation, refusal', (db) => {
  let app: FastifyInstance;
  let agent: Staff;
  let supervisor: Staff;
  let admin: Staff;
  let auditor: Staff;
  let department: Staff;
  let rootCauseId = '';

  beforeAll(async () => {
    app = await buildTestApp(db());
    [agent, supervisor, admin, auditor, department] = await Promise.all([
      staffWithToken(db(), 'agent'),
      staffWithToken(db(), 'supervisor'),
      staffWithToken(db(), 'admin'),
      staffWithToken(db(), 'auditor'),
      staffWithToken(db(), 'department'),
    ]);
    rootCauseId = (await db().db.execute<{ id: string }>(sql`select id from root_causes where slug = 'product-defect'`)).rows[0].id;
  });
  afterAll(async () => app?.close());

  /** A complaint filed on the portal, contacted and under investigation; returns its code and the customer's contacts. */
  async function investigating(name = 'Lê Thị Thu Hà') {
    const phone = randomPhone();
    const email = `khach.${phone}@example.vn`;
    const filed = await app.inject({
      method: 'POST',
      url: '/api/v1/portal/complaints',
      payload: buildIntake({ customer: { name, phone, email } }),
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const code = (filed.json() as { code: string }).code;
    const contact = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/contacts`,
      headers: agent.headers,
      payload: { method: 'call', summary: 'Đã gọi khách, hẹn kiểm tra sản phẩm.' },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    const moved = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/transitions`, headers: agent.headers, payload: { to: 'investigating' } });
    expect(moved.statusCode, moved.body).toBe(200);
    return { code, phone, email };
  }

  const propose = (code: string, body: Record<string, unknown>, headers: Record<string, string> = agent.headers) =>
    app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/proposals`, headers, payload: body });
  const portalProposals = (code: string, contact: string) =>
    app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${code}/proposals?contact=${encodeURIComponent(contact)}` });
  const portalDecide = (code: string, id: string, contact: string, decision: 'accept' | 'reject', note?: string) =>
    app.inject({ method: 'POST', url: `/api/v1/portal/complaints/${code}/proposals/${id}/decision`, payload: { contact, decision, ...(note ? { note } : {}) } });
  const statusOf = async (code: string) =>
    (await db().db.execute<{ status: string }>(sql`select status from complaints where code = ${code}`)).rows[0].status;
  const mailsTo = async (address: string) =>
    (await db().db.execute<{ subject: string; text: string; html: string }>(sql`
      select subject, text, html from outbound_messages where to_address = ${address} order by created_at`)).rows;
  const eventsOf = async (code: string) =>
    (await db().db.execute<{ type: string; channel: string; payload: Record<string, unknown> }>(sql`
      select e.type, e.channel, e.payload from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code} order by e.seq`)).rows;

  it('requires authentication and the right role on every staff route', async () => {
    const { code } = await investigating();
    const id = '00000000-0000-4000-8000-000000000000';
    const routes: { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: Record<string, unknown>; forbidden: Staff }[] = [
      { method: 'GET', url: `/api/v1/complaints/${code}/resolution`, forbidden: department },
      { method: 'POST', url: `/api/v1/complaints/${code}/proposals`, payload: { kind: 'repair', description: 'Sửa miễn phí' }, forbidden: auditor },
      { method: 'POST', url: `/api/v1/complaints/${code}/proposals/${id}/approval`, payload: { decision: 'approve' }, forbidden: agent },
      {
        method: 'POST',
        url: `/api/v1/complaints/${code}/proposals/${id}/decision`,
        payload: { decision: 'accept', channel: 'hotline', at: new Date().toISOString() },
        forbidden: auditor,
      },
      { method: 'POST', url: `/api/v1/complaints/${code}/proposals/${id}/implementation`, payload: { doneAt: new Date().toISOString() }, forbidden: auditor },
      { method: 'POST', url: `/api/v1/complaints/${code}/reject`, payload: { reason: 'Không thuộc phạm vi' }, forbidden: agent },
      { method: 'GET', url: '/api/v1/authorities', forbidden: department },
      { method: 'POST', url: '/api/v1/authorities', payload: { kind: 'mediation', name: 'Trung tâm hòa giải X' }, forbidden: supervisor },
      { method: 'PATCH', url: `/api/v1/authorities/${id}`, payload: { active: false }, forbidden: agent },
      { method: 'POST', url: `/api/v1/complaints/${code}/escalations`, payload: { authorityName: 'Tòa án nhân dân', reason: 'Không thỏa thuận được' }, forbidden: agent },
      { method: 'PATCH', url: `/api/v1/complaints/${code}/escalations/${id}`, payload: { referenceNo: '12/SCT' }, forbidden: agent },
      { method: 'GET', url: `/api/v1/complaints/${code}/escalations/${id}/dossier.zip`, forbidden: department },
      { method: 'GET', url: `/api/v1/complaints/${code}/escalations/${id}/dossier.pdf`, forbidden: department },
    ];
    const before = await eventsOf(code);
    for (const r of routes) {
      const anonymous = await app.inject({ method: r.method, url: r.url, payload: r.payload });
      expect(anonymous.statusCode, `${r.method} ${r.url}`).toBe(401);
      const wrongRole = await app.inject({ method: r.method, url: r.url, payload: r.payload, headers: r.forbidden.headers });
      expect(wrongRole.statusCode, `${r.method} ${r.url} as ${r.forbidden.user.role}`).toBe(403);
    }
    expect(await eventsOf(code)).toHaveLength(before.length);
    expect(await statusOf(code)).toBe('investigating');
  });

  it('offers a proposal up to the threshold at once: complaint proposed, negotiation clock stopped, customer emailed with the code and amount', async () => {
    const { code, phone, email } = await investigating();
    const res = await propose(code, { kind: 'refund', description: 'Hoàn lại tiền mua đồng hồ do lỗi sản xuất.', amountVnd: 1_500_000 });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json() as ProposalView;
    expect(p).toMatchObject({ kind: 'refund', status: 'offered', amountVnd: 1_500_000, amountText: '1.500.000 ₫', approval: { state: 'not_required' } });
    expect(await statusOf(code)).toBe('proposed');
    // A second proposal while this one is offered: told that one is open (as docs/API.md says), not a bare status error.
    const second = await propose(code, { kind: 'exchange', description: 'Đổi đồng hồ mới.' });
    expect(second.statusCode).toBe(409);
    expect((second.json() as { error: { code: string } }).error.code).toBe('proposal_open');
    const clocks = (await db().db.execute<{ clocks: Record<string, { stoppedAt: string | null }> }>(sql`select clocks from complaints where code = ${code}`)).rows[0].clocks;
    expect(clocks.negotiation.stoppedAt).not.toBeNull();
    expect(clocks.resolution.stoppedAt).toBeNull();

    const mails = await mailsTo(email);
    const offered = mails.find((m) => m.subject.includes('Phương án'));
    expect(offered?.subject).toContain(`[${code}]`);
    expect(offered?.text).toContain('1.500.000 ₫');
    expect(offered?.text).toContain('Hoàn tiền');
    expect(offered?.text).toContain(`/tra-cuu?code=${code}`);
    // The mail is recorded for threading: a reply to it lands on this complaint.
    expect(await count(db(), sql`select count(*) as n from mail_messages m join complaints c on c.id = m.complaint_id
      where c.code = ${code} and m.direction = 'out' and m.body_hash like 'outbox:proposal-offered:%'`)).toBe(1);

    const view = await portalProposals(code, phone);
    expect(view.statusCode).toBe(200);
    expect((view.json() as CustomerProposals).proposals).toEqual([
      expect.objectContaining({ id: p.id, status: 'offered', amountText: '1.500.000 ₫', canDecide: true, kindLabel: expect.objectContaining({ vi: 'Hoàn tiền' }) }),
    ]);
    const status = await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${code}?contact=${encodeURIComponent(email)}` });
    expect((status.json() as { timeline: { type: string }[] }).timeline.map((e) => e.type)).toContain('proposal.offered');
  });

  it('holds a proposal above the threshold for a supervisor: the customer can neither see nor answer it until approved', async () => {
    const { code, phone, email } = await investigating();
    const res = await propose(code, { kind: 'refund', description: 'Hoàn tiền toàn bộ đơn hàng tivi.', amountVnd: 12_000_000 });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json() as ProposalView;
    expect(p).toMatchObject({ status: 'pending_approval', approval: { state: 'pending', by: null } });
    expect(await statusOf(code)).toBe('investigating');
    expect((await mailsTo(email)).filter((m) => m.subject.includes('Phương án'))).toHaveLength(0);

    expect(((await portalProposals(code, phone)).json() as CustomerProposals).proposals).toEqual([]);
    const early = await portalDecide(code, p.id, phone, 'accept');
    expect(early.statusCode).toBe(404);
    const publicTimeline = (await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${code}?contact=${phone}` })).json() as { timeline: { type: string }[] };
    expect(publicTimeline.timeline.map((e) => e.type)).not.toContain('proposal.created');
    // Nobody records an answer to it either, and a second proposal waits for this one.
    const byPhone = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${p.id}/decision`,
      headers: agent.headers,
      payload: { decision: 'accept', channel: 'hotline', at: new Date().toISOString() },
    });
    expect(byPhone.statusCode).toBe(409);
    expect((await propose(code, { kind: 'voucher', description: 'Voucher', amountVnd: 200_000 })).statusCode).toBe(409);

    const approved = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${p.id}/approval`,
      headers: supervisor.headers,
      payload: { decision: 'approve', note: 'Đồng ý: khách hàng thân thiết, lỗi do nhà sản xuất.' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'offered',
      approval: { state: 'approved', by: { id: supervisor.user.id }, note: 'Đồng ý: khách hàng thân thiết, lỗi do nhà sản xuất.' },
    });
    // The supervisor's note is for staff: the customer never sees it.
    expect(JSON.stringify((await portalProposals(code, phone)).json())).not.toContain('khách hàng thân thiết');
    expect(await statusOf(code)).toBe('proposed');
    expect((await mailsTo(email)).filter((m) => m.subject.includes('Phương án'))).toHaveLength(1);
    expect(((await portalProposals(code, phone)).json() as CustomerProposals).proposals.map((x) => x.amountText)).toEqual(['12.000.000 ₫']);
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${p.id}/approval`,
      headers: supervisor.headers,
      payload: { decision: 'approve' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('a supervisor sends a large proposal back with a note; the agent proposes again; a supervisor’s own large proposal needs no second approval', async () => {
    const { code, phone } = await investigating();
    const p = (await propose(code, { kind: 'voucher', description: 'Voucher 10 triệu', amountVnd: 10_000_000 })).json() as ProposalView;
    const noNote = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${p.id}/approval`,
      headers: supervisor.headers,
      payload: { decision: 'reject' },
    });
    expect(noNote.statusCode).toBe(422);
    const back = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${p.id}/approval`,
      headers: supervisor.headers,
      payload: { decision: 'reject', note: 'Mức voucher quá cao so với giá trị đơn hàng.' },
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ status: 'withdrawn', approval: { state: 'rejected', note: 'Mức voucher quá cao so với giá trị đơn hàng.' } });
    expect(((await portalProposals(code, phone)).json() as CustomerProposals).proposals).toEqual([]);

    const own = await propose(code, { kind: 'voucher', description: 'Voucher 6 triệu', amountVnd: 6_000_000 }, supervisor.headers);
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ status: 'offered', approval: { state: 'approved', by: { id: supervisor.user.id } } });

    const resolution = (await app.inject({ method: 'GET', url: `/api/v1/complaints/${code}/resolution`, headers: auditor.headers })).json() as {
      approvalThresholdVnd: number;
      proposals: ProposalView[];
    };
    expect(resolution.approvalThresholdVnd).toBe(5_000_000);
    expect(resolution.proposals.map((x) => [x.status, x.approval.state])).toEqual([
      ['withdrawn', 'rejected'],
      ['offered', 'approved'],
    ]);
  });

  it('customer accepts on the portal, the refund is implemented and the complaint is resolved with a root cause', async () => {
    const { code, phone, email } = await investigating('Phạm Minh Đức');
    const p = (await propose(code, { kind: 'refund', description: 'Hoàn 900.000 đ', amountVnd: 900_000 })).json() as ProposalView;
    // Implementing before the customer agreed is refused.
    const tooEarly = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${p.id}/implementation`,
      headers: agent.headers,
      payload: { doneAt: new Date().toISOString(), refundReference: 'FT123', rootCauseId },
    });
    expect(tooEarly.statusCode).toBe(409);

    const accepted = await portalDecide(code, p.id, email.toUpperCase(), 'accept', 'Tôi đồng ý, xin chuyển khoản.');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((accepted.json() as CustomerProposals).proposals[0]).toMatchObject({ status: 'accepted', canDecide: false });
    expect(await statusOf(code)).toBe('proposed');

    const impl = (body: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/proposals/${p.id}/implementation`, headers: agent.headers, payload: body });
    // Done before the customer agreed, or a refund without the bank's reference: refused, field by field.
    const beforeAcceptance = await impl({ doneAt: new Date(Date.now() - 3_600_000).toISOString(), rootCauseId });
    expect(beforeAcceptance.statusCode).toBe(422);
    expect((beforeAcceptance.json() as { error: { fields: { field: string; code: string }[] } }).error.fields).toEqual([
      expect.objectContaining({ field: 'refundReference', code: 'required' }),
      expect.objectContaining({ field: 'doneAt', code: 'before_decision' }),
    ]);
    expect(await statusOf(code)).toBe('proposed');
    const doneAt = new Date().toISOString();
    const noCause = await impl({ doneAt, refundReference: 'FT26001' });
    expect(noCause.statusCode).toBe(422);
    expect((noCause.json() as { error: { fields: { field: string }[] } }).error.fields[0].field).toBe('rootCauseId');
    const unknownCause = await impl({ doneAt, refundReference: 'FT26001', rootCauseId: '00000000-0000-4000-8000-000000000001' });
    expect(unknownCause.statusCode).toBe(422);
    expect((unknownCause.json() as { error: { fields: { field: string }[] } }).error.fields[0].field).toBe('rootCauseId');
    expect(await statusOf(code)).toBe('proposed');

    const done = await impl({ doneAt, refundReference: 'FT26001', note: 'Đã chuyển khoản Vietcombank', rootCauseId });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'implemented', decision: { decision: 'accept', channel: 'portal' }, implementation: { refundReference: 'FT26001' } });
    expect(await statusOf(code)).toBe('resolved');
    const row = (await db().db.execute<{ root_cause_id: string; resolved_at: string | null }>(sql`
      select root_cause_id, resolved_at from complaints where code = ${code}`)).rows[0];
    expect(row.root_cause_id).toBe(rootCauseId);
    expect(row.resolved_at).not.toBeNull();

    const resolution = (await app.inject({ method: 'GET', url: `/api/v1/complaints/${code}/resolution`, headers: agent.headers })).json() as {
      status: string;
      rootCause: { id: string } | null;
    };
    expect(resolution).toMatchObject({ status: 'resolved', rootCause: { id: rootCauseId } });
    const pub = (await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${code}?contact=${phone}` })).json() as {
      status: string;
      timeline: { type: string; refundReference?: string }[];
    };
    expect(pub.status).toBe('resolved');
    expect(pub.timeline.find((e) => e.type === 'proposal.implemented')?.refundReference).toBe('FT26001');
    expect((await eventsOf(code)).map((e) => e.type).slice(-5)).toEqual(['proposal.offered', 'status.changed', 'proposal.accepted', 'proposal.implemented', 'status.changed']);
  });

  it('rejecting proposals twice returns the complaint to investigating each time; an answer by phone is recorded with its channel and time', async () => {
    const { code, phone } = await investigating();
    const first = (await propose(code, { kind: 'repair', description: 'Thay mặt kính miễn phí trong 7 ngày.' })).json() as ProposalView;
    const r1 = await portalDecide(code, first.id, phone, 'reject', 'Tôi muốn đổi máy mới.');
    expect(r1.statusCode, r1.body).toBe(200);
    expect(await statusOf(code)).toBe('investigating');

    const second = (await propose(code, { kind: 'exchange', description: 'Đổi đồng hồ mới cùng mẫu.' })).json() as ProposalView;
    // The customer's answer by phone is recorded with the time they gave it, which cannot precede their earlier answer.
    const beforeFirst = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${second.id}/decision`,
      headers: agent.headers,
      payload: { decision: 'reject', channel: 'hotline', at: new Date(Date.now() - 2 * 3600_000).toISOString() },
    });
    expect(beforeFirst.statusCode).toBe(422);
    expect((beforeFirst.json() as { error: { fields: { field: string; code: string }[] } }).error.fields[0]).toMatchObject({ field: 'at', code: 'before_previous_step' });
    const saidAt = new Date(Date.now() - 1);
    const future = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${second.id}/decision`,
      headers: agent.headers,
      payload: { decision: 'reject', channel: 'hotline', at: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(future.statusCode).toBe(422);
    expect((future.json() as { error: { fields: { field: string; code: string }[] } }).error.fields[0]).toMatchObject({ field: 'at', code: 'must_be_past' });
    const r2 = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${second.id}/decision`,
      headers: agent.headers,
      payload: { decision: 'reject', channel: 'hotline', at: saidAt.toISOString(), note: 'Khách gọi lại, muốn hoàn tiền.' },
    });
    expect(r2.statusCode, r2.body).toBe(200);
    expect(r2.json()).toMatchObject({ status: 'rejected', decision: { decision: 'reject', channel: 'hotline', at: saidAt.toISOString(), note: 'Khách gọi lại, muốn hoàn tiền.' } });
    expect(await statusOf(code)).toBe('investigating');

    const events = await eventsOf(code);
    const back = events.filter((e) => e.type === 'status.changed' && e.payload.to === 'investigating' && e.payload.cause === 'proposal_rejected');
    expect(back).toHaveLength(2);
    const phoneAnswer = events.find((e) => e.type === 'proposal.rejected' && e.payload.proposalId === second.id)!;
    expect(phoneAnswer.channel).toBe('hotline');
    expect(phoneAnswer.payload).toMatchObject({ channel: 'hotline', at: saidAt.toISOString() });

    // A third proposal, accepted at the office.
    const third = (await propose(code, { kind: 'refund', description: 'Hoàn tiền', amountVnd: 2_000_000 })).json() as ProposalView;
    const office = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${third.id}/decision`,
      headers: agent.headers,
      payload: { decision: 'accept', channel: 'office', at: new Date().toISOString() },
    });
    expect(office.json()).toMatchObject({ status: 'accepted', decision: { channel: 'office' } });
    const customerView = (await portalProposals(code, phone)).json() as CustomerProposals;
    expect(customerView.proposals.map((x) => x.status)).toEqual(['rejected', 'rejected', 'accepted']);
    expect(JSON.stringify(customerView)).not.toContain('Khách gọi lại');
  });

  it('taking an accepted proposal back to investigating withdraws it: it cannot be carried out, and a new one can be proposed', async () => {
    const { code, phone } = await investigating();
    const first = (await propose(code, { kind: 'repair', description: 'Sửa miễn phí tại trung tâm bảo hành.' })).json() as ProposalView;
    expect((await portalDecide(code, first.id, phone, 'accept')).statusCode).toBe(200);
    // An accepted proposal not yet carried out still holds the negotiation: no second proposal beside it.
    expect((await propose(code, { kind: 'other', description: 'Phương án khác' })).statusCode).toBe(409);
    const back = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/transitions`, headers: agent.headers, payload: { to: 'investigating' } });
    expect(back.statusCode, back.body).toBe(200);
    const implement = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${first.id}/implementation`,
      headers: agent.headers,
      payload: { doneAt: new Date().toISOString(), rootCauseId },
    });
    expect(implement.statusCode).toBe(409);
    const second = await propose(code, { kind: 'exchange', description: 'Đổi sản phẩm mới.' });
    expect(second.statusCode, second.body).toBe(201);
    const customerView = (await portalProposals(code, phone)).json() as CustomerProposals;
    expect(customerView.proposals.map((x) => x.status)).toEqual(['withdrawn', 'offered']);
  });

  it('the same Idempotency-Key makes one proposal; a second answer is refused with 409 and stores nothing', async () => {
    const { code, phone } = await investigating();
    const body = { kind: 'service', description: 'Vệ sinh, bảo dưỡng miễn phí 1 năm.' };
    const headers = { ...agent.headers, 'idempotency-key': 'de-xuat-1' };
    const [a, b] = await Promise.all([propose(code, body, headers), propose(code, body, headers)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect((a.json() as ProposalView).id).toBe((b.json() as ProposalView).id);
    const c = await propose(code, body, headers);
    expect(c.statusCode).toBe(200);
    expect(await count(db(), sql`select count(*) as n from proposals p join complaints c on c.id = p.complaint_id where c.code = ${code}`)).toBe(1);
    const other = await propose(code, { ...body, description: 'Khác hẳn' }, headers);
    expect(other.statusCode).toBe(422);
    expect((other.json() as { error: { code: string } }).error.code).toBe('idempotency_key_reused');

    const id = (a.json() as ProposalView).id;
    const [d1, d2] = await Promise.all([portalDecide(code, id, phone, 'accept'), portalDecide(code, id, phone, 'reject')]);
    expect([d1.statusCode, d2.statusCode].sort()).toEqual([200, 409]);
    const events = await eventsOf(code);
    const stored = (await db().db.execute<{ status: string; decided_at: string }>(sql`select status, decided_at from proposals where id = ${id}`)).rows[0];
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${code}/proposals/${id}/decision`,
      headers: agent.headers,
      payload: { decision: 'reject', channel: 'email', at: new Date().toISOString() },
    });
    expect(again.statusCode).toBe(409);
    expect((again.json() as { error: { code: string } }).error.code).toBe('proposal_not_offered');
    expect(await eventsOf(code)).toHaveLength(events.length);
    expect((await db().db.execute(sql`select status, decided_at from proposals where id = ${id}`)).rows[0]).toEqual(stored);
    expect(events.filter((e) => e.type === 'proposal.accepted' || e.type === 'proposal.rejected')).toHaveLength(1);
  });

  it('refuses a wrong contact exactly like an unknown complaint, storing nothing', async () => {
    const { code } = await investigating();
    const p = (await propose(code, { kind: 'repair', description: 'Sửa chữa' })).json() as ProposalView;
    const before = await eventsOf(code);
    for (const contact of ['0900000001', 'nguoi.khac@example.vn']) {
      expect((await portalProposals(code, contact)).statusCode).toBe(404);
      const d = await portalDecide(code, p.id, contact, 'accept');
      expect(d.statusCode).toBe(404);
      expect((d.json() as { error: { code: string } }).error.code).toBe('complaint_not_found');
    }
    expect((await portalProposals('KN-2026-999999', '0900000001')).statusCode).toBe(404);
    expect(await eventsOf(code)).toHaveLength(before.length);
  });

  it('a complaint refused as not admissible: reason emailed to the customer and shown on the status page; open proposals withdrawn', async () => {
    const { code, phone, email } = await investigating('Võ Thị Ngọc Ánh');
    // A proposal still with a supervisor; a complaint with one offered to the customer can no longer be refused.
    const pending = (await propose(code, { kind: 'refund', description: 'Hoàn tiền', amountVnd: 9_000_000 })).json() as ProposalView;
    expect((await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/reject`, headers: supervisor.headers, payload: { reason: '  ' } })).statusCode).toBe(422);
    const reason = 'Sản phẩm đã hết thời hạn bảo hành 12 tháng theo phiếu bảo hành số BH-2024-118.';
    const res = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/reject`, headers: supervisor.headers, payload: { reason } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { status: string }).status).toBe('rejected');

    const mail = (await mailsTo(email)).find((m) => m.subject.includes('không thụ lý'));
    expect(mail?.subject).toContain(`[${code}]`);
    expect(mail?.text).toContain(reason);
    expect(mail?.text).toContain('Võ Thị Ngọc Ánh');
    const pub = (await app.inject({ method: 'GET', url: `/api/v1/portal/complaints/${code}?contact=${phone}` })).json() as {
      status: string;
      timeline: { type: string; status?: string; reason?: string }[];
    };
    expect(pub.status).toBe('rejected');
    expect(pub.timeline.find((e) => e.type === 'status.changed' && e.status === 'rejected')?.reason).toBe(reason);
    expect(((await portalProposals(code, phone)).json() as CustomerProposals).proposals).toEqual([]);
    const staffView = (await app.inject({ method: 'GET', url: `/api/v1/complaints/${code}/resolution`, headers: agent.headers })).json() as { proposals: ProposalView[] };
    expect(staffView.proposals).toEqual([expect.objectContaining({ id: pending.id, status: 'withdrawn', approval: expect.objectContaining({ state: 'withdrawn' }) })]);
    const again = await app.inject({ method: 'POST', url: `/api/v1/complaints/${code}/reject`, headers: admin.headers, payload: { reason } });
    expect(again.statusCode).toBe(409);
    // Every change above went on the hash chain.
    expect((await verifyAudit(db())).problems).toEqual([]);
  });

  it('lists authorities by kind and province; an admin adds, edits and retires one', async () => {
    const all = (await app.inject({ method: 'GET', url: '/api/v1/authorities?kind=department_of_industry_trade', headers: agent.headers })).json() as {
      items: { id: string; name: string; province: string }[];
    };
    expect(all.items).toHaveLength(34);
    expect(all.items.slice(0, 3).map((a) => a.province)).toEqual(['An Giang', 'Bắc Ninh', 'Cà Mau']);
    const hanoi = (await app.inject({ method: 'GET', url: `/api/v1/authorities?province=${encodeURIComponent('hà nội')}`, headers: agent.headers })).json() as {
      items: { name: string }[];
    };
    expect(hanoi.items.map((a) => a.name)).toEqual(['Sở Công Thương Hà Nội']);
    // Without diacritics too, as people type on a phone.
    const plain = (await app.inject({ method: 'GET', url: '/api/v1/authorities?province=Ha%20Noi', headers: agent.headers })).json() as {
      items: { name: string }[];
    };
    expect(plain.items.map((a) => a.name)).toEqual(['Sở Công Thương Hà Nội']);

    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/authorities',
      headers: admin.headers,
      payload: { kind: 'consumer_association', name: 'Hội Bảo vệ quyền lợi người tiêu dùng Hà Nội', province: 'Hà Nội', email: 'Hoi@Example.vn' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const a = created.json() as { id: string; email: string; active: boolean };
    expect(a).toMatchObject({ email: 'hoi@example.vn', active: true });
    const dup = await app.inject({
      method: 'POST',
      url: '/api/v1/authorities',
      headers: admin.headers,
      payload: { kind: 'consumer_association', name: 'hội bảo vệ quyền lợi người tiêu dùng hà nội' },
    });
    expect(dup.statusCode).toBe(422);
    const badKind = await app.inject({ method: 'POST', url: '/api/v1/authorities', headers: admin.headers, payload: { kind: 'police', name: 'X' } });
    expect(badKind.statusCode).toBe(422);

    const retired = await app.inject({ method: 'PATCH', url: `/api/v1/authorities/${a.id}`, headers: admin.headers, payload: { active: false, phone: '024 3826 1234' } });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json()).toMatchObject({ active: false, phone: '024 3826 1234' });
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/authorities?province=H%C3%A0%20N%E1%BB%99i', headers: agent.headers })).json() as { items: { id: string }[] };
    expect(listed.items.map((x) => x.id)).not.toContain(a.id);
    const withInactive = (await app.inject({ method: 'GET', url: '/api/v1/authorities?includeInactive=true&kind=consumer_association', headers: agent.headers })).json() as {
      items: { id: string }[];
    };
    expect(withInactive.items.map((x) => x.id)).toContain(a.id);
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/authorities/00000000-0000-4000-8000-000000000000', headers: admin.headers, payload: { active: false } })).statusCode).toBe(404);
  });
});
