import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { DEFAULT_SLA } from '../domain/sla';
import { formatVietnamDateTime } from '../domain/time';

/** What the printed receipt of a complaint ("Phiếu tiếp nhận khiếu nại") shows. */
export interface ReceiptInput {
  company: { name: string; address?: string; hotline?: string; email?: string };
  code: string;
  receivedAt: Date;
  /** 'office' | 'hotline' | 'email' | 'web' | 'api'; anything else is printed as given. */
  channel: string;
  customer: { name: string; phone?: string | null; email?: string | null };
  subject: string;
  /** The description; wrapped, and cut with "…" where it would not fit. */
  summary: string;
  /**
   * The promised deadlines. The two durations only label them; they default to the default SLA
   * policy (48 working hours, 20 working days) and should be passed when an admin changed it.
   */
  promises: {
    acknowledgementDueAt: Date;
    resolutionDueAt: Date;
    acknowledgementWorkingHours?: number;
    resolutionWorkingDays?: number;
  };
  /** The customer's status page, encoded in the QR code. */
  statusUrl: string;
  receivedBy?: string | null;
  attachments?: { filename: string; sha256: string }[];
  size: 'A4' | 'A5';
  locale?: 'vi' | 'en';
}

type Locale = 'vi' | 'en';

const LABELS = {
  vi: {
    title: 'PHIẾU TIẾP NHẬN KHIẾU NẠI',
    docTitle: 'Phiếu tiếp nhận khiếu nại',
    code: 'Mã khiếu nại',
    receivedAt: 'Thời gian tiếp nhận',
    channel: 'Kênh tiếp nhận',
    receivedBy: 'Người tiếp nhận',
    hotline: 'Đường dây nóng',
    email: 'Email',
    customerSection: 'Thông tin khách hàng',
    customerName: 'Họ và tên',
    phone: 'Điện thoại',
    complaintSection: 'Nội dung khiếu nại',
    subject: 'Tiêu đề',
    summary: 'Mô tả',
    promisesSection: 'Cam kết xử lý',
    acknowledge: (at: string, hours: number) => `Phản hồi xác nhận tiếp nhận trước ${at} (trong vòng ${hours} giờ làm việc).`,
    resolve: (at: string, days: number) => `Giải quyết khiếu nại trước ${at} (trong vòng ${days} ngày làm việc).`,
    documentsSection: 'Tài liệu đã nhận',
    noDocuments: 'Không có tài liệu kèm theo.',
    moreDocuments: (n: number) => `… và ${n} tài liệu khác.`,
    lookupSection: 'Tra cứu tình trạng',
    lookup: (url: string, code: string) =>
      `Quý khách tra cứu tình trạng xử lý tại ${url} (hoặc quét mã QR) bằng mã khiếu nại ${code} cùng số điện thoại hoặc email đã đăng ký.`,
    scan: 'Quét để tra cứu',
    addressUnderQr: 'địa chỉ in dưới mã QR',
    clerkSignature: 'NGƯỜI TIẾP NHẬN',
    customerSignature: 'KHÁCH HÀNG',
    signHint: '(Ký, ghi rõ họ tên)',
    copies: 'Phiếu được lập thành 02 bản, mỗi bên giữ 01 bản.',
    timeZone: '',
    channels: {
      office: 'Tại văn phòng',
      hotline: 'Đường dây nóng',
      email: 'Email',
      web: 'Biểu mẫu web',
      api: 'API',
    } as Record<string, string>,
  },
  en: {
    title: 'COMPLAINT RECEIPT',
    docTitle: 'Complaint receipt',
    code: 'Complaint code',
    receivedAt: 'Received at',
    channel: 'Channel',
    receivedBy: 'Received by',
    hotline: 'Hotline',
    email: 'Email',
    customerSection: 'Customer',
    customerName: 'Full name',
    phone: 'Phone',
    complaintSection: 'Complaint',
    subject: 'Subject',
    summary: 'Description',
    promisesSection: 'Our commitment',
    acknowledge: (at: string, hours: number) => `Acknowledgement by ${at} (within ${hours} working hours).`,
    resolve: (at: string, days: number) => `Resolution by ${at} (within ${days} working days).`,
    documentsSection: 'Documents received',
    noDocuments: 'No documents attached.',
    moreDocuments: (n: number) => `… and ${n} more.`,
    lookupSection: 'Status',
    lookup: (url: string, code: string) =>
      `Check the status at ${url} (or scan the QR code) with the complaint code ${code} and the phone number or email you gave us.`,
    scan: 'Scan to check the status',
    addressUnderQr: 'the address under the QR code',
    clerkSignature: 'RECEIVED BY',
    customerSignature: 'CUSTOMER',
    signHint: '(Signature and full name)',
    copies: 'Made in two copies, one for each party.',
    timeZone: ' (UTC+7)',
    channels: {
      office: 'At the office',
      hotline: 'Hotline',
      email: 'Email',
      web: 'Web form',
      api: 'API',
    } as Record<string, string>,
  },
} satisfies Record<Locale, unknown>;

/** Sizes in points; A5 is the A4 layout scaled down, with a readable floor on the type. */
interface Layout {
  margin: number;
  base: number;
  small: number;
  heading: number;
  company: number;
  title: number;
  codeSize: number;
  qr: number;
  gap: number;
  signSpace: number;
}

const LAYOUTS: Record<'A4' | 'A5', Layout> = {
  A4: { margin: 40, base: 10, small: 8, heading: 10.5, company: 13, title: 16, codeSize: 22, qr: 96, gap: 8, signSpace: 40 },
  A5: { margin: 26, base: 7.5, small: 6.2, heading: 8, company: 10, title: 12, codeSize: 16, qr: 74, gap: 5.5, signSpace: 30 },
};

/** The longest description printed, even when the page would hold more. */
const MAX_SUMMARY_CHARS = 1500;
/** Documents listed by name; the rest are counted. */
const MAX_LISTED_DOCUMENTS = 5;
const COMPACT_LISTED_DOCUMENTS = 2;
const SHORT_HASH = 12;
const MAX_URL_IN_NOTE = 90;
/** Below this many lines of description, the other fields are held to one line each to make room. */
const MIN_SUMMARY_LINES = 3;

const INK = '#111111';
const MUTED = '#555555';
const RULE = '#999999';

const FONT_DIR = '@expo-google-fonts/be-vietnam-pro';
const resolveHere = createRequire(import.meta.url).resolve;
const FONT_REGULAR = resolveHere(`${FONT_DIR}/400Regular/BeVietnamPro_400Regular.ttf`);
const FONT_BOLD = resolveHere(`${FONT_DIR}/700Bold/BeVietnamPro_700Bold.ttf`);

// Control and bidi-override characters would let pasted text reorder or hide what is printed.
const UNSAFE_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** One line of customer- or staff-provided text, composed (NFC) so diacritics map to single glyphs. */
function line(value: string | null | undefined, max = 300): string {
  const s = (value ?? '').normalize('NFC').replace(UNSAFE_CHARS, '').replace(/\s+/g, ' ').trim();
  return cutChars(s, max);
}

/** Multi-line text keeps its paragraphs but not runs of blank lines. */
function paragraphs(value: string, max: number): string {
  const s = value
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(UNSAFE_CHARS, '')
    .split('\n')
    .map((l) => l.replace(/ +/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return cutChars(s, max);
}

/** Cuts at a word boundary at or before `max` characters, ending in "…". */
function cutChars(s: string, max: number): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  return cutAt(chars.slice(0, max).join(''));
}

function cutAt(prefix: string): string {
  const space = prefix.search(/\s\S*$/);
  const head = space > prefix.length * 0.6 ? prefix.slice(0, space) : prefix;
  return `${head.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

interface TextStyle {
  bold?: boolean;
  size: number;
  color?: string;
  align?: 'left' | 'center' | 'right';
  link?: string;
  /** Cut the text with "…" after this many lines, so no single field can push the page over. */
  lines?: number;
}

/**
 * Draws top-down from a cursor; every method returns the height it used, and with `draw` false it
 * only measures, so the layout can be computed before anything is placed.
 */
class Pen {
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly draw: boolean,
  ) {}

  private style(s: TextStyle, bold = s.bold): PDFKit.Mixins.TextOptions {
    this.doc.font(bold ? 'bold' : 'regular').fontSize(s.size).fillColor(s.color ?? INK);
    return { lineGap: s.size * 0.18, align: s.align ?? 'left' };
  }

  height(text: string, width: number, s: TextStyle): number {
    const opts = this.style(s);
    return this.doc.heightOfString(text, { ...opts, width });
  }

  /** The longest prefix of `text`, cut at a word with "…", for which `prefix + text + suffix` fits in `maxHeight`. */
  fit(text: string, width: number, maxHeight: number, s: TextStyle, prefix = '', suffix = ''): string {
    if (this.height(prefix + text + suffix, width, s) <= maxHeight) return text;
    const chars = Array.from(text);
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.height(prefix + cutAt(chars.slice(0, mid).join('')) + suffix, width, s) <= maxHeight) lo = mid;
      else hi = mid - 1;
    }
    return lo === 0 ? '…' : cutAt(chars.slice(0, lo).join(''));
  }

  /** `text` cut to the style's line limit, leaving room for a fixed prefix and suffix. */
  limit(text: string, width: number, s: TextStyle, prefix = '', suffix = ''): string {
    if (!s.lines) return text;
    // Half a line of tolerance: heights are sums of line heights, compared as floats.
    const maxHeight = this.height('X', width, s) * (s.lines + 0.5);
    return this.fit(text, width, maxHeight, s, prefix, suffix);
  }

  text(text: string, x: number, y: number, width: number, s: TextStyle): number {
    const shown = this.limit(text, width, s);
    const opts = this.style(s);
    const h = this.doc.heightOfString(shown, { ...opts, width });
    if (this.draw) this.doc.text(shown, x, y, { ...opts, width, link: s.link });
    return h;
  }

  /** "Label: value", the label bold; the value wraps under itself (a hanging indent), so both measure exactly. */
  labelled(label: string, value: string, x: number, y: number, width: number, s: TextStyle): number {
    const head = `${label}: `;
    this.style(s, true);
    const labelWidth = Math.min(this.doc.widthOfString(head), width / 2);
    const labelHeight = this.text(head, x, y, labelWidth + 1, { ...s, bold: true, lines: 1 });
    const valueHeight = this.text(value, x + labelWidth, y, width - labelWidth, { ...s, bold: false });
    return Math.max(labelHeight, valueHeight);
  }

  rule(x: number, y: number, width: number, color = RULE, weight = 0.6): void {
    if (!this.draw) return;
    this.doc.save().moveTo(x, y).lineTo(x + width, y).lineWidth(weight).strokeColor(color).stroke().restore();
  }

  image(png: Buffer, x: number, y: number, size: number): void {
    if (this.draw) this.doc.image(png, x, y, { width: size, height: size });
  }
}

interface Content {
  L: (typeof LABELS)[Locale];
  company: string;
  contacts: string[];
  code: string;
  receivedAt: string;
  channel: string;
  receivedBy: string;
  customerRows: [string, string][];
  customerName: string;
  subject: string;
  summary: string;
  promises: string[];
  documents: { name: string; hash: string }[];
  moreDocuments: number;
  lookup: string;
  /** Every field held to one line, for receipts whose fields are all extremely long. */
  compact: boolean;
  statusUrl: string;
  qr: Buffer;
}

/** Renders the receipt handed to a customer at intake: one page, A4 or A5, Vietnamese by default. */
export async function renderReceiptPdf(input: ReceiptInput): Promise<Buffer> {
  const locale: Locale = input.locale === 'en' ? 'en' : 'vi';
  const L = LABELS[locale];
  const layout = LAYOUTS[input.size];
  const statusUrl = line(input.statusUrl, 500);
  const qr = await QRCode.toBuffer(statusUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 0, scale: 8 });

  const company = line(input.company.name, 120);
  const code = line(input.code, 40);
  const when = (d: Date) => `${formatVietnamDateTime(d)}${L.timeZone}`;
  const contacts = [
    line(input.company.address, 200),
    [
      input.company.hotline ? `${L.hotline}: ${line(input.company.hotline, 40)}` : '',
      input.company.email ? `${L.email}: ${line(input.company.email, 80)}` : '',
    ]
      .filter(Boolean)
      .join('   ·   '),
  ].filter(Boolean);

  const customerName = line(input.customer.name, 100);
  const customerRows: [string, string][] = [[L.customerName, customerName]];
  if (input.customer.phone) customerRows.push([L.phone, line(input.customer.phone, 40)]);
  if (input.customer.email) customerRows.push([L.email, line(input.customer.email, 120)]);

  const attachments = input.attachments ?? [];
  const documents = attachments.slice(0, MAX_LISTED_DOCUMENTS).map((a) => ({
    name: line(a.filename, 120),
    hash: line(a.sha256, 64).toLowerCase().slice(0, SHORT_HASH),
  }));

  const content: Content = {
    L,
    company,
    contacts,
    code,
    receivedAt: when(input.receivedAt),
    channel: L.channels[input.channel] ?? line(input.channel, 40),
    receivedBy: line(input.receivedBy, 100),
    customerRows,
    customerName,
    subject: line(input.subject, 250),
    summary: paragraphs(input.summary, MAX_SUMMARY_CHARS),
    promises: [
      L.acknowledge(when(input.promises.acknowledgementDueAt), input.promises.acknowledgementWorkingHours ?? DEFAULT_SLA.acknowledgementWorkingHours),
      L.resolve(when(input.promises.resolutionDueAt), input.promises.resolutionWorkingDays ?? DEFAULT_SLA.resolutionWorkingDays),
    ],
    documents,
    moreDocuments: Math.max(0, attachments.length - MAX_LISTED_DOCUMENTS),
    // A very long address would crowd out the note; it is printed in full under the QR code anyway.
    lookup: L.lookup(statusUrl.length <= MAX_URL_IN_NOTE ? statusUrl : L.addressUnderQr, code),
    compact: false,
    statusUrl,
    qr,
  };

  const doc = new PDFDocument({
    size: input.size,
    // The bottom margin is small so that text placed near the foot never triggers pdfkit's automatic page break.
    margins: { top: layout.margin, left: layout.margin, right: layout.margin, bottom: 4 },
    bufferPages: true,
    autoFirstPage: true,
    lang: locale === 'vi' ? 'vi-VN' : 'en',
    displayTitle: true,
    info: {
      Title: `${L.docTitle} ${code}`,
      Author: company,
      Subject: `${L.docTitle} ${code}`,
      Creator: 'Sen',
      // The receipt is dated by the intake, which also makes the file byte-for-byte reproducible.
      CreationDate: input.receivedAt,
      ModDate: input.receivedAt,
    },
  });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);

  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // Measure first with an empty description to learn how much room the description has; when the
  // other fields are so long that it would get less than a few lines, hold them all to one line.
  const bottom = doc.page.height - layout.margin;
  const measurer = new Pen(doc, false);
  const summaryStyle: TextStyle = { size: layout.base };
  const minSummary = measurer.height('X', 100, summaryStyle) * MIN_SUMMARY_LINES;
  let end = layoutPage(measurer, doc, layout, { ...content, summary: '' });
  if (bottom - end < minSummary) {
    content.compact = true;
    end = layoutPage(measurer, doc, layout, { ...content, summary: '' });
  }
  const width = doc.page.width - 2 * layout.margin;
  content.summary = content.summary && measurer.fit(content.summary, width, bottom - end, summaryStyle);
  layoutPage(new Pen(doc, true), doc, layout, content);

  const pages = doc.bufferedPageRange().count;
  doc.end();
  const pdf = await done;
  if (pages !== 1) throw new Error(`receipt ${code} overflowed to ${pages} pages`);
  return pdf;
}

/** Places every section top-down; returns where the last line ends. */
function layoutPage(pen: Pen, doc: PDFKit.PDFDocument, k: Layout, c: Content): number {
  const { L } = c;
  const x0 = k.margin;
  const width = doc.page.width - 2 * k.margin;
  const lines = (n: number) => (c.compact ? 1 : n);
  const base = (n: number): TextStyle => ({ size: k.base, lines: lines(n) });
  let y = k.margin;

  // Header: company and contacts.
  y += pen.text(c.company, x0, y, width, { bold: true, size: k.company, lines: lines(2) });
  for (const contact of c.contacts) y += pen.text(contact, x0, y, width, { size: k.small, color: MUTED, lines: lines(2) });
  y += k.gap * 0.6;
  pen.rule(x0, y, width, INK, 1);
  y += k.gap * 1.4;

  y += pen.text(L.title, x0, y, width, { bold: true, size: k.title, align: 'center' });
  y += k.gap * 1.2;

  // Code block on the left, QR code with the status address on the right.
  const qrColumn = k.qr * 1.45;
  const leftWidth = width - qrColumn - k.gap * 2;
  const qrX = x0 + width - qrColumn;
  const top = y;
  let left = y;
  left += pen.text(L.code, x0, left, leftWidth, { size: k.small, color: MUTED });
  left += pen.text(c.code, x0, left, leftWidth, { bold: true, size: k.codeSize, lines: lines(2) });
  left += k.gap * 0.6;
  left += pen.labelled(L.receivedAt, c.receivedAt, x0, left, leftWidth, base(2));
  left += pen.labelled(L.channel, c.channel, x0, left, leftWidth, base(1));
  if (c.receivedBy) left += pen.labelled(L.receivedBy, c.receivedBy, x0, left, leftWidth, base(2));

  let right = top;
  pen.image(c.qr, qrX + (qrColumn - k.qr) / 2, right, k.qr);
  right += k.qr + k.gap * 0.4;
  right += pen.text(c.statusUrl, qrX, right, qrColumn, { size: k.small, align: 'center', link: safeLink(c.statusUrl), lines: 3 });
  right += pen.text(L.scan, qrX, right, qrColumn, { size: k.small, color: MUTED, align: 'center' });
  y = Math.max(left, right) + k.gap;

  const section = (title: string) => {
    pen.rule(x0, y, width);
    y += k.gap * 0.7;
    y += pen.text(title.toUpperCase(), x0, y, width, { bold: true, size: k.heading });
    y += k.gap * 0.35;
  };

  section(L.customerSection);
  for (const [label, value] of c.customerRows) y += pen.labelled(label, value, x0, y, width, base(2));
  y += k.gap;

  section(L.complaintSection);
  y += pen.labelled(L.subject, c.subject, x0, y, width, base(3));
  y += pen.text(`${L.summary}:`, x0, y, width, { bold: true, size: k.base });
  if (c.summary) y += pen.text(c.summary, x0, y, width, { size: k.base });
  y += k.gap;

  section(L.promisesSection);
  for (const promise of c.promises) y += pen.text(`•  ${promise}`, x0, y, width, base(2));
  y += k.gap;

  section(L.documentsSection);
  const listed = c.compact ? c.documents.slice(0, COMPACT_LISTED_DOCUMENTS) : c.documents;
  const more = c.moreDocuments + c.documents.length - listed.length;
  if (!listed.length) y += pen.text(L.noDocuments, x0, y, width, base(1));
  listed.forEach((d, i) => {
    // The file name gives way, so the hash is always printed.
    const prefix = `${i + 1}. `;
    const suffix = `  (SHA-256: ${d.hash}…)`;
    const name = pen.limit(d.name, width, base(1), prefix, suffix);
    y += pen.text(`${prefix}${name}${suffix}`, x0, y, width, { size: k.base });
  });
  if (more) y += pen.text(L.moreDocuments(more), x0, y, width, base(1));
  y += k.gap;

  section(L.lookupSection);
  // Sen's own sentence, held to its three lines even in compact mode: it carries the code.
  y += pen.text(c.lookup, x0, y, width, { size: k.base, lines: 3 });
  y += k.gap * 1.5;

  // Signatures: two columns, the clerk on the left, the customer on the right.
  const col = (width - k.gap * 2) / 2;
  const signature = (x: number, title: string, name: string) => {
    let s = y;
    s += pen.text(title, x, s, col, { bold: true, size: k.base, align: 'center' });
    s += pen.text(L.signHint, x, s, col, { size: k.small, color: MUTED, align: 'center' });
    s += k.signSpace;
    s += pen.text(name || ' ', x, s, col, { bold: true, size: k.base, align: 'center', lines: lines(2) });
    return s;
  };
  y = Math.max(signature(x0, L.clerkSignature, c.receivedBy), signature(x0 + col + k.gap * 2, L.customerSignature, c.customerName));
  y += k.gap;
  y += pen.text(L.copies, x0, y, width, { size: k.small, color: MUTED, align: 'center' });
  return y;
}

/** Only http(s) addresses become clickable. */
function safeLink(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? url : undefined;
}
