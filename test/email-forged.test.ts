/**
 * A mail that would continue a complaint speaks as its customer: when the company's mail server reported the
 * sender forged (Authentication-Results, domain/mail-threading.ts forgedSender), it is kept aside instead.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { parseInboundMail } from '../src/channels/email/parse';
import { receiveEmail } from '../src/commands/receive-email';
import { LocalFileStore } from '../src/files/store';
import { describeEachDatabase } from './db';
import { seedComplaint, testConfig } from './factories';

const mail = (o: { from: string; subject: string; results?: string }) =>
  Buffer.from(
    [
      ...(o.results ? [`Authentication-Results: ${o.results}`] : []),
      `From: Khách <${o.from}>`,
      'To: khieunai@sen.test',
      `Subject: ${o.subject}`,
      `Message-ID: <${randomUUID()}@khach.vn>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Tôi đồng ý phương án hoàn tiền, xin chuyển vào tài khoản mới.',
      '',
    ].join('\r\n'),
  );

describeEachDatabase('mail whose sender the company’s server found forged', (db) => {
  const receive = async (raw: Buffer) =>
    receiveEmail({
      database: db(),
      files: LocalFileStore.inDataDir(testConfig().dataDir),
      raw,
      mail: await parseInboundMail(raw),
      envelopeFrom: undefined,
      receipt: { baseUrl: 'http://localhost:3000', companyName: 'Sen' },
    });
  const eventsOf = async (code: string) =>
    (await db().db.execute<{ type: string }>(sql`select e.type from timeline_events e join complaints c on c.id = e.complaint_id where c.code = ${code}`)).rows.map((r) => r.type);

  it('is not added to the customer’s complaint but kept aside, saying why; the same with a passing report is added', async () => {
    const email = `khach.${randomUUID().slice(0, 8)}@khach.vn`;
    const c = await seedComplaint(db(), { input: { customer: { name: 'Phạm Văn An', phone: null, email } } });
    const before = await eventsOf(c.code);
    const forged = mail({ from: email, subject: `Re: [${c.code}] Hoàn tiền`, results: 'mx.sen.test; spf=fail smtp.mailfrom=khach.vn; dkim=none; dmarc=fail header.from=khach.vn' });
    expect(await receive(forged)).toMatchObject({ outcome: 'not_a_complaint', kind: 'unauthenticated' });
    expect(await eventsOf(c.code)).toEqual(before);
    const aside = (await db().db.execute<{ reason: string; from_address: string }>(sql`select reason, from_address from inbound_rejects where kind = 'unauthenticated' and reason like ${`%${c.code}%`}`)).rows;
    expect(aside).toEqual([{ reason: `Authentication-Results: dmarc=fail; not added to ${c.code}`, from_address: email }]);

    const genuine = mail({ from: email, subject: `Re: [${c.code}] Hoàn tiền`, results: 'mx.sen.test; spf=pass smtp.mailfrom=khach.vn; dkim=pass header.d=khach.vn; dmarc=pass' });
    expect(await receive(genuine)).toEqual({ outcome: 'threaded', code: c.code });
    expect((await eventsOf(c.code)).length).toBeGreaterThan(before.length);
  });

  it('a forged mail that continues nothing still opens a new complaint (its receipt goes to the address it names)', async () => {
    const email = `moi.${randomUUID().slice(0, 8)}@khach.vn`;
    const r = await receive(mail({ from: email, subject: 'Giao hàng trễ', results: 'mx.sen.test; dmarc=fail header.from=khach.vn' }));
    expect(r).toMatchObject({ outcome: 'created' });
  });
});
