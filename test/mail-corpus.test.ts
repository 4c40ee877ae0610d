import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fastParses, htmlToPlainText, parseInboundMail, type InboundMail } from '../src/channels/email/parse';
import { ELIDE_MIN_BYTES } from '../src/channels/email/base64-bodies';
import { safeFilename } from '../src/domain/uploads';
import { classifyInbound } from '../src/domain/mail-loop';
import { complaintCodeInSubject, referencedIds, stripReplyPrefixes } from '../src/domain/mail-threading';

const dir = fileURLToPath(new URL('./fixtures/mail/', import.meta.url));
const raw = (name: string): Buffer => readFileSync(dir + name);
const load = (name: string): Promise<InboundMail> => parseInboundMail(raw(name));

/** As the IMAP poller sees a message: no envelope, so Return-Path stands in for it. */
function classify(mail: InboundMail) {
  return classifyInbound({ envelopeFrom: undefined, from: mail.from?.address ?? null, headers: mail.headers, contentType: mail.contentType, subject: mail.subject });
}

const isNfc = (s: string): boolean => s === s.normalize('NFC');

describe('mail corpus', () => {
  it('holds the fixtures this file checks, and every one parses with NFC text', async () => {
    const names = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
    expect(names).toEqual([
      'alternative.eml',
      'attachment-rfc2047.eml',
      'attachment-rfc2231.eml',
      'dsn-bounce.eml',
      'fake-pdf.eml',
      'html-only.eml',
      'iso-8859-1.eml',
      'mailing-list.eml',
      'nested-related.eml',
      'outlook-auto-reply.eml',
      'plain-utf8.eml',
      'reply-with-code.eml',
      'subject-b-encoded.eml',
      'subject-q-encoded.eml',
      'unsafe-filename.eml',
      'vacation-precedence-bulk.eml',
      'windows-1258-qp.eml',
    ]);
    for (const name of names) {
      const m = await load(name);
      expect(isNfc(m.subject), name).toBe(true);
      expect(isNfc(m.text), name).toBe(true);
      expect(m.bodyHash, name).toMatch(/^[0-9a-f]{64}$/);
      for (const a of m.attachments) expect(isNfc(a.filename), `${name}: ${a.filename}`).toBe(true);
    }
  });

  it('plain-utf8: a customer complaint in raw UTF-8 headers and body', async () => {
    const m = await load('plain-utf8.eml');
    expect(m.subject).toBe('Khiếu nại: máy giặt giao sai mẫu');
    expect(m.from).toEqual({ name: 'Nguyễn Thị Hương', address: 'huong.nguyen@example.com' });
    expect(m.to).toEqual(['cskh@sen.example.vn']);
    expect(m.cc).toEqual(['quan.ly@example.com']);
    expect(m.messageId).toBe('CAF1plain.utf8@mail.example.com');
    expect(m.date?.toISOString()).toBe('2026-01-05T02:15:00.000Z');
    expect(m.text).toContain('hoàn tiền 8.490.000 ₫');
    expect(m.text.startsWith('Kính gửi bộ phận Chăm sóc khách hàng,')).toBe(true);
    expect(m.attachments).toEqual([]);
    expect(m.headers.get('received')).toContain('by mx.sen.example.vn with ESMTP');
    expect(m.contentType).toBe('text/plain; charset=utf-8');
    expect(classify(m).kind).toBe('complaint');
    expect(complaintCodeInSubject(m.subject)).toBeNull();
  });

  it('bodyHash tells a reused Message-ID with another body, and ignores line-ending differences', async () => {
    const m = await load('plain-utf8.eml');
    const crlf = await parseInboundMail(Buffer.from(raw('plain-utf8.eml').toString('utf8').replace(/\n/g, '\r\n')));
    expect(crlf.bodyHash).toBe(m.bodyHash);
    const other = await parseInboundMail(Buffer.from(raw('plain-utf8.eml').toString('utf8').replace('8.490.000', '9.990.000')));
    expect(other.messageId).toBe(m.messageId);
    expect(other.bodyHash).not.toBe(m.bodyHash);
  });

  it('alternative: the text part is used, not the HTML one', async () => {
    const m = await load('alternative.eml');
    expect(m.subject).toBe('Điện thoại bị lỗi màn hình');
    expect(m.text).toBe('Chào anh chị,\n\nĐiện thoại mua ngày 20/12/2025 bị sọc màn hình (bản text).\nXin cảm ơn.');
    expect(m.from).toEqual({ name: 'Tran Minh', address: 'minh.tran@example.org' });
    expect(classify(m).kind).toBe('complaint');
  });

  it('html-only: plain text with lines, entities decoded, no markup and no script or style', async () => {
    const m = await load('html-only.eml');
    expect(m.subject).toBe('Hàng bị vỡ');
    expect(m.from).toEqual({ name: 'Phạm Lan', address: 'lan.pham@example.net' });
    expect(m.text).not.toMatch(/<[a-zA-Z/!?]/);
    for (const leaked of ['alert', 'xss', 'document.write', 'color: red', 'secret-css', 'hidden comment', 'Tiêu đề ẩn', 'steal', 'onclick', 'pixel.gif', '&amp;', '&nbsp;']) {
      expect(m.text, leaked).not.toContain(leaked);
    }
    expect(m.text.split('\n')).toEqual([
      'Xin chào,',
      '',
      'Tôi nhận hàng ngày 03/01 & thấy bình hoa bị vỡ.',
      'Giá trị: 1.200.000 ₫',
      '',
      '- "Ảnh 1"',
      '- Ảnh 2 < 5MB',
      '',
      'Xem đơn hàng',
      '',
      'Trân trọng',
    ]);
    expect(classify(m).kind).toBe('complaint');
  });

  it('nested-related: mixed > related > alternative, an inline image and a PDF, typed by content', async () => {
    const m = await load('nested-related.eml');
    expect(m.subject).toBe('Hóa đơn và ảnh sản phẩm lỗi');
    expect(m.text).toBe('Ảnh sản phẩm lỗi ở dưới, hóa đơn đính kèm.');
    expect(m.attachments.map(({ content: _c, sha256: _h, ...a }) => a)).toEqual([
      { filename: 'anh-loi.png', contentType: 'image/png', declaredType: 'image/png', size: 70, inline: true, contentId: 'anh-loi@example.com' },
      { filename: 'hoa-don-778.pdf', contentType: 'application/pdf', declaredType: 'application/pdf', size: 310, inline: false },
    ]);
    expect(m.attachments[1].content.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    expect(m.attachments[0].content.length).toBe(m.attachments[0].size);
    // Each attachment carries the hash it is stored under.
    for (const a of m.attachments) expect(a.sha256).toBe(createHash('sha256').update(a.content).digest('hex'));
  });

  it('attachment-rfc2231: percent-encoded UTF-8 names, single and continued', async () => {
    const m = await load('attachment-rfc2231.eml');
    expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['hóa đơn.pdf', 'application/pdf'],
      ['biên bản giao hàng.png', 'image/png'],
    ]);
  });

  it('attachment-rfc2047: encoded-word names, an NFD one composed to NFC', async () => {
    const m = await load('attachment-rfc2047.eml');
    expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['ảnh sản phẩm.png', 'image/png'],
      ['Hợp đồng mua bán.pdf', 'application/pdf'],
    ]);
  });

  it('windows-1258-qp: base letters with combining tone marks become composed (NFC) Vietnamese', async () => {
    const m = await load('windows-1258-qp.eml');
    // The raw bytes really are windows-1258 with combining marks (ê + U+0301), not precomposed.
    expect(raw('windows-1258-qp.eml').toString('latin1')).toContain('Khi=EA=ECu na=F2i');
    expect(m.subject).toBe('Khiếu nại giao hàng chậm');
    expect(m.from).toEqual({ name: 'Đặng Thị Thuỷ', address: 'thuy.dang@example.vn' });
    expect(m.text).toContain('Tôi xin Khiếu nại về việc giao hàng chậm 10 ngày.');
    expect(m.text).toContain('người nhận: Đặng Thị Thuỷ, địa chỉ: 12 Lê Lợi, Quận 1, Thành phố Hồ Chí Minh.');
    expect(m.text).not.toMatch(/[\u0300-\u036f\u0323]/);
    expect(classify(m).kind).toBe('complaint');
  });

  it('iso-8859-1: Latin-1 body and encoded-word subject and name', async () => {
    const m = await load('iso-8859-1.eml');
    expect(m.subject).toBe('Café Sài Gòn');
    expect(m.from?.name).toBe('Bà Hà');
    expect(m.text).toBe('Xin chào, tôi là Hà, Café Sài Gòn. Giá: 50 000 VND.');
  });

  it('subject-q-encoded and subject-b-encoded: Vietnamese subjects over two folded encoded-words', async () => {
    expect((await load('subject-q-encoded.eml')).subject).toBe('Yêu cầu hoàn tiền đơn hàng #8812');
    expect((await load('subject-b-encoded.eml')).subject).toBe('Phản ánh thái độ nhân viên');
  });

  it('dsn-bounce: a delivery status notification from MAILER-DAEMON is a bounce', async () => {
    const m = await load('dsn-bounce.eml');
    expect(m.contentType).toMatch(/^multipart\/report; report-type=delivery-status/);
    expect(m.from?.address).toBe('mailer-daemon@mx.example.com');
    expect(classify(m)).toMatchObject({ kind: 'bounce', reason: expect.stringMatching(/Return-Path/) });
    // Every rule on its own calls it a bounce: the envelope, From, and the report type.
    const real = { envelopeFrom: 'someone@mx.example.com', headers: new Map<string, string>(), subject: m.subject };
    expect(classifyInbound({ ...real, from: m.from?.address ?? null }).kind).toBe('bounce');
    expect(classifyInbound({ ...real, from: 'x@example.com', contentType: m.contentType }).kind).toBe('bounce');
    expect(classifyInbound({ ...real, envelopeFrom: '', from: 'x@example.com' }).kind).toBe('bounce');
    expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([['attachment-1.txt', 'text/rfc822-headers']]);
  });

  it('outlook-auto-reply: Auto-Submitted and X-Auto-Response-Suppress make an auto-reply, code or not', async () => {
    const m = await load('outlook-auto-reply.eml');
    expect(m.subject).toBe('Automatic reply: [KN-2026-000123] Sen đã tiếp nhận khiếu nại');
    expect(classify(m)).toEqual({ kind: 'auto_reply', reason: 'Auto-Submitted: auto-replied' });
    const withoutAutoSubmitted = new Map(m.headers);
    withoutAutoSubmitted.delete('auto-submitted');
    expect(classifyInbound({ envelopeFrom: 'giam.doc@congty.example.vn', from: null, headers: withoutAutoSubmitted })).toEqual({
      kind: 'auto_reply',
      reason: 'X-Auto-Response-Suppress: All',
    });
    expect(complaintCodeInSubject(m.subject)).toBe('KN-2026-000123');
  });

  it('vacation-precedence-bulk: a vacation notice marked only with Precedence: bulk is bulk', async () => {
    const m = await load('vacation-precedence-bulk.eml');
    expect(m.subject).toBe('Đang nghỉ phép đến 15/01');
    expect(m.headers.has('auto-submitted')).toBe(false);
    expect(classify(m)).toEqual({ kind: 'bulk', reason: 'Precedence: bulk' });
  });

  it('mailing-list: List-Id makes bulk mail', async () => {
    const m = await load('mailing-list.eml');
    expect(m.subject).toBe('Khuyến mãi tháng 1');
    expect(classify(m)).toMatchObject({ kind: 'bulk', reason: expect.stringMatching(/List-Id/) });
  });

  it('reply-with-code: the code in the subject and the referenced ids, newest first; quoted history kept', async () => {
    const m = await load('reply-with-code.eml');
    expect(m.subject).toBe('TL: Re: [KN-2026-000123] Yêu cầu bổ sung thông tin');
    expect(stripReplyPrefixes(m.subject)).toBe('[KN-2026-000123] Yêu cầu bổ sung thông tin');
    expect(complaintCodeInSubject(m.subject)).toBe('KN-2026-000123');
    expect(m.messageId).toBe('CAF1reply.2@mail.example.com');
    expect(m.inReplyTo).toEqual(['info-req-000123.7@sen.example.vn']);
    expect(m.references).toEqual(['CAF1plain.utf8@mail.example.com', 'ack-000123@sen.example.vn', 'info-req-000123.7@sen.example.vn']);
    expect(referencedIds(m.inReplyTo, m.references)).toEqual(['info-req-000123.7@sen.example.vn', 'ack-000123@sen.example.vn', 'CAF1plain.utf8@mail.example.com']);
    expect(m.text).toContain('> Vui lòng gửi ảnh hóa đơn cho khiếu nại KN-2026-000123.');
    expect(classify(m).kind).toBe('complaint');
  });

  it('fake-pdf: a text file named .pdf and declared application/pdf is typed by its content', async () => {
    const m = await load('fake-pdf.eml');
    expect(m.attachments).toHaveLength(1);
    const [a] = m.attachments;
    expect(a.filename).toBe('hoa-don.pdf');
    expect(a.declaredType).toBe('application/pdf');
    expect(a.contentType).not.toBe('application/pdf');
    expect(a.contentType).toBe('text/plain');
  });

  it('unsafe-filename: path, control and bidi characters removed, long names cut, unnamed parts named', async () => {
    const m = await load('unsafe-filename.eml');
    const [traversal, unnamed, long] = m.attachments;
    expect(traversal.filename).toBe('etc_passwdfdp.exe');
    expect(traversal.contentType).toBe('application/octet-stream');
    expect(unnamed.filename).toBe('attachment-2.png');
    expect(unnamed.contentType).toBe('image/png');
    expect([...long.filename]).toHaveLength(200);
    expect(long.filename.endsWith('.txt')).toBe(true);
    for (const a of m.attachments) {
      expect(a.filename).not.toMatch(/[/\\\p{Cc}\p{Cf}]/u);
      expect(a.filename.startsWith('.')).toBe(false);
    }
  });
});

describe('htmlToPlainText on hostile markup', () => {
  it('never lets removed tags join into new markup, nor keeps unterminated script', () => {
    expect(htmlToPlainText('a<<b>script>alert(1)<</b>/script>b')).not.toMatch(/<[a-zA-Z/!?]/);
    expect(htmlToPlainText('<p>ok</p><script>alert(1)')).toBe('ok');
    expect(htmlToPlainText('<STYLE>p{}</STYLE ><p title="a>b">x</p><!-- c -->')).toBe('x');
    expect(htmlToPlainText('x <img src=x onerror=alert(1) y')).toBe('x');
  });

  it('keeps a literal less-than the sender wrote as an entity, as text', () => {
    expect(htmlToPlainText('2 &lt; 3 &amp;&amp; 5 &gt; 4 &#x1EBF; &eacute; &unknown;')).toBe('2 < 3 && 5 > 4 ế é &unknown;');
  });

  it('stays linear on pathological input', () => {
    const started = performance.now();
    for (const s of ['<a'.repeat(50_000), '<!'.repeat(50_000), '<a "'.repeat(30_000), '<script'.repeat(30_000), '<<<<b>'.repeat(20_000)]) htmlToPlainText(s);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('safeFilename', () => {
  it('falls back when nothing usable is left', () => {
    expect(safeFilename('..', 'attachment-1')).toBe('attachment-1');
    expect(safeFilename('\u202e\u0000', 'attachment-1')).toBe('attachment-1');
    expect(safeFilename('C:\\Users\\a\\hóa đơn.pdf'.normalize('NFD'), 'x')).toBe('C__Users_a_hóa đơn.pdf');
    expect(safeFilename('biên bản. . .', 'x')).toBe('biên bản');
  });

  it('takes linear time on a long run of dots and spaces inside the name (was 19 s for 100 KB, blocking all intake)', () => {
    const started = performance.now();
    expect(safeFilename(`a${'. '.repeat(50_000)}x.pdf`, 'f').endsWith('.pdf')).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('control characters in a mail', () => {
  it('are dropped from the text, subject, sender name and address, so the mail is stored instead of failing for ever', async () => {
    const mail = Buffer.from(
      'From: "An\u0000 Nguyễn" <an\u0001@khach.vn>\r\nTo: khieunai@sen.test\r\nSubject: Khiếu\u0007 nại\r\nMessage-ID: <x\u0000y@khach.vn>\r\n' +
        'Content-Type: text/plain; charset=utf-8\r\n\r\nHàng\u0000 bị vỡ.\u001b\r\n',
    );
    const parsed = await parseInboundMail(mail);
    expect(parsed.text).toBe('Hàng bị vỡ.');
    expect(parsed.subject).toBe('Khiếu nại');
    expect(parsed.from).toEqual({ name: 'An Nguyễn', address: 'an@khach.vn' });
    expect(parsed.messageId).toBe('xy@khach.vn');
  });
});

describe('a body with long runs of blanks', () => {
  it('is parsed in linear time, trailing blanks of each line dropped (200 KB of spaces took over 2 minutes)', async () => {
    const body = `Tôi khiếu nại về đơn hàng DH-1.   \r\na${' '.repeat(200_000)}b\r\n${'\t'.repeat(100_000)}\r\nXin cảm ơn.\t \r\n`;
    const mail = Buffer.from(`From: an@khach.vn\r\nTo: khieunai@sen.test\r\nSubject: Khiếu nại\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`);
    const started = performance.now();
    const parsed = await parseInboundMail(mail);
    expect(performance.now() - started).toBeLessThan(3_000);
    const lines = parsed.text.split('\n');
    expect(lines[0]).toBe('Tôi khiếu nại về đơn hàng DH-1.');
    expect(lines[1]).toBe(`a${' '.repeat(200_000)}b`);
    expect(lines.at(-1)).toBe('Xin cảm ơn.');
  });
});

describe('large messages', () => {
  it('are parsed in a worker thread to the same result as on the calling thread, attachments as Buffers with their hashes', async () => {
    const { parseMail, offThreadParses, IN_THREAD_MAX_BYTES } = await import('../src/channels/email/parse-pool');
    const { randomBytes } = await import('node:crypto');
    const MailComposer = (await import('nodemailer/lib/mail-composer/index.js')).default;
    const scan = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(IN_THREAD_MAX_BYTES), Buffer.from('\n%%EOF\n')]);
    const big: Buffer = await new MailComposer({
      from: 'Phạm Thu Dung <dung@khach.vn>',
      to: 'khieunai@sen.test',
      subject: 'Khiếu nại: bản scan hợp đồng',
      text: 'Tôi gửi kèm bản scan hợp đồng bảo hành.',
      attachments: [{ filename: 'hợp đồng.pdf', content: scan, contentType: 'application/pdf' }],
    }).compile().build();
    expect(big.length).toBeGreaterThan(IN_THREAD_MAX_BYTES);
    const before = offThreadParses();
    const off = await parseMail(big);
    expect(offThreadParses()).toBe(before + 1);
    const here = await parseInboundMail(big);
    expect(Buffer.isBuffer(off.attachments[0].content)).toBe(true);
    expect(off).toEqual(here);
    expect(off.attachments[0]).toMatchObject({ filename: 'hợp đồng.pdf', contentType: 'application/pdf', size: scan.length });
    expect(off.attachments[0].sha256).toBe(createHash('sha256').update(scan).digest('hex'));
    expect(off.rawSha256).toBe(createHash('sha256').update(big).digest('hex'));
    // Small messages stay on the calling thread.
    await parseMail(raw('plain-utf8.eml'));
    expect(offThreadParses()).toBe(before + 1);
  });
});

describe('long base64 bodies, decoded outside mailparser', () => {
  const compose = async (options: Record<string, unknown>): Promise<Buffer> => {
    const MailComposer = (await import('nodemailer/lib/mail-composer/index.js')).default;
    return new MailComposer({ from: 'Nguyễn Văn An <an@khach.vn>', to: 'khieunai@sen.test', subject: 'Khiếu nại đơn hàng DH-100', ...options }).compile().build();
  };
  const pdf = (bytes: number): Buffer => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(bytes), Buffer.from('\n%%EOF\n')]);
  /** The fast path's reading, checked equal to mailparser's own; whether the fast path was taken. */
  const bothWays = async (mail: Buffer, elideFrom = 1): Promise<{ parsed: InboundMail; fast: boolean }> => {
    const before = fastParses();
    const parsed = await parseInboundMail(mail, elideFrom);
    const fast = fastParses() === before + 1;
    expect(parsed).toEqual(await parseInboundMail(mail, Infinity));
    return { parsed, fast };
  };

  it('gives every mail of the corpus exactly what mailparser alone gives', async () => {
    let fast = 0;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.eml'))) if ((await bothWays(raw(name))).fast) fast++;
    // Those whose attachments are in base64 take the fast path even at this size.
    expect(fast).toBeGreaterThanOrEqual(4);
  });

  it('takes a 200 KB PDF sent as a mail client sends it the fast way, with its bytes and hash', async () => {
    const content = pdf(200 * 1024);
    const mail = await compose({ text: 'Tôi gửi kèm hoá đơn.', attachments: [{ filename: 'hóa đơn.pdf', content, contentType: 'application/pdf' }] });
    const { parsed, fast } = await bothWays(mail, ELIDE_MIN_BYTES);
    expect(fast).toBe(true);
    expect(parsed.text).toBe('Tôi gửi kèm hoá đơn.');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]).toMatchObject({ filename: 'hóa đơn.pdf', contentType: 'application/pdf', size: content.length });
    expect(parsed.attachments[0].content.equals(content)).toBe(true);
    expect(parsed.attachments[0].sha256).toBe(createHash('sha256').update(content).digest('hex'));
    // The same with bare LF line ends (a mailbox file), and without the last line end.
    const lf = Buffer.from(mail.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    expect((await bothWays(lf, ELIDE_MIN_BYTES)).fast).toBe(true);
    expect((await bothWays(mail.subarray(0, mail.length - 2), ELIDE_MIN_BYTES)).parsed.attachments[0].content.equals(content)).toBe(true);
  });

  it('keeps several attachments apart, padding of every length, an identical pair, an inline image of an HTML mail', async () => {
    const a = pdf(30_000);
    const b = pdf(30_001);
    const jpeg = Buffer.concat([Buffer.from('ffd8ffe000104a46494600', 'hex'), randomBytes(40_002)]);
    const mail = await compose({
      html: '<p>Ảnh chụp sản phẩm: <img src="cid:anh1@khach.vn"></p>',
      attachments: [
        { filename: 'a.pdf', content: a },
        { filename: 'b.pdf', content: b },
        { filename: 'a-lan-hai.pdf', content: a },
        { filename: 'anh.jpg', content: jpeg, cid: 'anh1@khach.vn' },
        { filename: 'ghi-chu.txt', content: Buffer.from('Ghi chú '.repeat(4000)), contentType: 'text/plain; charset=utf-8', encoding: 'base64' },
      ],
    });
    const { parsed, fast } = await bothWays(mail, ELIDE_MIN_BYTES);
    expect(fast).toBe(true);
    expect(parsed.attachments.map((x) => [x.filename, x.size, x.inline])).toEqual([
      ['anh.jpg', jpeg.length, true],
      ['a.pdf', a.length, false],
      ['b.pdf', b.length, false],
      ['a-lan-hai.pdf', a.length, false],
      ['ghi-chu.txt', 'Ghi chú '.repeat(4000).length + 4000, false],
    ]);
    expect(parsed.attachments[0]).toMatchObject({ contentId: 'anh1@khach.vn', contentType: 'image/jpeg' });
    expect(parsed.attachments[1].content.equals(a) && parsed.attachments[2].content.equals(b)).toBe(true);
  });

  it('leaves to mailparser what is not a whole base64 attachment: a long base64 text body, a forwarded mail, another encoding', async () => {
    const text = 'Tôi khiếu nại về chiếc đồng hồ bị lỗi. '.repeat(1000);
    const textInBase64 = await compose({ text, textEncoding: 'base64' });
    const first = await bothWays(textInBase64, ELIDE_MIN_BYTES);
    expect(first.fast).toBe(false);
    expect(first.parsed.text).toBe(text.trim());

    // A forwarded mail whose own attachment is in base64: the inner body is part of the outer attachment.
    // Shown inline, mailparser reads into it (the contract is the forwarded mail's attachment); attached, it is one file.
    const contract = pdf(40_000);
    const inner = await compose({ subject: 'Thư gốc', attachments: [{ filename: 'hop-dong.pdf', content: contract }] });
    const inline = await compose({ text: 'Chuyển tiếp thư gốc.', attachments: [{ filename: 'thu-goc.eml', content: inner, contentType: 'message/rfc822' }] });
    expect((await bothWays(inline, ELIDE_MIN_BYTES)).parsed.attachments.map((x) => x.content.equals(contract))).toEqual([true]);
    const attached = await compose({
      text: 'Chuyển tiếp thư gốc.',
      attachments: [{ filename: 'thu-goc.eml', content: inner, contentType: 'message/rfc822', contentDisposition: 'attachment' }],
    });
    const fwd = await bothWays(attached, ELIDE_MIN_BYTES);
    expect(fwd.parsed.attachments.map((x) => x.filename)).toEqual(['thu-goc.eml']);
    expect(fwd.parsed.attachments[0].content.equals(inner)).toBe(true);

    // Base64-looking lines that are not in base64 (7bit), and a base64 body with text after its padding.
    const lines = `${'QUJD'.repeat(19)}\r\n`.repeat(400);
    const sevenBit = Buffer.from(
      'From: an@khach.vn\r\nTo: khieunai@sen.test\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
        `--b\r\nContent-Type: text/plain\r\n\r\nXem tệp.\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="a.bin"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${lines}--b\r\n` +
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="b.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${lines}QQ==\r\nchữ ký\r\n--b--\r\n`,
    );
    const odd = await bothWays(sevenBit, ELIDE_MIN_BYTES);
    expect(odd.fast).toBe(false);
    // The line break before a boundary belongs to the boundary.
    expect(odd.parsed.attachments[0].content.toString('latin1')).toBe(lines.slice(0, -2));
  });

  it('keeps the fast path for the PDF of a mail whose long text is in base64 too (as Vietnamese text often is)', async () => {
    const content = pdf(200 * 1024);
    const html = `<p>${'Kính gửi bộ phận chăm sóc khách hàng, tôi khiếu nại về đơn hàng giao chậm. '.repeat(300)}</p>`;
    const mail = await compose({ html, textEncoding: 'base64', attachments: [{ filename: 'hoá đơn.pdf', content }] });
    expect(mail.toString('latin1')).toMatch(/Content-Type: text\/html[^]*?Content-Transfer-Encoding: base64/);
    const { parsed, fast } = await bothWays(mail, ELIDE_MIN_BYTES);
    expect(fast).toBe(true);
    expect(parsed.text).toContain('tôi khiếu nại về đơn hàng giao chậm');
    expect(parsed.attachments[0].content.equals(content)).toBe(true);
  });

  it('reads padding followed by blank lines, and bytes base64 ignores before a body, as mailparser does', async () => {
    const content = pdf(30_001);
    const b64 = content.toString('base64').replace(/.{76}/g, '$&\r\n');
    expect(b64.endsWith('=')).toBe(true);
    const part = (body: string) =>
      `--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}`;
    const head = 'From: an@khach.vn\r\nTo: khieunai@sen.test\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n';
    const padded = Buffer.from(`${head}${part(`${b64}\r\n${'\r\n'.repeat(50)}`)}--b--\r\n`, 'latin1');
    const p = await bothWays(padded, ELIDE_MIN_BYTES);
    expect(p.fast).toBe(true);
    expect(p.parsed.attachments[0].content.equals(content)).toBe(true);
    for (const junk of ['!!!\r\n\r\n', 'A=\r\n\r\n', '\r\n-- A\r\n']) {
      const odd = Buffer.from(`${head}${part(`${junk}${b64}\r\n`)}--b--\r\n`, 'latin1');
      await bothWays(odd, 1);
      await bothWays(odd, ELIDE_MIN_BYTES);
    }
    // In the body, in place of a character or added: base64url characters (Node's decoder reads them,
    // mailparser's skips them), a blank, a stray "=", a bare CR, a Latin-1 letter: the result is mailparser's.
    expect(b64[20_000]).toMatch(/[A-Za-z0-9+/]/);
    for (const stray of ['-', '_', ' ', '=', '\r', '\u00e9', '!']) {
      for (const odd of [`${b64.slice(0, 20_000)}${stray}${b64.slice(20_001)}`, `${b64.slice(0, 20_000)}${stray}${b64.slice(20_000)}`]) {
        await bothWays(Buffer.from(`${head}${part(`${odd}\r\n`)}--b--\r\n`, 'latin1'), ELIDE_MIN_BYTES);
      }
    }
  });

  it('reads a message that is nothing but a base64 PDF', async () => {
    const content = pdf(50_000);
    const whole = Buffer.from(
      `From: an@khach.vn\r\nTo: khieunai@sen.test\r\nSubject: Hoá đơn\r\nMIME-Version: 1.0\r\nContent-Type: application/pdf; name="hd.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
        `${content.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`,
    );
    const { parsed, fast } = await bothWays(whole, ELIDE_MIN_BYTES);
    expect(fast).toBe(true);
    expect(parsed.attachments[0].content.equals(content)).toBe(true);
  });
});
