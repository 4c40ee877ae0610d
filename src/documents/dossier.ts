import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { nationalPhone } from '../domain/contacts';
import type { DossierNames } from '../db/queries/dossier-names';
import type { DossierData, ProposalRow } from '../db/queries/resolution';
import { AUTHORITY_KIND_LABELS, formatVnd, PROPOSAL_KIND_LABELS } from '../presenters/resolution';
import { CHANNEL_VI, clean, DECISION_CHANNEL_VI, describeEvent, eventLabel, one, PROPOSAL_STATUS_VI, STATUS_VI, when } from './dossier-timeline';
import { dossierFilePath, dossierPdfName } from './dossier-zip';

/** What the dossier PDF (hồ sơ khiếu nại gửi cơ quan có thẩm quyền) is made from. */
export interface DossierInput {
  data: DossierData;
  company: { name: string };
  escalation: {
    id: string;
    authority: { name: string; kind: string | null; province?: string | null; address?: string | null };
    reason: string;
    by: string | null;
  };
  generatedAt: Date;
  generator: { name: string; version: string };
  /** Names of the staff, teams, categories and root causes the timeline refers to by id (loadDossierNames). */
  names?: DossierNames;
}

const FONT_DIR = '@expo-google-fonts/be-vietnam-pro';
const resolveHere = createRequire(import.meta.url).resolve;
const FONT_REGULAR = resolveHere(`${FONT_DIR}/400Regular/BeVietnamPro_400Regular.ttf`);
const FONT_BOLD = resolveHere(`${FONT_DIR}/700Bold/BeVietnamPro_700Bold.ttf`);

const INK = '#111111';
const MUTED = '#555555';
const RULE = '#999999';
const MARGIN = 50;

const ROLE_VI: Record<string, string> = {
  agent: 'nhân viên CSKH',
  supervisor: 'giám sát',
  admin: 'quản trị',
  auditor: 'kiểm soát',
  department: 'phòng ban',
};

const kb = (n: number) => `${n.toLocaleString('vi-VN')} byte`;

function proposalKind(kind: string): string {
  return PROPOSAL_KIND_LABELS[kind as keyof typeof PROPOSAL_KIND_LABELS]?.vi ?? kind;
}

function actorOf(e: DossierData['events'][number], customerName: string): string {
  if (e.actorType === 'customer') return `Khách hàng ${customerName}`;
  if (e.actorType === 'system') return 'Hệ thống';
  const role = ROLE_VI[e.actorType] ?? e.actorType;
  return e.actorName ? `${one(e.actorName, 100)} (${role})` : role;
}

function decisionLine(p: ProposalRow): string | null {
  if (!p.decidedAt) return null;
  const verdict = p.status === 'rejected' ? 'Không đồng ý' : 'Đồng ý';
  const channel = p.decisionChannel ? DECISION_CHANNEL_VI[p.decisionChannel] ?? p.decisionChannel : '—';
  return `Ý kiến khách hàng: ${verdict}, qua ${channel}, lúc ${when(p.decidedAt)}${p.decisionNote && p.status !== 'withdrawn' ? `; ghi chú: ${one(p.decisionNote, 1000)}` : ''}`;
}

/** One original file the dossier lists and the ZIP carries. */
export interface DossierOriginal {
  kind: 'evidence' | 'email';
  name: string;
  sha256: string;
  contentType: string;
  size: number | null;
  at: Date;
  /** Verification state or, for an email, who sent it and its subject. */
  note: string | null;
}

/** What the dossier says of an email's copy that is not byte for byte the mail received (PCI DSS: no card number in clear). */
const KEPT_AS_VI: Record<'received' | 'masked' | 'rebuilt', string> = {
  received: '',
  masked: ' · bản lưu đã che số thẻ thanh toán (PCI DSS); phần còn lại giữ nguyên như khi nhận',
  rebuilt: ' · bản lưu dựng lại từ nội dung thư đã che số thẻ thanh toán (PCI DSS); tệp đính kèm là các chứng cứ riêng trong danh mục',
};

/** The original files of a complaint: its evidence, and each email as kept (.eml: as received, card numbers masked; see channels/email/redact-raw.ts). */
export function dossierOriginals(data: DossierData): DossierOriginal[] {
  return [
    ...data.attachments.map((a) => ({
      kind: 'evidence' as const,
      name: a.filename,
      sha256: a.sha256,
      contentType: a.contentType,
      size: a.size as number | null,
      at: a.at,
      note: a.verification === 'verified' ? 'đã xác minh' : a.verification === 'disputed' ? 'có tranh chấp' : null,
    })),
    ...data.inboundMail
      .filter((m) => m.rawSha256)
      .map((m, i) => ({
        kind: 'email' as const,
        name: `thu-den-${i + 1}.eml`,
        sha256: m.rawSha256!,
        contentType: 'message/rfc822',
        size: null,
        at: m.at,
        note: `thư từ ${one(m.from, 254)}: ${one(m.subject, 300)}${m.keptAs ? KEPT_AS_VI[m.keptAs] : ''}`,
      })),
  ];
}

const INFO_STATUS_VI: Record<string, string> = { open: 'Đang chờ', answered: 'Đã trả lời', expired: 'Quá hạn', cancelled: 'Đã hủy' };

/**
 * Renders the dossier of a complaint escalated to an authority: parties, the complaint, the whole
 * timeline, every message in and out, proposals and the customer's answers, information requests
 * and consultations, and the evidence index with the SHA-256 of each file (which the ZIP holds).
 */
export async function renderDossierPdf(input: DossierInput): Promise<Buffer> {
  const { data } = input;
  const code = one(data.complaint.code, 40);
  const customerName = one(data.customer.name, 200);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + 10 },
    bufferPages: true,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: `Hồ sơ khiếu nại ${code}`,
      Author: one(input.company.name, 200),
      Subject: `Hồ sơ khiếu nại ${code} gửi ${one(input.escalation.authority.name, 200)}`,
      Creator: `${input.generator.name} ${input.generator.version}`,
      CreationDate: input.generatedAt,
      ModDate: input.generatedAt,
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

  const width = doc.page.width - 2 * MARGIN;
  const text = (s: string, opts: { bold?: boolean; size?: number; color?: string; align?: 'left' | 'center' | 'right'; indent?: number } = {}) => {
    doc.font(opts.bold ? 'bold' : 'regular').fontSize(opts.size ?? 10).fillColor(opts.color ?? INK);
    doc.text(s, MARGIN + (opts.indent ?? 0), doc.y, { width: width - (opts.indent ?? 0), align: opts.align ?? 'left', lineGap: 1.5 });
  };
  const labelled = (label: string, value: string, indent = 0) => {
    doc.font('bold').fontSize(10).fillColor(INK);
    doc.text(`${label}: `, MARGIN + indent, doc.y, { continued: true, width: width - indent, lineGap: 1.5 });
    doc.font('regular').text(value || '—', { lineGap: 1.5 });
  };
  const rule = () => {
    const y = doc.y + 3;
    doc.save().moveTo(MARGIN, y).lineTo(MARGIN + width, y).lineWidth(0.6).strokeColor(RULE).stroke().restore();
    doc.y = y + 6;
  };
  let sectionNo = 0;
  const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];
  const section = (title: string) => {
    // A heading never sits alone at the foot of a page.
    if (doc.y > doc.page.height - MARGIN - 90) doc.addPage();
    doc.moveDown(0.8);
    text(`${ROMAN[sectionNo++]}. ${title.toUpperCase()}`, { bold: true, size: 11.5 });
    rule();
  };
  const gap = (n = 0.4) => doc.moveDown(n);

  // Header.
  text(one(input.company.name, 200), { bold: true, size: 13 });
  text(`Ngày lập: ${when(input.generatedAt)} (giờ Việt Nam, UTC+7)`, { size: 9, color: MUTED });
  gap(1);
  text('HỒ SƠ KHIẾU NẠI', { bold: true, size: 17, align: 'center' });
  text('CHUYỂN CƠ QUAN CÓ THẨM QUYỀN GIẢI QUYẾT', { bold: true, size: 12, align: 'center' });
  gap(0.3);
  text(`Mã khiếu nại: ${code}`, { bold: true, size: 13, align: 'center' });
  gap(1);
  const authority = input.escalation.authority;
  labelled('Kính gửi', one(authority.name, 300));
  if (authority.kind) labelled('Loại cơ quan', AUTHORITY_KIND_LABELS[authority.kind]?.vi ?? one(authority.kind));
  if (authority.address) labelled('Địa chỉ', one(authority.address, 300));
  labelled('Lý do chuyển', clean(input.escalation.reason, 4000));
  if (input.escalation.by) labelled('Người lập hồ sơ', one(input.escalation.by, 200));
  labelled('Mã hồ sơ', input.escalation.id);

  section('Các bên');
  text('Bên kinh doanh (bị khiếu nại)', { bold: true });
  labelled('Tên', one(input.company.name, 200), 12);
  gap(0.3);
  text('Khách hàng (người khiếu nại)', { bold: true });
  labelled('Họ và tên', customerName, 12);
  if (data.customer.phoneE164) labelled('Điện thoại', nationalPhone(data.customer.phoneE164), 12);
  if (data.customer.email) labelled('Email', one(data.customer.email, 254), 12);
  if (data.customer.province) labelled('Tỉnh/thành phố', one(data.customer.province), 12);

  section('Nội dung khiếu nại');
  const c = data.complaint;
  labelled('Mã khiếu nại', code);
  labelled('Thời gian tiếp nhận', when(c.receivedAt));
  labelled('Kênh tiếp nhận', CHANNEL_VI[c.channel] ?? one(c.channel));
  if (c.acknowledgedAt) labelled('Xác nhận tiếp nhận lúc', when(c.acknowledgedAt));
  labelled('Trạng thái khi lập hồ sơ', STATUS_VI[c.status] ?? c.status);
  if (c.category) labelled('Danh mục', one(c.category));
  if (c.product) labelled('Sản phẩm', one(c.product));
  if (c.orderRef) labelled('Mã đơn hàng', one(c.orderRef));
  if (c.rootCause) labelled('Nguyên nhân gốc', one(c.rootCause));
  labelled('Tiêu đề', one(c.subject, 500));
  text('Mô tả:', { bold: true });
  text(clean(c.description));

  section('Diễn biến xử lý (dòng thời gian)');
  text(
    'Mỗi sự kiện được ghi nối tiếp và liên kết bằng mã băm SHA-256 (chuỗi băm), nên việc sửa hoặc xóa một sự kiện đều phát hiện được.',
    { size: 8.5, color: MUTED },
  );
  gap(0.3);
  const eventContext = { customerName, names: input.names, events: data.events };
  for (const e of data.events) {
    text(`${e.seq}. ${when(e.at)} — ${eventLabel(e.type)}`, { bold: true, size: 9.5 });
    text(`${actorOf(e, customerName)} · ${CHANNEL_VI[e.channel] ?? e.channel}`, { size: 8.5, color: MUTED, indent: 12 });
    const what = describeEvent(e.type, e.payload, eventContext);
    if (what) text(what, { size: 9.5, indent: 12 });
    text(`Mã băm: ${e.hash}`, { size: 7, color: MUTED, indent: 12 });
    gap(0.25);
  }

  section('Trao đổi với khách hàng');
  const messages = [
    ...data.events
      .filter((e) => e.type === 'message.received')
      .map((e) => ({
        at: e.at,
        head: `Khách hàng gửi (${CHANNEL_VI[e.channel] ?? e.channel})${e.payload.from ? ` từ ${one(e.payload.from, 254)}` : ''}`,
        subject: e.payload.subject ? one(e.payload.subject, 500) : null,
        body: clean(e.payload.body),
      })),
    ...data.outbound.map((m) => ({
      at: m.at,
      head: `Gửi khách hàng (email) đến ${one(m.to, 254)} — ${m.status === 'sent' ? `đã gửi ${when(m.sentAt)}` : m.status === 'outbox' ? 'lưu trong hộp thư đi' : m.status === 'failed' ? 'gửi không thành công' : 'đang chờ gửi'}`,
      subject: one(m.subject, 500),
      body: clean(m.text),
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  if (!messages.length) text('Không có tin nhắn hoặc thư nào.', { color: MUTED });
  messages.forEach((m, i) => {
    text(`${i + 1}. ${when(m.at)} — ${m.head}`, { bold: true, size: 9.5 });
    if (m.subject) labelled('Tiêu đề', m.subject, 12);
    text(m.body || '(không có nội dung)', { size: 9.5, indent: 12 });
    gap(0.4);
  });

  section('Phương án giải quyết và ý kiến khách hàng');
  if (!data.proposals.length) text('Chưa có phương án nào được lập.', { color: MUTED });
  data.proposals.forEach((p, i) => {
    text(`Phương án ${i + 1}: ${proposalKind(p.kind)}${p.amountVnd != null ? ` — ${formatVnd(p.amountVnd)}` : ''}`, { bold: true });
    text(clean(p.description, 4000), { indent: 12 });
    labelled('Tình trạng', PROPOSAL_STATUS_VI[p.status] ?? p.status, 12);
    labelled('Lập lúc', `${when(p.createdAt)}${p.createdBy ? ` bởi ${one(p.createdBy.name, 100)}` : ''}`, 12);
    if (p.approvedAt && p.approvedBy) {
      labelled(p.offeredAt ? 'Phê duyệt' : 'Không phê duyệt', `${one(p.approvedBy.name, 100)}, ${when(p.approvedAt)}`, 12);
    }
    if (p.offeredAt) labelled('Gửi khách hàng lúc', when(p.offeredAt), 12);
    const decision = decisionLine(p);
    if (decision) text(decision, { indent: 12 });
    if (p.implementedAt) {
      const impl = p.implementation ?? {};
      const refs = [
        impl.refundReference ? `mã hoàn tiền ${one(impl.refundReference)}` : null,
        impl.shipmentReference ? `mã vận đơn ${one(impl.shipmentReference)}` : null,
        impl.note ? one(impl.note, 1000) : null,
      ].filter(Boolean);
      labelled('Đã thực hiện', `${when(p.implementedAt)}${refs.length ? `; ${refs.join('; ')}` : ''}`, 12);
    }
    gap(0.4);
  });

  if (data.infoRequests.length) {
    section('Yêu cầu khách hàng bổ sung thông tin');
    data.infoRequests.forEach((r, i) => {
      text(`${i + 1}. ${when(r.at)} — hạn ${when(r.dueAt)} — ${INFO_STATUS_VI[r.status] ?? r.status}`, { bold: true, size: 9.5 });
      const items = Array.isArray(r.items) ? (r.items as { kind?: string; text?: string }[]).map((it) => one(it.text || it.kind, 200)).join('; ') : '';
      if (items) labelled('Cần bổ sung', items, 12);
      text(clean(r.message, 4000), { size: 9.5, indent: 12 });
      if (r.answer) labelled(`Khách hàng trả lời (${when(r.answeredAt)})`, clean(r.answer, 4000), 12);
      gap(0.3);
    });
  }

  if (data.consultations.length) {
    section('Tham vấn bộ phận và bên thứ ba');
    data.consultations.forEach((k, i) => {
      const who = `${k.targetKind === 'internal' ? 'Bộ phận' : 'Bên ngoài'}: ${one(k.target, 200) || '—'}`;
      text(`${i + 1}. ${when(k.at)} — ${who} — hạn ${when(k.dueAt)} — ${INFO_STATUS_VI[k.status] ?? k.status}`, { bold: true, size: 9.5 });
      labelled('Câu hỏi', clean(k.question, 4000), 12);
      if (k.shared.length) labelled('Tệp gửi kèm câu hỏi', k.shared.map((f) => `${one(f.filename, 200)} (SHA-256 ${f.sha256.slice(0, 12)}…)`).join('; '), 12);
      if (k.answer) labelled(`Trả lời (${when(k.answeredAt)})`, clean(k.answer, 4000), 12);
      gap(0.3);
    });
  }

  section('Danh mục chứng cứ');
  text(
    `Bản gốc của từng tài liệu nằm trong tệp ZIP kèm theo, tại đường dẫn ghi dưới đây; tệp manifest.json trong ZIP liệt kê kích thước và mã SHA-256 của mọi tệp (kể cả tệp PDF này, ${dossierPdfName(code)}), để đối chiếu tính toàn vẹn.`,
    { size: 8.5, color: MUTED },
  );
  gap(0.3);
  const evidence = dossierOriginals(data);
  if (!evidence.length) text('Không có tài liệu chứng cứ.', { color: MUTED });
  evidence.forEach((f, i) => {
    text(`${i + 1}. ${one(f.name, 300)}`, { bold: true, size: 9.5 });
    text(
      [f.contentType, f.size != null ? kb(f.size) : null, `nhận lúc ${when(f.at)}`, f.note].filter(Boolean).join(' · '),
      { size: 8.5, color: MUTED, indent: 12 },
    );
    text(`SHA-256: ${f.sha256}`, { size: 8.5, indent: 12 });
    text(`Trong ZIP: ${dossierFilePath(f.kind, f.name, f.sha256)}`, { size: 8.5, indent: 12 });
    gap(0.25);
  });

  gap(1);
  text(
    `Hồ sơ do ${input.generator.name} ${input.generator.version} lập tự động lúc ${when(input.generatedAt)} từ dữ liệu gốc của khiếu nại ${code}.`,
    { size: 8.5, color: MUTED },
  );

  // Page numbers in the bottom margin, once the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(8).fillColor(MUTED);
    doc.text(`Hồ sơ khiếu nại ${code} — Trang ${i - range.start + 1}/${range.count}`, MARGIN, doc.page.height - MARGIN + 5, {
      width,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
