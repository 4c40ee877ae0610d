// SMTP load generator of the benchmark, in its own thread: `connections` parallel SMTP sessions,
// each sending mails with a ~200 KB PDF attachment (distinct bytes per mail) to the intake address.
// Mails are prepared before the clock starts (built with nodemailer's MIME composer, dot-stuffed once) and
// sent over raw sockets: the generator's own encoding is not what is measured.
// workerData: { port, connections, durationMs, to, pdfBytes }
// Posts back { latencies: number[], ok: number, failed: number, errors: string[], seconds: number }.
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import net from 'node:net';

const { port, connections, durationMs, to, pdfBytes } = workerData;
const head = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n');
const tail = Buffer.from('\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const pdf = () => Buffer.concat([head, randomBytes(pdfBytes - head.length - tail.length), tail]);
const names = ['Nguyễn Văn An', 'Trần Thị Bích', 'Lê Hoàng Cường', 'Phạm Thu Dung', 'Hoàng Minh Đức', 'Vũ Thị Hà'];

// Each mail is built once per session as raw MIME with placeholders, then copied and patched per
// send (its own Message-ID, sender and PDF bytes), so the generator spends its CPU sending, not encoding.
const MailComposer = (await import('nodemailer/lib/mail-composer/index.js')).default;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
async function template(c) {
  const mail = new MailComposer({
    from: { name: names[c % names.length], address: `khach${c}.XXXXXXXXXX@bench.vn` },
    to,
    subject: `Khiếu nại đơn hàng DH-${100000 + c}: sản phẩm lỗi`,
    text: 'Kính gửi bộ phận CSKH,\n\nSản phẩm bị lỗi sau 3 ngày sử dụng. Tôi gửi kèm hoá đơn.\n\nTrân trọng.',
    messageId: `<YYYYYYYYYYYYYYYYYYYY@bench.vn>`,
    attachments: [{ filename: `hóa đơn ${c}.pdf`, content: pdf(), contentType: 'application/pdf' }],
  }).compile();
  const raw = await mail.build();
  const text = raw.toString('latin1');
  // The start of a whole base64 line well inside the attachment ("JVBERi0" is "%PDF-" in base64).
  const body = text.indexOf('\r\n', text.lastIndexOf('JVBERi0') + 4096) + 2;
  return { raw, from: text.indexOf('XXXXXXXXXX'), id: text.indexOf('YYYYYYYYYYYYYYYYYYYY'), body };
}
function patch(t, i) {
  const out = Buffer.from(t.raw);
  out.write(String(i).padStart(10, '0'), t.from, 'latin1');
  out.write(`${Date.now().toString(36)}${i.toString(36)}`.padEnd(20, 'z').slice(0, 20), t.id, 'latin1');
  // 24 random base64 characters inside the attachment: distinct PDF bytes per mail.
  let r = '';
  for (let k = 0; k < 24; k++) r += B64[(Math.random() * 64) | 0];
  out.write(r, t.body, 'latin1');
  return out;
}

/**
 * A minimal SMTP client on a raw socket: EHLO once, then MAIL FROM, RCPT TO, DATA and the prepared
 * message per mail, each reply awaited (no pipelining). The message is dot-stuffed once when it is
 * prepared, so sending costs the generator almost nothing: on two shared cores a heavier client
 * (nodemailer's streams took ~5 ms of CPU per 270 KB mail) would measure itself, not Sen.
 */
function connect() {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(session));
    socket.once('error', reject);
    let buffer = '';
    let waiting = null;
    const session = {
      socket,
      /** The next complete reply (last line `NNN text`). */
      reply() {
        return new Promise((res, rej) => {
          waiting = { res, rej };
          drain();
        });
      },
      async command(line, expect) {
        if (line !== null) socket.write(`${line}\r\n`);
        const r = await session.reply();
        if (!String(r.code).startsWith(expect)) throw Object.assign(new Error(`${line ?? 'greeting'} → ${r.text}`), { response: r.text });
        return r;
      },
    };
    function drain() {
      if (!waiting) return;
      const lines = buffer.split('\r\n');
      for (let i = 0; i < lines.length - 1; i++) {
        if (/^\d{3} /.test(lines[i])) {
          const text = lines.slice(0, i + 1).join('\n');
          buffer = lines.slice(i + 1).join('\r\n');
          const w = waiting;
          waiting = null;
          w.res({ code: Number(lines[i].slice(0, 3)), text });
          return;
        }
      }
    }
    socket.setEncoding('latin1');
    socket.on('data', (d) => {
      buffer += d;
      drain();
    });
    socket.on('close', () => waiting?.rej(new Error('connection closed')));
  });
}

/** Dot-stuffs a message for DATA and ends it with CRLF.CRLF. */
function forData(raw) {
  const text = raw.toString('latin1').replace(/\r\n\./g, '\r\n..');
  return Buffer.from(`${text.endsWith('\r\n') ? text : `${text}\r\n`}.\r\n`, 'latin1');
}

const latencies = [];
const errors = [];
let ok = 0;
let failed = 0;
let n = 0;
const templates = await Promise.all(Array.from({ length: connections }, (_, c) => template(c)));
for (const t of templates) {
  // The placeholders' offsets do not move: the stuffed text only grows after a line-leading dot, which the headers and base64 lines never have.
  const stuffed = forData(t.raw);
  if (stuffed.length !== t.raw.length + 3 + (t.raw.toString('latin1').endsWith('\r\n') ? 0 : 2)) throw new Error('unexpected dot in a prepared mail');
  t.raw = stuffed;
}
const t0 = performance.now();
const end = t0 + durationMs;
await Promise.all(
  Array.from({ length: connections }, async (_, c) => {
    let s = await connect();
    await s.command(null, '220');
    await s.command('EHLO bench.vn', '250');
    while (performance.now() < end) {
      const i = n++;
      const started = performance.now();
      try {
        await s.command(`MAIL FROM:<khach${c}.${String(i).padStart(10, '0')}@bench.vn>`, '250');
        await s.command(`RCPT TO:<${to}>`, '250');
        await s.command('DATA', '354');
        s.socket.write(patch(templates[c], i));
        await s.command(null, '250');
        ok += 1;
        latencies.push(performance.now() - started);
      } catch (err) {
        failed += 1;
        if (errors.length < 5) errors.push(String(err?.response ?? err?.message ?? err));
        // A refused message leaves the session usable; a broken one is replaced.
        if (s.socket.destroyed) {
          s = await connect();
          await s.command(null, '220');
          await s.command('EHLO bench.vn', '250');
        } else await s.command('RSET', '250').catch(() => undefined);
      }
    }
    s.socket.end('QUIT\r\n');
  }),
);
parentPort.postMessage({ latencies, ok, failed, errors, seconds: (performance.now() - t0) / 1000 });
