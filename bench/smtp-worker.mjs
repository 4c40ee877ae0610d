// SMTP load generator of the benchmark, in its own thread: `connections` parallel SMTP sessions,
// each sending mails with a ~200 KB PDF attachment (distinct bytes per mail) to the intake address.
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

const latencies = [];
const errors = [];
let ok = 0;
let failed = 0;
let n = 0;
const t0 = performance.now();
const end = t0 + durationMs;
await Promise.all(
  Array.from({ length: connections }, async (_, c) => {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
    while (performance.now() < end) {
      const i = n++;
      const started = performance.now();
      try {
        await t.sendMail({
          from: { name: names[i % names.length], address: `khach${c}.${i}@bench.vn` },
          to,
          subject: `Khiếu nại đơn hàng DH-${100000 + i}: sản phẩm lỗi`,
          text: `Kính gửi bộ phận CSKH,\n\nSản phẩm của đơn DH-${100000 + i} bị lỗi sau 3 ngày sử dụng. Tôi gửi kèm hoá đơn.\n\nTrân trọng.`,
          attachments: [{ filename: `hóa đơn ${i}.pdf`, content: pdf(), contentType: 'application/pdf' }],
        });
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
