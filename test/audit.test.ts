import { expect, it } from 'vitest';
import { describeEachDatabase } from './db';
import { seedComplaint } from './factories';
import { verifyAudit } from '../src/commands/verify-audit';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { addInternalNote } from '../src/commands/add-internal-note';
import { SYSTEM_ACTOR } from '../src/commands/actor';
import { updateComplaint } from '../src/commands/update-complaint';

describeEachDatabase('hash-chained timeline (sen audit verify)', (db) => {
  const prepare = async () => {
    const { code, id } = await seedComplaint(db());
    const actor = { kind: 'agent' as const, id: null, channel: 'console' as const };
    await transitionComplaint({ database: db(), actor, code, to: 'acknowledged' });
    await addInternalNote({ database: db(), actor, code, body: 'Đã gọi cho khách' });
    await transitionComplaint({ database: db(), actor, code, to: 'investigating' });
    return { code, id };
  };

  it('reports an intact timeline', async () => {
    await prepare();
    const report = await verifyAudit(db());
    expect(report.problems).toEqual([]);
    expect(report.eventsChecked).toBeGreaterThanOrEqual(4);
  });

  it('detects an event edited in SQL', async () => {
    const { code, id } = await prepare();
    await db().pool.query(`update timeline_events set payload = '{"body":"Không gọi"}' where complaint_id = $1 and seq = 3`, [id]);
    const report = await verifyAudit(db());
    expect(report.problems).toContainEqual({ code, seq: 3, problem: 'hash_mismatch' });
  });

  it('detects a status changed in SQL without its event (a complaint marked resolved behind the timeline’s back)', async () => {
    const { code, id } = await prepare();
    expect((await verifyAudit(db())).problems.filter((p) => p.code === code)).toEqual([]);
    await db().pool.query(`update complaints set status = 'resolved' where id = $1`, [id]);
    expect((await verifyAudit(db())).problems.filter((p) => p.code === code)).toEqual([{ code, seq: null, problem: 'status_mismatch' }]);
    // Put back as the timeline says, the complaint is intact again.
    await db().pool.query(`update complaints set status = 'investigating' where id = $1`, [id]);
    expect((await verifyAudit(db())).problems.filter((p) => p.code === code)).toEqual([]);
  });

  it('detects a subject or order number changed in SQL without its event; a correction through Sen is not one', async () => {
    const { code, id } = await prepare();
    await db().pool.query(`update complaints set subject = 'Khách hài lòng' where id = $1`, [id]);
    expect((await verifyAudit(db())).problems.filter((p) => p.code === code)).toEqual([{ code, seq: null, problem: 'content_mismatch' }]);
    const { rows } = await db().pool.query<{ payload: { subject: string; orderRef: string } }>(`select payload from timeline_events where complaint_id = $1 and seq = 1`, [id]);
    await db().pool.query(`update complaints set subject = $2, order_ref = 'DH-000' where id = $1`, [id, rows[0].payload.subject]);
    expect((await verifyAudit(db())).problems.filter((p) => p.code === code)).toEqual([{ code, seq: null, problem: 'content_mismatch' }]);
    await db().pool.query(`update complaints set order_ref = $2 where id = $1`, [id, rows[0].payload.orderRef]);
    expect((await verifyAudit(db())).problems.filter((p) => p.code === code)).toEqual([]);
    // Corrected the proper way (an event with the old and new values): intact.
    await updateComplaint({ database: db(), actor: { kind: 'agent', id: null, channel: 'console' }, code, subject: 'Đồng hồ nứt kính', orderRef: 'DH-777' });
    expect((await verifyAudit(db())).problems.filter((p) => p.code === code)).toEqual([]);
  });

  it('detects an event removed from the middle and from the end', async () => {
    const a = await prepare();
    const b = await prepare();
    await db().pool.query('delete from timeline_events where complaint_id = $1 and seq = 2', [a.id]);
    await db().pool.query('delete from timeline_events where complaint_id = $1 and seq = 4', [b.id]);
    const problems = (await verifyAudit(db())).problems;
    expect(problems).toContainEqual(expect.objectContaining({ code: a.code, seq: 2, problem: 'missing_event' }));
    expect(problems).toContainEqual(expect.objectContaining({ code: b.code, problem: 'missing_tail' }));
  });

  it('detects a whole complaint deleted with its events, by the gap it leaves in the codes', async () => {
    const before = await seedComplaint(db());
    const gone = await seedComplaint(db());
    const after = await seedComplaint(db());
    expect((await verifyAudit(db())).problems.filter((p) => p.problem === 'missing_complaint')).toEqual([]);
    // Someone with the database's keys deletes it, its events and whatever points at it.
    const client = await db().pool.connect();
    try {
      await client.query(`set session_replication_role = replica`);
      await client.query('delete from timeline_events where complaint_id = $1', [gone.id]);
      await client.query('delete from complaints where id = $1', [gone.id]);
      await client.query(`set session_replication_role = origin`);
    } finally {
      client.release();
    }
    const missing = (await verifyAudit(db())).problems.filter((p) => p.problem === 'missing_complaint');
    expect(missing).toEqual([{ code: gone.code, seq: null, problem: 'missing_complaint' }]);
    expect(missing.map((p) => p.code)).not.toContain(before.code);
    expect(missing.map((p) => p.code)).not.toContain(after.code);
  });

  it('detects a timestamp moved', async () => {
    const { code, id } = await prepare();
    await db().pool.query(`update timeline_events set created_at = created_at - interval '1 day' where complaint_id = $1 and seq = 2`, [id]);
    expect((await verifyAudit(db())).problems).toContainEqual({ code, seq: 2, problem: 'hash_mismatch' });
  });

  it('writes the change and its event together: a refused change leaves no event', async () => {
    const { code, id } = await seedComplaint(db());
    await expect(transitionComplaint({ database: db(), actor: SYSTEM_ACTOR, code, to: 'resolved' })).rejects.toThrow('invalid_transition');
    const r = await db().pool.query('select count(*)::int as n from timeline_events where complaint_id = $1', [id]);
    expect(r.rows[0].n).toBe(1);
  });
});
