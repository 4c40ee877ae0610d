// SMTP load generator of the benchmark, in its own thread: `connections` parallel SMTP sessions,
// each sending mails with a ~200 KB PDF attachment (distinct bytes per mail) to the intake address.
// Mails are prepared before the clock starts: the generator's own encoding is not what is measured.
// workerData: { port, connections, durationMs, to, pdfBytes }
// Posts back { latencies: number[], ok: number, failed: number, errors: string[], seconds: number }.
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';

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

const latencies = [];
const errors = [];
let ok = 0;
let failed = 0;
let n = 0;
const templates = await Promise.all(Array.from({ length: connections }, (_, c) => template(c)));
const t0 = performance.now();
const end = t0 + durationMs;
await Promise.all(
  Array.from({ length: connections }, async (_, c) => {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
    while (performance.now() < end) {
      const i = n++;
      const started = performance.now();
      try {
        await t.sendMail({ envelope: { from: `khach${c}.${String(i).padStart(10, '0')}@bench.vn`, to: [to] }, raw: patch(templates[c], i) });
        ok += 1;
        latencies.push(performance.now() - started);
      } catch (err) {
        failed += 1;
        if (errors.length < 5) errors.push(String(err?.response ?? err?.message ?? err));
      }
    }
    t.close();
  }),
);
parentPort.postMessage({ latencies, ok, failed, errors, seconds: (performance.now() - t0) / 1000 });
