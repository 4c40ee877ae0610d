import type { ClockKind } from '../domain/clocks';
import { LANGUAGE_LABELS, type Language, type VulnerableGroup } from '../domain/vocabulary';
import { VULNERABLE_GROUP_LABELS } from '../domain/vulnerability';
import { nationalPhone } from '../domain/contacts';
import { STATUS_LABELS, STATUSES } from '../domain/lifecycle';
import { formatVietnamDateTime } from '../domain/time';
import { PRIORITIES, PRIORITY_LABELS, type Priority } from '../domain/vocabulary';
import type { DossierNames } from '../db/queries/dossier-names';
import { INFO_ITEM_LABELS } from '../mail/information-request';
import { AUTHORITY_KIND_LABELS, formatVnd, PROPOSAL_KIND_LABELS } from '../presenters/resolution';

// The dossier's Vietnamese wording for the timeline: an authority reads every event as a sentence,
// with names, labels, Vietnam time and amounts in đồng — never a raw payload, an id or a hash.

// Control and bidi-override characters would let pasted text reorder or hide what is printed.
const UNSAFE_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** Text from customers, staff or mail, composed (NFC) so diacritics map to single glyphs, without control characters. */
export function clean(value: unknown, max = 20_000): string {
  const s = String(value ?? '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(UNSAFE_CHARS, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max).join('')}…`;
}

/** One line of text, at most `max` characters. */
export const one = (value: unknown, max = 300) => clean(value, max).replace(/\s+/g, ' ');

/** dd/MM/yyyy HH:mm in Vietnam time, or a dash. */
export const when = (d: Date | null | undefined) => (d ? formatVietnamDateTime(d) : '—');

/** An ISO instant from a payload, as `when` prints it. */
const whenIso = (v: unknown) => {
  const d = typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? formatVietnamDateTime(d) : '—';
};

export const STATUS_VI: Record<string, string> = Object.fromEntries(STATUSES.map((s) => [s, STATUS_LABELS[s].vi]));

export const CHANNEL_VI: Record<string, string> = {
  hotline: 'Đường dây nóng',
  office: 'Tại văn phòng',
  email: 'Email',
  web: 'Biểu mẫu web',
  api: 'API',
  portal: 'Trang tra cứu',
  console: 'Bảng điều khiển',
  system: 'Hệ thống',
  cli: 'Dòng lệnh',
};

const PRIORITY_VI: Record<Priority, string> = Object.fromEntries(PRIORITIES.map((p) => [p, PRIORITY_LABELS[p].vi])) as Record<Priority, string>;

const CLOCK_VI: Record<ClockKind, string> = {
  acknowledgement: 'Hạn phản hồi tiếp nhận',
  next_response: 'Hạn phản hồi tiếp theo',
  resolution: 'Hạn giải quyết',
  negotiation: 'Hạn thương lượng (Điều 57 Luật Bảo vệ quyền lợi người tiêu dùng)',
  manual: 'Hạn đặt thủ công',
};

export const PROPOSAL_STATUS_VI: Record<string, string> = {
  pending_approval: 'Chờ phê duyệt',
  offered: 'Đã gửi khách hàng, chờ trả lời',
  accepted: 'Khách hàng đồng ý',
  rejected: 'Khách hàng không đồng ý',
  withdrawn: 'Đã thu hồi',
  implemented: 'Đã thực hiện',
};

export const EVENT_VI: Record<string, string> = {
  'complaint.created': 'Tiếp nhận khiếu nại',
  'complaint.linked': 'Liên kết với khiếu nại trước',
  'complaint.merged_in': 'Gộp khiếu nại trùng vào',
  'email.converted': 'Tạo khiếu nại từ thư để riêng',
  'personal_data.anonymised': 'Ẩn danh dữ liệu cá nhân',
  'status.changed': 'Chuyển trạng thái',
  'assignment.changed': 'Phân công xử lý',
  'note.added': 'Ghi chú nội bộ',
  'category.changed': 'Đổi danh mục',
  'priority.changed': 'Đổi mức ưu tiên',
  'vulnerability.changed': 'Nhóm người tiêu dùng được ưu tiên (Điều 8)',
  'product.changed': 'Đổi sản phẩm',
  'customer_province.changed': 'Cập nhật tỉnh/thành phố của khách hàng',
  'language.changed': 'Đổi ngôn ngữ liên lạc với khách hàng',
  'customer.contact_confirmed': 'Xác minh và cập nhật liên hệ của khách hàng',
  'customer.corrected': 'Sửa thông tin khách hàng',
  'customer.merged': 'Gộp hồ sơ khách hàng trùng',
  'complaint.corrected': 'Sửa nội dung khiếu nại',
  'contact.logged': 'Liên hệ với khách hàng',
  'reply.sent': 'Trả lời khách hàng qua email',
  'sms.sent': 'Nhắn tin SMS cho khách hàng',
  'call.ended': 'Kết thúc cuộc gọi',
  'message.received': 'Khách hàng gửi tin nhắn/thư',
  'attachments.added': 'Bổ sung tài liệu',
  'due_date.set': 'Đặt hạn xử lý',
  'sla.reminder': 'Nhắc hạn xử lý',
  'sla.breached': 'Quá hạn xử lý',
  'sla.recomputed': 'Tính lại hạn xử lý',
  'info_request.created': 'Yêu cầu khách hàng bổ sung thông tin',
  'info_request.reminded': 'Nhắc khách hàng bổ sung thông tin',
  'info_request.answered': 'Khách hàng bổ sung thông tin',
  'info_request.expired': 'Yêu cầu bổ sung thông tin quá hạn',
  'info_request.cancelled': 'Hủy yêu cầu bổ sung thông tin',
  'evidence.verified': 'Xác minh chứng cứ',
  'evidence.disputed': 'Chứng cứ có nghi vấn',
  'consultation.requested': 'Yêu cầu tham vấn',
  'consultation.resent': 'Gửi lại liên kết tham vấn',
  'consultation.answered': 'Trả lời tham vấn',
  'consultation.overdue': 'Tham vấn quá hạn',
  'consultation.cancelled': 'Hủy tham vấn',
  'proposal.created': 'Lập phương án giải quyết',
  'proposal.approved': 'Phê duyệt phương án',
  'proposal.approval_rejected': 'Không phê duyệt phương án (trả lại)',
  'proposal.offered': 'Gửi phương án cho khách hàng',
  'proposal.accepted': 'Khách hàng đồng ý phương án',
  'proposal.rejected': 'Khách hàng không đồng ý phương án',
  'proposal.implemented': 'Thực hiện phương án',
  'proposal.withdrawn': 'Thu hồi phương án',
  'root_cause.set': 'Ghi nhận nguyên nhân gốc',
  'corrective_action.linked': 'Gắn hành động khắc phục',
  'corrective_action.unlinked': 'Bỏ gắn hành động khắc phục',
  'escalation.created': 'Chuyển cơ quan có thẩm quyền',
  'escalation.handed_over': 'Bàn giao hồ sơ cho cơ quan có thẩm quyền',
  'escalation.outcome': 'Kết quả từ cơ quan có thẩm quyền',
  'survey.sent': 'Gửi khảo sát mức độ hài lòng',
  'survey.answered': 'Khách hàng đánh giá mức độ hài lòng',
};

/** The heading of one timeline event. */
export const eventLabel = (type: string) => EVENT_VI[type] ?? 'Sự kiện khác';

const CONTACT_VI: Record<string, string> = { call: 'Gọi điện', email: 'Email', sms: 'Tin nhắn SMS', meeting: 'Gặp trực tiếp', other: 'Cách khác' };

export const DECISION_CHANNEL_VI: Record<string, string> = { portal: 'trang tra cứu', hotline: 'điện thoại', office: 'tại văn phòng', email: 'email' };

/** Why Sen withdrew a proposal or cancelled a request on its own (else `status_<status>`). */
const CAUSE_VI: Record<string, string> = {
  complaint_escalated: 'do khiếu nại được chuyển cơ quan có thẩm quyền',
  complaint_rejected: 'do khiếu nại không được thụ lý',
};

function causeText(cause: unknown): string | null {
  if (typeof cause !== 'string' || !cause) return null;
  if (CAUSE_VI[cause]) return CAUSE_VI[cause];
  const status = /^status_(.+)$/.exec(cause)?.[1];
  return status ? `do khiếu nại chuyển sang “${statusLabel(status)}”` : null;
}

const statusLabel = (s: unknown) => STATUS_VI[String(s)] ?? readable(s) ?? '—';
const proposalKind = (kind: unknown) => PROPOSAL_KIND_LABELS[String(kind) as keyof typeof PROPOSAL_KIND_LABELS]?.vi ?? readable(kind) ?? 'Phương án';
const clockLabel = (k: unknown) => CLOCK_VI[String(k) as ClockKind] ?? 'Thời hạn';

// Values an authority cannot read and must never see: database ids, hashes, tokens.
const ID_LIKE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[0-9a-f]{32,}\b/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A payload string fit to print, or null when it is empty or an id. */
function readable(v: unknown, max = 300): string | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const s = one(v, max);
  return s && !ID_LIKE.test(s) ? s : null;
}

const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const join = (parts: (string | null | undefined | false)[], sep = '; ') => parts.filter(Boolean).join(sep);

function filenames(v: unknown): string | null {
  if (!Array.isArray(v)) return null;
  const names = v.map((a) => one(obj(a).filename, 200)).filter(Boolean);
  return names.length ? names.join('; ') : null;
}

/** The fields a correction may change (domain/corrections.ts), in Vietnamese. */
const CORRECTED_FIELD_VI: Record<string, string> = {
  name: 'Họ tên',
  phone: 'Số điện thoại',
  email: 'Email',
  subject: 'Tiêu đề',
  description: 'Nội dung',
  orderRef: 'Mã đơn hàng',
};

/** "Họ tên: từ “Nguyễn Văn Ann” thành “Nguyễn Văn An”", one per field a correction changed. */
function correctionParts(changes: unknown): string[] {
  return Object.entries(obj(changes)).map(([field, raw]) => {
    const c = obj(raw);
    const value = (v: unknown) => {
      if (typeof v !== 'string' || !v) return '(trống)';
      return field === 'phone' ? nationalPhone(v) : field === 'description' ? clean(v, 1000) : one(v);
    };
    return `${CORRECTED_FIELD_VI[field] ?? 'Chi tiết'}: từ “${value(c.old)}” thành “${value(c.new)}”`;
  });
}

/** What became of the mail still waiting for a corrected email address (commands/correct-customer.ts). */
function correctionMail(raw: unknown): string | null {
  const m = obj(raw);
  if (typeof m.redirected === 'number') return `${m.redirected} thư chưa gửi được chuyển sang địa chỉ mới`;
  if (typeof m.stopped === 'number') return `${m.stopped} thư đang chờ gửi đã dừng vì email bị xoá`;
  return null;
}

/** What a dossier event description may need beyond its own payload. */
export interface EventContext {
  customerName: string;
  /** Names for the ids events carry; without them an id prints as unknown. */
  names?: DossierNames;
  /** The complaint's whole timeline, to name what a later event refers to (a proposal, a consultation, a request). */
  events: { type: string; payload: Record<string, unknown> }[];
}

const UNKNOWN = '(không rõ)';

function nameOf(kind: keyof DossierNames, id: unknown, ctx: EventContext): string | null {
  if (id == null || id === '') return null;
  const name = ctx.names?.[kind][String(id).toLowerCase()];
  return name ? one(name, 200) : UNKNOWN;
}

/** The payload of the first event of `type` whose `key` is `id`: what a later event refers back to. */
function earlier(ctx: EventContext, type: string, key: string, id: unknown): Record<string, unknown> | null {
  if (typeof id !== 'string') return null;
  return ctx.events.find((e) => e.type === type && e.payload[key] === id)?.payload ?? null;
}

/** "phương án 2 (Hoàn tiền)": numbered in the order proposals were made, as the proposals section lists them. */
function proposalRef(ctx: EventContext, id: unknown): string {
  const made = ctx.events.filter((e) => e.type === 'proposal.created');
  const i = made.findIndex((e) => e.payload.proposalId === id);
  return i < 0 ? 'Phương án' : `Phương án ${i + 1} (${proposalKind(made[i].payload.kind)})`;
}

function consultationTarget(p: Record<string, unknown>, ctx: EventContext): string {
  const t = obj(p.target);
  if (t.kind === 'internal') return `phòng ban ${readable(t.teamName) ?? nameOf('teams', t.teamId, ctx) ?? UNKNOWN}`;
  if (t.kind === 'external') return join([readable(t.name), readable(t.email, 254) && `(${one(t.email, 254)})`], ' ') || UNKNOWN;
  return readable(p.target) ?? UNKNOWN;
}

function consultationRef(p: Record<string, unknown>, ctx: EventContext): string | null {
  const asked = earlier(ctx, 'consultation.requested', 'consultationId', p.consultationId);
  return asked ? `Tham vấn ${consultationTarget(asked, ctx)}` : null;
}

function infoItems(v: unknown): string | null {
  if (!Array.isArray(v)) return null;
  const items = v.map((raw) => {
    const it = obj(raw);
    return readable(it.text) ?? INFO_ITEM_LABELS[String(it.kind)]?.vi ?? readable(it.kind);
  });
  return join(items) || null;
}

function infoRequestRef(p: Record<string, unknown>, ctx: EventContext): string | null {
  const asked = earlier(ctx, 'info_request.created', 'requestId', p.requestId);
  const items = asked ? infoItems(asked.items) : null;
  return items ? `Yêu cầu bổ sung: ${items}` : null;
}

/** "Trần Thị B (trước đó: Lê Văn C)": one side of an assignment. */
function assignmentPart(kind: 'staff' | 'teams', now: unknown, before: unknown, ctx: EventContext): string {
  const label = kind === 'staff' ? 'Người phụ trách' : 'Nhóm xử lý';
  const current = nameOf(kind, now, ctx) ?? (kind === 'staff' ? 'chưa có (bỏ phân công)' : '—');
  const previous = nameOf(kind, before, ctx);
  return `${label}: ${current}${previous ? ` (trước đó: ${previous})` : ''}`;
}

function duration(seconds: unknown): string | null {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return null;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m ? `${m} phút${s ? ` ${s} giây` : ''}` : `${s} giây`;
}

/** Vietnamese names of the payload fields the fallback may print. */
const FIELD_VI: Record<string, string> = {
  reason: 'Lý do',
  note: 'Ghi chú',
  cause: 'Nguyên nhân',
  subject: 'Tiêu đề',
  body: 'Nội dung',
  message: 'Nội dung',
  summary: 'Tóm tắt',
  answer: 'Trả lời',
  comment: 'Nhận xét',
  title: 'Tiêu đề',
  name: 'Tên',
  email: 'Email',
  to: 'Đến',
  from: 'Từ',
  channel: 'Kênh',
  status: 'Tình trạng',
  kind: 'Loại',
  filename: 'Tệp',
  amountVnd: 'Số tiền',
  at: 'Thời điểm',
  dueAt: 'Hạn',
  doneAt: 'Hoàn thành lúc',
  referenceNo: 'Số văn bản',
  outcome: 'Kết quả',
  rating: 'Điểm đánh giá',
  percent: 'Tỷ lệ thời hạn đã dùng (%)',
};

// Internal bookkeeping an authority has no use for.
const SKIPPED_FIELDS = new Set(['clocks', 'clientKey', 'messageId', 'recordingUrl', 'nameEn']);

/**
 * The last resort for an event type this file does not know: its readable scalar fields under
 * Vietnamese names, skipping ids, hashes and internal bookkeeping, so nothing raw reaches the page.
 */
function describeFields(p: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, v] of Object.entries(p)) {
    if (SKIPPED_FIELDS.has(key) || /(Id|Ids|Sha256|Hash|Key|Token|Nonce)$/.test(key) || key === 'id') continue;
    const label = FIELD_VI[key] ?? 'Chi tiết';
    let value: string | null = null;
    if (typeof v === 'boolean') value = v ? 'có' : 'không';
    else if (typeof v === 'number') value = key === 'amountVnd' ? formatVnd(v) : v.toLocaleString('vi-VN');
    else if (typeof v === 'string' && ISO_INSTANT.test(v)) value = whenIso(v);
    else if (key === 'status') value = statusLabel(v);
    else if (key === 'channel') value = CHANNEL_VI[String(v)] ?? readable(v);
    else value = readable(v, 1000);
    if (value) parts.push(`${label}: ${value}`);
  }
  return parts.join('; ');
}

/** A short Vietnamese account of one timeline event's payload, with names instead of ids. */
export function describeEvent(type: string, p: Record<string, unknown>, ctx: EventContext): string {
  const reason = p.reason ? ` — lý do: ${one(p.reason, 1000)}` : '';
  switch (type) {
    case 'complaint.created': {
      const u = (p.unconfirmedContacts ?? {}) as { name?: unknown; phone?: unknown; email?: unknown };
      const given = [u.name, u.phone, u.email].filter(Boolean).map((v) => one(v)).join(', ');
      const language = p.language === 'en' ? `; ngôn ngữ liên lạc: ${LANGUAGE_LABELS.en.vi}` : '';
      return `Kênh: ${CHANNEL_VI[String(p.channel)] ?? one(p.channel)}; tiêu đề: ${one(p.subject)}${language}${given ? `; liên hệ ghi trong đơn, khác hồ sơ khách hàng (chưa xác minh): ${given}` : ''}`;
    }
    case 'complaint.merged_in':
      return `Khiếu nại ${readable(p.from, 40) ?? UNKNOWN} trùng nội dung được gộp vào khiếu nại này${reason}`;
    case 'complaint.linked':
      return `Khiếu nại mới, mở vì khách hàng không đồng ý kết quả của khiếu nại ${readable(p.previousCode, 40) ?? UNKNOWN}`;
    case 'email.converted':
      return 'Nhân viên tạo khiếu nại này từ một thư đến được để riêng (chưa tự động tiếp nhận)';
    case 'personal_data.anonymised': {
      const n = Array.isArray(p.redacted) ? p.redacted.length : 0;
      const why = p.reason === 'retention' ? 'khi hết thời hạn lưu trữ' : 'theo yêu cầu của khách hàng';
      return `Dữ liệu cá nhân của khách hàng đã được ẩn danh ${why}${p.note ? ` (${one(p.note, 200)})` : ''}; nội dung của ${n} mục nhật ký đã được xoá`;
    }
    case 'status.changed':
      // Be Vietnam Pro has no arrow glyph: the move is spelt out.
      return `Từ “${statusLabel(p.from)}” sang “${statusLabel(p.to)}”${p.mergedInto ? ` (gộp vào khiếu nại ${readable(p.mergedInto, 40) ?? UNKNOWN})` : ''}${reason}`;
    case 'assignment.changed': {
      const parts = [];
      const staffMoved = p.assigneeId !== p.previousAssigneeId;
      const teamMoved = p.teamId !== p.previousTeamId;
      if (staffMoved || !teamMoved) parts.push(assignmentPart('staff', p.assigneeId, p.previousAssigneeId, ctx));
      if (teamMoved) parts.push(assignmentPart('teams', p.teamId, p.previousTeamId, ctx));
      if (p.reason === 'sla_breach') parts.push('hệ thống tự động bỏ phân công vì quá hạn xử lý');
      if (p.reason === 'staff_left') parts.push('trả về hàng đợi của nhóm vì người phụ trách đã nghỉ hoặc đổi vai trò');
      if (p.reason === 'rule') parts.push(`theo quy tắc phân công “${one(p.ruleName, 120)}”`);
      return join(parts);
    }
    case 'note.added': {
      // Colleagues named in the note (nhắc tên), by their names.
      const named = Array.isArray(p.mentions) ? p.mentions.map((id) => nameOf('staff', id, ctx)).filter((n): n is string => !!n) : [];
      return named.length ? `${clean(p.body, 2000)} (nhắc: ${named.join(', ')})` : clean(p.body, 2000);
    }
    case 'category.changed':
      return `Từ “${nameOf('categories', p.from, ctx) ?? '—'}” sang “${nameOf('categories', p.to, ctx) ?? '—'}”`;
    case 'priority.changed':
      return `Từ “${PRIORITY_VI[String(p.from) as Priority] ?? readable(p.from) ?? '—'}” sang “${PRIORITY_VI[String(p.to) as Priority] ?? readable(p.to) ?? '—'}”${
        p.reason === 'vulnerable' ? ' (người tiêu dùng thuộc nhóm được ưu tiên, Điều 8)' : p.reason === 'rule' ? ` (theo quy tắc phân công “${one(p.ruleName, 120)}”)` : ''
      }`;
    case 'vulnerability.changed': {
      const group = (v: unknown) => (typeof v === 'string' && v in VULNERABLE_GROUP_LABELS ? VULNERABLE_GROUP_LABELS[v as VulnerableGroup].vi : v ? readable(v) : 'không thuộc nhóm nào');
      return `Từ “${group(p.from)}” sang “${group(p.to)}”`;
    }
    case 'language.changed': {
      const language = (v: unknown) => (typeof v === 'string' && v in LANGUAGE_LABELS ? LANGUAGE_LABELS[v as Language].vi : readable(v));
      return `Từ “${language(p.from)}” sang “${language(p.to)}”`;
    }
    case 'product.changed':
    case 'customer_province.changed':
      return `Từ “${p.from ? one(p.from) : '—'}” sang “${p.to ? one(p.to) : '—'}”`;
    case 'customer.contact_confirmed':
      return `${p.field === 'phone' ? 'Số điện thoại' : 'Email'} ${one(p.value)} đã được xác minh với khách và ghi vào hồ sơ khách hàng${p.previous ? ` (thay cho ${one(p.previous)})` : ''}`;
    case 'customer.merged': {
      const gained = p.gained && typeof p.gained === 'object' ? (p.gained as Record<string, unknown>) : {};
      const took = [gained.phone ? `số điện thoại ${one(gained.phone)}` : null, gained.email ? `email ${one(gained.email)}` : null].filter(Boolean).join(' và ');
      return join([
        p.moved === true ? `Chuyển từ hồ sơ trùng “${one(p.fromName)}” sang hồ sơ khách hàng này` : `Hồ sơ trùng “${one(p.fromName)}” được gộp vào hồ sơ khách hàng này`,
        took ? `hồ sơ nhận thêm ${took}` : null,
        p.reason ? `lý do: ${one(p.reason, 1000)}` : null,
      ]);
    }
    case 'customer.corrected':
    case 'complaint.corrected':
      return join([...correctionParts(p.changes), p.reason ? `lý do: ${one(p.reason, 1000)}` : null, correctionMail(p.mail)]);
    case 'sms.sent':
      return `Gửi đến ${one(p.to)}: ${clean(p.text, 400)}`;
    case 'reply.sent': {
      const files = filenames(p.attachments);
      return `Gửi đến ${one(p.to)}: ${clean(p.body, 2000)}${files ? ` (tệp đính kèm: ${files})` : ''}`;
    }
    case 'contact.logged':
      return `${CONTACT_VI[String(p.method)] ?? one(p.method)}: ${clean(p.summary, 2000)}${p.callBackAt ? `. Hẹn gọi lại khách lúc ${whenIso(p.callBackAt)}` : ''}`;
    case 'call.ended': {
      const d = duration(p.durationSeconds);
      return join([d ? `Thời lượng cuộc gọi: ${d}` : 'Tổng đài không báo thời lượng cuộc gọi', p.recordingUrl ? 'có bản ghi âm tại tổng đài' : null]);
    }
    case 'message.received':
      return `${p.subject ? `Tiêu đề: ${one(p.subject)}. ` : ''}${clean(p.body, 600)}`;
    case 'attachments.added':
      return filenames(p.attachments) ?? '';
    case 'due_date.set':
      return p.dueAt ? `Hạn xử lý đặt thủ công: ${whenIso(p.dueAt)}` : 'Bỏ hạn xử lý đặt thủ công';
    case 'sla.reminder':
      return `${clockLabel(p.clock)}: đã dùng ${typeof p.percent === 'number' ? p.percent : '—'}% thời hạn (hạn ${whenIso(p.dueAt)})`;
    case 'sla.breached':
      return `${clockLabel(p.clock)}: đã quá hạn ${whenIso(p.dueAt)}`;
    case 'sla.recomputed': {
      const why = p.reason === 'calendar' ? 'Do lịch làm việc thay đổi' : p.reason === 'sla_policy' ? 'Do chính sách thời hạn thay đổi' : null;
      const moves = Array.isArray(p.changes)
        ? p.changes.map((raw) => {
            const c = obj(raw);
            return `${clockLabel(c.clock)}: từ ${whenIso(c.from)} sang ${whenIso(c.to)}`;
          })
        : [];
      return join([why, ...moves]);
    }
    case 'info_request.created': {
      const items = infoItems(p.items);
      return join([
        items && `Cần bổ sung: ${items}`,
        `hạn trả lời ${whenIso(p.dueAt)}${typeof p.dueDays === 'number' ? ` (${p.dueDays} ngày làm việc)` : ''}`,
        p.message ? `nội dung: ${one(p.message, 1000)}` : null,
      ]);
    }
    case 'info_request.reminded':
      return join([infoRequestRef(p, ctx), `nhắc khách hàng trước hạn ${whenIso(p.dueAt)}`, p.mailed === false ? 'khách hàng không có email, chưa gửi được lời nhắc' : null]);
    case 'info_request.answered':
      return join([
        p.answer ? clean(p.answer, 1000) : null,
        filenames(p.attachments) && `tệp gửi kèm: ${filenames(p.attachments)}`,
        p.late ? 'trả lời sau hạn' : null,
      ]);
    case 'info_request.expired':
      return join([infoRequestRef(p, ctx), `khách hàng không trả lời trước hạn ${whenIso(p.dueAt)}`]);
    case 'info_request.cancelled':
      return join([infoRequestRef(p, ctx), causeText(p.cause), p.reason ? `lý do: ${one(p.reason, 1000)}` : null]);
    case 'evidence.verified':
    case 'evidence.disputed': {
      const before = p.previous === 'verified' ? 'đã xác minh' : p.previous === 'disputed' ? 'có nghi vấn' : null;
      return join([`Tệp: ${one(p.filename, 300)}`, p.note ? `ghi chú: ${one(p.note, 1000)}` : null, before && `trước đó: ${before}`]);
    }
    case 'consultation.requested': {
      const shared = filenames(p.sharedFiles);
      return join([
        `Hỏi ${consultationTarget(p, ctx)}`,
        p.question ? `câu hỏi: ${one(p.question, 1000)}` : null,
        `hạn trả lời ${whenIso(p.dueAt)}`,
        shared && `tệp gửi kèm: ${shared}`,
      ]);
    }
    case 'consultation.resent':
      return join([consultationRef(p, ctx), readable(p.email, 254) && `liên kết mới gửi tới ${one(p.email, 254)}`]);
    case 'consultation.answered': {
      const by = obj(p.by);
      const who = readable(obj(by.staff).name) ?? readable(obj(by.party).name) ?? readable(obj(by.party).email, 254);
      return join([
        consultationRef(p, ctx),
        `${who ? `${who} trả lời` : 'Trả lời'}: ${clean(p.answer, 1000) || '(chỉ gửi tệp)'}`,
        filenames(p.attachments) && `tệp gửi kèm: ${filenames(p.attachments)}`,
        p.late ? 'trả lời sau hạn' : null,
      ]);
    }
    case 'consultation.overdue':
      return `${readable(p.target) ?? consultationRef(p, ctx) ?? 'Bên được tham vấn'}: chưa trả lời, hạn ${whenIso(p.dueAt)}`;
    case 'consultation.cancelled':
      return join([consultationRef(p, ctx), p.reason ? `lý do: ${one(p.reason, 1000)}` : null]);
    case 'proposal.created':
    case 'proposal.offered':
      return [
        proposalKind(p.kind),
        typeof p.amountVnd === 'number' ? formatVnd(p.amountVnd) : null,
        one(p.description, 1000),
        p.needsApproval ? '(cần phê duyệt)' : null,
      ]
        .filter(Boolean)
        .join(' — ');
    case 'proposal.approved':
      return join([proposalRef(ctx, p.proposalId), p.note ? `ghi chú: ${one(p.note, 1000)}` : null]);
    case 'proposal.accepted':
    case 'proposal.rejected':
      return `${ctx.customerName} trả lời qua ${DECISION_CHANNEL_VI[String(p.channel)] ?? one(p.channel)} lúc ${whenIso(p.at)}${
        p.note ? `; ghi chú: ${one(p.note, 1000)}` : ''
      }`;
    case 'proposal.approval_rejected':
      return p.note ? `Ghi chú: ${one(p.note, 1000)}` : '';
    case 'proposal.implemented':
      return [
        typeof p.doneAt === 'string' ? `Hoàn thành lúc ${whenIso(p.doneAt)}` : null,
        p.refundReference ? `mã hoàn tiền ${one(p.refundReference)}` : null,
        p.shipmentReference ? `mã vận đơn ${one(p.shipmentReference)}` : null,
        p.note ? one(p.note, 1000) : null,
      ]
        .filter(Boolean)
        .join('; ');
    case 'proposal.withdrawn': {
      const cause = causeText(p.cause);
      const from = PROPOSAL_STATUS_VI[String(p.from)];
      return `${proposalRef(ctx, p.proposalId)}${from ? `, đang ở tình trạng “${from}”` : ''}${cause ? ` — ${cause}` : ''}`;
    }
    case 'root_cause.set': {
      const previous = nameOf('rootCauses', p.previousId, ctx);
      return `${readable(obj(p.rootCause).name) ?? UNKNOWN}${previous ? ` (trước đó: ${previous})` : ''}`;
    }
    case 'corrective_action.linked':
    case 'corrective_action.unlinked':
      return readable(p.title) ?? '';
    case 'escalation.created': {
      const a = obj(p.authority);
      const kind = AUTHORITY_KIND_LABELS[String(a.kind)]?.vi;
      return `Chuyển ${readable(a.name) ?? UNKNOWN}${kind ? ` (${kind})` : ''}${reason}`;
    }
    case 'escalation.handed_over': {
      const before = obj(p.previous);
      return join([
        `Bàn giao lúc ${whenIso(p.handedOverAt)}`,
        readable(p.referenceNo) && `số văn bản ${one(p.referenceNo)}`,
        before.handedOverAt ? `sửa lại ghi nhận trước (${whenIso(before.handedOverAt)}${readable(before.referenceNo) ? `, số ${one(before.referenceNo)}` : ''})` : null,
      ]);
    }
    case 'escalation.outcome': {
      const before = obj(p.previous);
      return join([
        `Kết quả ngày ${whenIso(p.outcomeAt)}: ${clean(p.outcome, 2000)}`,
        before.outcome ? `thay cho kết quả ghi trước: ${one(before.outcome, 1000)}` : null,
      ]);
    }
    case 'survey.sent':
      return join([
        `Khảo sát sau lần giải quyết thứ ${typeof p.resolutionNo === 'number' ? p.resolutionNo : '—'}`,
        readable(p.to, 254) && `gửi tới ${one(p.to, 254)}`,
        `hạn trả lời ${whenIso(p.expiresAt)}`,
      ]);
    case 'survey.answered':
      return join([
        `Điểm: ${typeof p.rating === 'number' ? `${p.rating}/5` : '—'}`,
        p.comment ? `nhận xét: ${one(p.comment, 1000)}` : null,
        p.via === 'link' ? 'qua liên kết trong email' : p.via === 'status_page' ? 'qua trang tra cứu' : p.via === 'phone' ? 'khách trả lời qua điện thoại, nhân viên ghi nhận' : null,
      ]);
    default:
      return describeFields(p);
  }
}
