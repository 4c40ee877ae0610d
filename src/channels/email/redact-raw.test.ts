import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseInboundMail, streamHoldsCardNumbers } from './parse';
import { keptCopyKind, REBUILT_HEADER, REDACTED_HEADER, redactCardNumbers } from './redact-raw';

const CARD = '4111 1111 1111 1111';
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/mail', import.meta.url));
const PDF = Buffer.from(`%PDF-1.4\n% the statement of card ${CARD.replace(/ /g, '')}\n%%EOF\n`);

function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    new MailComposer({ from: 'Chị Lan <lan@example.vn>', to: 'khieunai@sen.test', messageId: '<the-1@example.vn>', date: new Date('2026-11-20T03:00:00Z'), ...options })
      .compile()
      .build((err, message) => (err ? reject(err) : resolve(message))),
  );
}

describe('the kept copy of a mail that held card numbers', () => {
  for (const encoding of ['quoted-printable', 'base64', '8bit'] as const) {
    it(`masks them in the text and HTML parts (${encoding}) and the subject; attachments, ids and the rest stay byte for byte`, async () => {
      const raw = await compose({
        subject: `Thẻ ${CARD} bị trừ tiền hai lần`,
        text: `Chào anh chị,\nTôi thanh toán bằng thẻ ${CARD} hết hạn 12/28, bị trừ tiền hai lần.\nSố tài khoản hoàn tiền: 0071001234567.\n${'Dòng dài để thử ngắt dòng. '.repeat(8)}`,
        html: `<p>Tôi thanh toán bằng thẻ <b>${CARD}</b>, bị trừ tiền hai lần.</p>`,
        attachments: [{ filename: 'sao-ke.pdf', content: PDF, contentType: 'application/pdf' }],
        textEncoding: encoding === '8bit' ? undefined : encoding === 'base64' ? 'base64' : 'quoted-printable',
      });
      const before = await parseInboundMail(raw);
      expect(before.storedRaw).toBeDefined();
      const kept = Buffer.from(before.storedRaw!);
      expect(kept.toString('latin1')).not.toMatch(/4111[ ]?1111[ ]?1111/);
      expect(kept.toString('latin1').startsWith(REDACTED_HEADER)).toBe(true);
      expect(keptCopyKind(kept)).toBe('masked');
      expect(keptCopyKind(raw)).toBe('received');
      // What the copy says, read back as any mail client would (mailparser, which masks nothing): no card in clear.
      const plain = await simpleParser(kept);
      const digits = CARD.replace(/ /g, '');
      for (const part of [plain.text ?? '', String(plain.html), plain.subject ?? '']) {
        expect(part.replace(/[\s<>/b]/g, '')).not.toContain(digits);
        expect(part).toContain('1111');
      }
      expect(plain.text).toContain('bằng thẻ **** **** **** 1111 hết hạn 12/28');
      expect(String(plain.html)).toContain('<b>**** **** **** 1111</b>');
      expect((await simpleParser(raw)).text).toContain(CARD);
      const copy = await parseInboundMail(kept);
      expect(copy.text).toBe(before.text);
      expect(copy.text).toContain('bằng thẻ **** **** **** 1111 hết hạn 12/28');
      expect(copy.text).toContain('0071001234567');
      expect(copy.subject).toBe('Thẻ **** **** **** 1111 bị trừ tiền hai lần');
      expect(copy.messageId).toBe(before.messageId);
      expect(copy.headers.get('date')).toBe(before.headers.get('date'));
      // The attachment is evidence of its own, kept by its hash: unchanged, card and all (not typed text).
      expect(copy.attachments.map((a) => a.sha256)).toEqual(before.attachments.map((a) => a.sha256));
      expect(copy.bodyHash).toBe(before.bodyHash);
      // The same mail again gives the same copy, stored once.
      expect((await parseInboundMail(raw)).rawSha256).toBe(before.rawSha256);
    });
  }

  it('keeps a mail without card numbers exactly as received', async () => {
    const raw = await compose({ subject: 'Giao hàng trễ', text: 'Đơn DH-20261127000123, gọi tôi 0912 345 678.' });
    const mail = await parseInboundMail(raw);
    expect(mail.storedRaw).toBeUndefined();
    expect(redactCardNumbers(raw, null)).toBeNull();
  });

  it('follows nested parts and a forwarded message, and leaves a text file attached alone', async () => {
    const inner = await compose({ subject: 'Fw', text: `Số thẻ ${CARD}` });
    const raw = await compose({
      subject: 'Chuyển tiếp',
      text: 'Xem thư bên dưới.',
      attachments: [
        { content: inner, contentType: 'message/rfc822', contentDisposition: 'inline' },
        { filename: 'ghi-chu.txt', content: `thẻ ${CARD}`, contentType: 'text/plain' },
      ],
    });
    const kept = redactCardNumbers(raw, null)!.toString('latin1');
    // The forwarded message (quoted-printable inside its part) is masked.
    expect(kept).toContain('th=E1=BA=BB **** **** **** 1111');
    expect(kept).not.toContain(CARD);
    expect(raw.toString('latin1')).toContain(`th=E1=BA=BB ${CARD}`);
    // The attached file is a file: kept as sent (base64 of "thẻ 4111 …" as nodemailer wrote it).
    expect(kept).toContain(Buffer.from(`thẻ ${CARD}`).toString('base64'));
  });

  const lines = (...l: string[]) => Buffer.from(l.join('\r\n'), 'utf8');
  const clear = async (kept: Uint8Array) => {
    const m = await simpleParser(Buffer.from(kept));
    return `${m.subject}\n${m.text}\n${m.html || ''}`;
  };

  it('reads headers as headers: a folded DKIM line naming "subject" is left alone and the real Subject masked', async () => {
    const raw = lines(
      'DKIM-Signature: v=1; a=rsa-sha256; d=example.vn; s=s1; h=from:to:',
      '\tsubject:date; bh=abc=; b=xyz=',
      `Subject: the ${CARD}`,
      'From: a@example.vn',
      'Message-ID: <dkim@example.vn>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Số thẻ ${CARD}.`,
    );
    const mail = await parseInboundMail(raw);
    const kept = Buffer.from(mail.storedRaw!).toString('latin1');
    expect(kept).toContain('h=from:to:\r\n\tsubject:date; bh=abc=; b=xyz=');
    expect(kept.match(/^Subject:/gim)).toHaveLength(1);
    expect(await clear(mail.storedRaw!)).not.toContain(CARD);
  });

  it('masks the last part when the closing boundary is missing, and a part that has no headers', async () => {
    for (const raw of [
      lines('Subject: x', 'Content-Type: multipart/alternative; boundary="b"', '', '--b', 'Content-Type: text/plain', '', `thẻ ${CARD}`, '--b', 'Content-Type: text/html', '', `<p>thẻ ${CARD}</p>`, ''),
      lines('Subject: x', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', '', `thẻ ${CARD}`, '--b--', ''),
    ]) {
      const mail = await parseInboundMail(raw);
      expect(Buffer.from(mail.storedRaw!).toString('latin1').startsWith(REDACTED_HEADER)).toBe(true);
      expect(await clear(mail.storedRaw!)).not.toContain(CARD);
    }
  });

  it('leaves parts mail clients treat as attachments as sent: text/csv, an unknown disposition, an attached message', async () => {
    const raw = lines(
      'Subject: bảng kê',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `thẻ ${CARD}`,
      '--b',
      'Content-Type: text/csv',
      '',
      `ngay,the\r\n20/11,${CARD}`,
      '--b',
      'Content-Type: text/plain',
      'Content-Disposition: form-data; name="x"',
      '',
      `form ${CARD}`,
      '--b',
      'Content-Type: message/rfc822',
      'Content-Disposition: attachment',
      '',
      'Subject: cũ',
      '',
      `cũ ${CARD}`,
      '--b--',
      '',
    );
    const kept = redactCardNumbers(raw, null)!.toString('utf8');
    expect(kept).toContain('thẻ **** **** **** 1111');
    expect(kept).toContain(`20/11,${CARD}`);
    expect(kept).toContain(`form ${CARD}`);
    expect(kept).toContain(`cũ ${CARD}`);
  });

  it('rebuilds the copy from the masked text when a card cannot be masked where it stands', async () => {
    for (const raw of [
      // format=flowed: the card wrapped across a soft line break.
      lines('Subject: flowed', 'Content-Type: text/plain; charset=utf-8; format=flowed', '', 'Số thẻ của tôi là 4111 1111 ', '1111 1111 nhé.', ''),
      // HTML with tags between the groups, beside a text part.
      lines('Subject: html', 'Content-Type: multipart/alternative; boundary="b"', '', '--b', 'Content-Type: text/plain', '', `the ${CARD}`, '--b', 'Content-Type: text/html', '', '<p>the <span>4111</span> <span>1111</span> <span>1111</span> <span>1111</span></p>', '--b--', ''),
    ]) {
      const mail = await parseInboundMail(raw);
      const kept = Buffer.from(mail.storedRaw!);
      expect(kept.toString('latin1').startsWith(REBUILT_HEADER)).toBe(true);
      expect(keptCopyKind(kept)).toBe('rebuilt');
      const text = await clear(kept);
      expect(text.replace(/\s/g, '')).not.toContain('4111111111111111');
      expect(text).toContain('1111');
      expect(text).toBe(`${mail.subject}\n${mail.text}\n`);
    }
  });

  it('a mail read as a stream (one too large to hold) is found to hold card numbers exactly when the parser finds them', async () => {
    const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(path.join(FIXTURES, f)));
    const withCards = [
      await compose({ subject: `Thẻ ${CARD}`, text: 'Xem tiêu đề.' }),
      await compose({ subject: 'Trừ tiền hai lần', text: `Thẻ ${CARD}.`, attachments: [{ filename: 'sao-ke.pdf', content: PDF, contentType: 'application/pdf' }] }),
      await compose({ subject: 'Chỉ HTML', html: `<p>thẻ <b>${CARD}</b></p>` }),
      lines('Subject: html', 'Content-Type: text/html', '', '<p>the <span>4111</span> <span>1111</span> <span>1111</span> <span>1111</span></p>', ''),
      lines('Subject: flowed', 'Content-Type: text/plain; charset=utf-8; format=flowed', '', 'Số thẻ của tôi là 4111 1111 ', '1111 1111 nhé.', ''),
    ];
    // The card only in an attached statement: not typed text, kept as sent.
    const withoutCards = [await compose({ subject: 'Sao kê', text: 'Sao kê đính kèm.', attachments: [{ filename: 'sao-ke.pdf', content: PDF, contentType: 'application/pdf' }] })];
    for (const raw of [...fixtures, ...withCards, ...withoutCards]) {
      const parsed = await parseInboundMail(raw);
      expect(await streamHoldsCardNumbers(Readable.from([raw.subarray(0, 100), raw.subarray(100)])), raw.toString('latin1', 0, 200)).toBe(parsed.storedRaw !== undefined);
    }
    for (const raw of withCards) expect((await parseInboundMail(raw)).storedRaw).toBeDefined();
    for (const raw of withoutCards) expect((await parseInboundMail(raw)).storedRaw).toBeUndefined();
    expect(fixtures.length).toBeGreaterThan(10);
  });
});
