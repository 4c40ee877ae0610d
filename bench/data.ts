// Realistic Vietnamese complaint data for the benchmark: the 30 sample complaints of
// /work/shared/data/complaints-vi.jsonl, varied with a seeded PRNG so runs are repeatable.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Template {
  channel: string;
  customer: { name: string; phone?: string; email?: string };
  subject: string;
  description: string;
  orderRef?: string;
  category?: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** The sample complaints; BENCH_DATA overrides the file, a built-in fallback keeps the bench runnable. */
export function loadTemplates(): Template[] {
  const candidates = [
    process.env.BENCH_DATA,
    '/work/shared/data/complaints-vi.jsonl',
    path.resolve(here, 'complaints-vi.jsonl'),
  ].filter((p): p is string => !!p);
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
    const list = lines.map((l) => JSON.parse(l) as Template);
    if (list.length) return list;
  }
  return [
    {
      channel: 'email',
      customer: { name: 'Nguyễn Thị Hương', email: 'huong.nguyen@example.com', phone: '0912 345 678' },
      subject: 'Đồng hồ bị nứt mặt kính sau 3 ngày',
      description: 'Tôi mua đồng hồ Casio mã MTP-1374 ngày 02/11, đến ngày 05/11 mặt kính bị nứt dù không va đập.',
      orderRef: 'DH-88123',
      category: 'product_defect',
    },
  ];
}

/** mulberry32: a small, fast, seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
export const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)];
export const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** Picks a key by weight: `{ a: 3, b: 1 }` gives `a` three times as often. */
export function weighted<K extends string>(weights: Record<K, number>): (rand: Rand) => K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return (rand) => {
    let x = rand() * total;
    for (const [k, w] of entries) {
      x -= w;
      if (x < 0) return k;
    }
    return entries[entries.length - 1][0];
  };
}

export const FAMILY = [
  'Nguyễn', 'Nguyễn', 'Nguyễn', 'Trần', 'Trần', 'Lê', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng',
  'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Trịnh', 'Mai', 'Cao', 'Lâm', 'Tạ', 'Châu', 'Kiều', 'Quách', 'Lưu',
  'Tôn', 'Hà', 'Mạc', 'Nghiêm', 'Thái', 'Triệu', 'Đoàn', 'Vương', 'La', 'Chu',
];
export const MIDDLE_F = ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Mỹ', 'Bích', 'Diễm', 'Hồng', 'Phương', 'Minh', 'Anh', 'Khánh'];
export const MIDDLE_M = ['Văn', 'Văn', 'Hữu', 'Minh', 'Quốc', 'Đức', 'Thanh', 'Gia', 'Xuân', 'Tấn', 'Đình', 'Quang', 'Công', 'Hoàng', 'Trọng'];
export const GIVEN_F = [
  'Hương', 'Trang', 'Ánh', 'Mai', 'Lan', 'Oanh', 'Hồng', 'Nhàn', 'Linh', 'Quỳnh', 'My', 'Ngọc', 'Hằng', 'Thư', 'Hà',
  'Thảo', 'Yến', 'Vy', 'Nhung', 'Phượng', 'Dung', 'Giang', 'Hạnh', 'Loan', 'Tâm', 'Trinh', 'Uyên', 'Xuân', 'Châu', 'Diệp',
];
export const GIVEN_M = [
  'Minh', 'Bảo', 'Đức', 'Long', 'Tùng', 'Huy', 'Hải', 'Phúc', 'Vinh', 'Thắng', 'Đạt', 'Toàn', 'Khoa', 'Sơn', 'Phong',
  'Trường', 'Dũng', 'Hùng', 'Nam', 'Quân', 'Tuấn', 'Khải', 'Lộc', 'Nghĩa', 'Tài', 'Thịnh', 'Việt', 'Hiếu', 'Cường', 'Kiên',
];

export function randomName(rand: Rand): string {
  const female = rand() < 0.5;
  const family = pick(rand, FAMILY);
  const middle = pick(rand, female ? MIDDLE_F : MIDDLE_M);
  const given = pick(rand, female ? GIVEN_F : GIVEN_M);
  // Some names carry two middle names ("Lê Thị Thu Trang").
  if (rand() < 0.2) return `${family} ${middle} ${pick(rand, female ? MIDDLE_F : MIDDLE_M)} ${given}`;
  return `${family} ${middle} ${given}`;
}

/** Vietnamese mobile prefixes that libphonenumber accepts. */
export const MOBILE_PREFIXES = [
  '90', '91', '92', '93', '94', '96', '97', '98', '32', '33', '34', '35', '36', '37', '38', '39', '70', '76', '77',
  '78', '79', '81', '82', '83', '84', '85', '86', '88', '56', '58', '59',
];

/** A distinct E.164 mobile number for each k (bijective within a prefix, so no duplicates). */
export function phoneFor(k: number): string {
  const prefix = MOBILE_PREFIXES[k % MOBILE_PREFIXES.length];
  const rest = (Math.floor(k / MOBILE_PREFIXES.length) * 7919 + 1234567) % 10_000_000;
  return `+84${prefix}${String(rest).padStart(7, '0')}`;
}

/** "+84912345678" → "0912 345 678", the way customers usually write it. */
export function spacedNational(e164: string): string {
  const n = `0${e164.slice(3)}`;
  return `${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`;
}

export const EMAIL_DOMAINS = ['gmail.com', 'gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com', 'example.com', 'fpt.vn', 'vnn.vn'];

const SUBJECT_SUFFIXES = [
  '', '', '', '', ' – lần 2', ' (cần xử lý gấp)', ' tại chi nhánh Quận 3', ' tại cửa hàng Cầu Giấy', ' ở Đà Nẵng',
  ' ở Cần Thơ', ' – chưa được phản hồi', ' – yêu cầu bồi thường', ' tại Hải Phòng', ' ở Biên Hòa',
];
const EXTRA_SENTENCES = [
  'Tôi đã gọi tổng đài ba lần nhưng chưa được giải quyết.',
  'Mong công ty phản hồi sớm.',
  'Tôi gửi kèm hình ảnh hóa đơn và sản phẩm.',
  'Nhân viên hẹn gọi lại nhưng không thấy liên hệ.',
  'Đây là lần thứ hai tôi gặp tình trạng này.',
  'Đề nghị công ty kiểm tra và trả lời bằng văn bản.',
  'Gia đình tôi rất bức xúc vì đã mất nhiều thời gian.',
  'Tôi có thể đến cửa hàng vào cuối tuần để đối chiếu.',
  'Nếu không được giải quyết tôi sẽ gửi đơn đến Hội bảo vệ người tiêu dùng.',
  'Xin vui lòng liên hệ với tôi qua số điện thoại đã đăng ký.',
];

const two = (n: number) => String(n).padStart(2, '0');

/** A subject and description like the template's, with other dates, amounts and extra sentences. */
export function varyText(rand: Rand, t: Template): { subject: string; description: string } {
  const subject = `${t.subject}${pick(rand, SUBJECT_SUFFIXES)}`;
  let description = t.description
    .replace(/\b(\d{2})\/(\d{2})\b/g, () => `${two(int(rand, 1, 28))}/${two(int(rand, 1, 12))}`)
    .replace(/\b\d{1,3}(\.\d{3})+\b/g, () => (int(rand, 1, 500) * 50_000).toLocaleString('de-DE'));
  const extra = int(rand, 0, 2);
  for (let i = 0; i < extra; i += 1) description += ` ${pick(rand, EXTRA_SENTENCES)}`;
  return { subject, description };
}

/** An order number of the template's shape with other digits, or none when the template has none. */
export function varyOrderRef(rand: Rand, t: Template): string | null {
  if (!t.orderRef) return rand() < 0.3 ? `DH-${int(rand, 10_000, 999_999)}` : null;
  return t.orderRef.replace(/\d+$/, (digits) => String(int(rand, 10 ** (digits.length - 1), 10 ** digits.length - 1)));
}
