import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceiptPdf, type ReceiptInput } from './receipt';

const run = promisify(execFile);

const DIACRITICS = ['ắ', 'ằ', 'ẳ', 'ẵ', 'ặ', 'ễ', 'ệ', 'ề', 'ữ', 'ự', 'ỹ', 'Đ'];
const END_MARKER = 'CUỐI-MÔ-TẢ';
const LONG_SUMMARY =
  'Chắc chắn, ằn ặt, thẳng thắn, ẵm bé; chiếc Đồng hồ tiễn biệt, bệnh viện, nghề nghiệp, những lời hứa, sự thật, kỹ lưỡng. ' +
  'Tôi mua đồng hồ tại cửa hàng ở Quận 1 ngày 04/12/2026. Sau 3 ngày sử dụng, mặt kính bị nứt dù tôi không hề va đập. '.repeat(40) +
  END_MARKER;

function receipt(over: Partial<ReceiptInput> = {}): ReceiptInput {
  return {
    company: {
      name: 'Công ty TNHH Đồng Hồ Sài Gòn',
      address: '123 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh',
      hotline: '1900 1234',
      email: 'cskh@donghosaigon.vn',
    },
    code: 'KN-2026-000123',
    // 02:05 UTC is 09:05 in Vietnam, 18:05 the day before in Los Angeles.
    receivedAt: new Date('2026-12-07T02:05:00Z'),
    channel: 'office',
    customer: { name: 'Nguyễn Thị Hương Ánh', phone: '0912 345 678', email: 'huong.anh@example.vn' },
    subject: 'Đồng hồ bị nứt mặt kính sau 3 ngày',
    summary: LONG_SUMMARY,
    promises: {
      acknowledgementDueAt: new Date('2026-12-09T02:05:00Z'),
      // 18:30 UTC is already the next day in Vietnam.
      resolutionDueAt: new Date('2027-01-05T18:30:00Z'),
    },
    statusUrl: 'https://sen.example.vn/tra-cuu/KN-2026-000123',
    receivedBy: 'Trần Văn Đức',
    attachments: [
      { filename: 'hóa đơn.pdf', sha256: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90' },
      { filename: 'ảnh mặt kính.jpg', sha256: 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100' },
    ],
    size: 'A4',
    ...over,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sen-receipt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function inspect(pdf: Buffer) {
  const file = join(dir, `receipt-${++counter}.pdf`);
  await writeFile(file, pdf);
  const [text, info, fonts] = await Promise.all([
    run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']),
    run('pdfinfo', [file]),
    run('pdffonts', [file]),
  ]);
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(info.stdout)?.[1]?.trim() ?? '';
  const size = /([\d.]+) x ([\d.]+) pts/.exec(field('Page size'));
  return {
    // Layout mode pads columns with spaces; the words and their diacritics are what matter.
    text: text.stdout.normalize('NFC').replace(/[ \t]+/g, ' '),
    pages: Number(field('Pages')),
    width: Number(size?.[1]),
    height: Number(size?.[2]),
    title: field('Title'),
    author: field('Author'),
    fonts: fonts.stdout,
  };
}

describe.each([
  { size: 'A4' as const, width: 595, height: 842 },
  { size: 'A5' as const, width: 420, height: 595 },
])('renderReceiptPdf, $size', ({ size, width, height }) => {
  it('prints one page with the Vietnamese text, dates in Vietnam time, the promises and the status address', async () => {
    const pdf = await renderReceiptPdf(receipt({ size }));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const got = await inspect(pdf);
    expect(got.pages).toBe(1);
    expect(Math.abs(got.width - width)).toBeLessThan(1);
    expect(Math.abs(got.height - height)).toBeLessThan(1);
    expect(got.fonts).toMatch(/BeVietnamPro-Regular/);
    expect(got.fonts).toMatch(/BeVietnamPro-Bold/);
    expect(got.title).toContain('KN-2026-000123');
    expect(got.title).toContain('Phiếu tiếp nhận khiếu nại');
    expect(got.author).toBe('Công ty TNHH Đồng Hồ Sài Gòn');

    const t = got.text;
    expect(t).toContain('PHIẾU TIẾP NHẬN KHIẾU NẠI');
    expect(t).toContain('Nguyễn Thị Hương Ánh');
    expect(t).toContain('KN-2026-000123');
    expect(t).toContain('Đồng hồ bị nứt mặt kính sau 3 ngày');
    expect(t).toContain('Tại văn phòng');
    expect(t).toContain('Trần Văn Đức');
    expect(t).toContain('07/12/2026 09:05');
    expect(t).toContain('09/12/2026 09:05');
    expect(t).toContain('06/01/2027 01:30');
    expect(t).toContain('48 giờ làm việc');
    expect(t).toContain('20 ngày làm việc');
    expect(t).toContain('https://sen.example.vn/tra-cuu/KN-2026-000123');
    expect(t).toContain('hóa đơn.pdf');
    expect(t).toContain('a1b2c3d4e5f6');
    expect(t).not.toContain('a1b2c3d4e5f60718293a4b5c6d7e8f90');
    for (const ch of DIACRITICS) expect(t).toContain(ch);

    // The long description is cut with an ellipsis before its end.
    expect(t).toContain('Chắc chắn, ằn ặt, thẳng thắn');
    expect(t).toContain('…');
    expect(t).not.toContain(END_MARKER);
  });

  it('stays on one page whatever the customer typed', async () => {
    const long = 'Đường Nguyễn Thị Minh Khai ĐẶC BIỆT DÀI '.repeat(30);
    const pdf = await renderReceiptPdf(
      receipt({
        size,
        company: { name: long, address: long, hotline: long, email: long },
        code: 'KN-2026-999999',
        channel: 'walk-in kiosk',
        customer: { name: long, phone: long, email: long },
        subject: long,
        summary: `${'x'.repeat(5000)}\n\n\n\n${'Dòng mới\n'.repeat(200)}\u202Eđảo ngược\u0007`,
        statusUrl: `https://sen.example.vn/tra-cuu/${'k'.repeat(300)}`,
        receivedBy: long,
        attachments: Array.from({ length: 30 }, (_, i) => ({ filename: `${long}-${i}.pdf`, sha256: 'ab'.repeat(32) })),
      }),
    );
    const got = await inspect(pdf);
    expect(got.pages).toBe(1);
    expect(got.text).toContain('KN-2026-999999');
    expect(got.text).toContain('walk-in kiosk');
    expect(got.text).toMatch(/\d+ tài liệu khác/);
    expect(got.text).toContain('xxxxxxxx');
  });

  it('prints a short description whole and works without the optional fields', async () => {
    const pdf = await renderReceiptPdf(
      receipt({
        size,
        company: { name: 'Cửa hàng Ánh Dương' },
        customer: { name: 'Lê Văn Ữ', phone: null, email: null },
        summary: 'Mặt kính bị nứt. Đề nghị đổi sản phẩm mới.',
        receivedBy: null,
        attachments: [],
        channel: 'hotline',
      }),
    );
    const got = await inspect(pdf);
    expect(got.pages).toBe(1);
    expect(got.text).toContain('Mặt kính bị nứt. Đề nghị đổi sản phẩm mới.');
    expect(got.text).not.toContain('Mặt kính bị nứt. Đề nghị đổi sản phẩm mới.…');
    expect(got.text).toContain('Đường dây nóng');
    expect(got.text).toContain('Không có tài liệu kèm theo.');
    expect(got.text).not.toContain('Người tiếp nhận:');
  });

  it('has English labels in the English locale', async () => {
    const got = await inspect(await renderReceiptPdf(receipt({ size, locale: 'en', channel: 'web' })));
    expect(got.pages).toBe(1);
    expect(got.text).toContain('COMPLAINT RECEIPT');
    expect(got.text).toContain('Web form');
    expect(got.text).toContain('Nguyễn Thị Hương Ánh');
    expect(got.text).toContain('07/12/2026 09:05');
    expect(got.text).toContain('within 48 working hours');
    expect(got.title).toBe('Complaint receipt KN-2026-000123');
  });
});

describe('renderReceiptPdf output', () => {
  it('is the same bytes for the same input', async () => {
    const [a, b] = await Promise.all([renderReceiptPdf(receipt({ size: 'A5' })), renderReceiptPdf(receipt({ size: 'A5' }))]);
    expect(a.equals(b)).toBe(true);
  });
});
