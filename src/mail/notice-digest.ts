import { STATUS_LABELS, isStatus } from '../domain/lifecycle';
import { MAX_DIGEST_LINES, type WatchNoticeKind } from '../domain/watch';
import { renderMail, type MailMessage } from './message';

export interface DigestNotice {
  kind: WatchNoticeKind;
  payload: { code?: string; subject?: string; by?: string | null; event?: string; status?: string; rating?: number };
}

const CUSTOMER_DID: Record<string, { vi: string; en: string }> = {
  'message.received': { vi: 'Khách hàng đã gửi tin nhắn mới.', en: 'The customer sent a new message.' },
  'info_request.answered': { vi: 'Khách hàng đã trả lời yêu cầu bổ sung thông tin.', en: 'The customer answered the request for information.' },
  'proposal.accepted': { vi: 'Khách hàng đã đồng ý phương án giải quyết.', en: 'The customer accepted the proposed solution.' },
  'proposal.rejected': { vi: 'Khách hàng đã từ chối phương án giải quyết.', en: 'The customer rejected the proposed solution.' },
  'attachments.added': { vi: 'Khách hàng đã gửi thêm tài liệu.', en: 'The customer sent more documents.' },
  'survey.answered': { vi: 'Khách hàng đã đánh giá kết quả.', en: 'The customer rated the outcome.' },
  'status.changed': { vi: 'Khách hàng đã mở lại hoặc chuyển trạng thái khiếu nại.', en: 'The customer reopened or moved the complaint.' },
};

/** One notice as a line of the digest: the complaint's code, then what happened. */
function line(n: DigestNotice, locale: 'vi' | 'en'): string {
  const vi = locale === 'vi';
  const p = n.payload;
  const by = p.by || 'Sen';
  const status = p.status && isStatus(p.status) ? STATUS_LABELS[p.status][locale] : (p.status ?? '—');
  const what =
    n.kind === 'complaint.assigned'
      ? vi
        ? `${by} đã giao khiếu nại này cho bạn.`
        : `${by} gave you this complaint.`
      : n.kind === 'complaint.low_rating'
        ? vi
          ? `Khách hàng chỉ đánh giá ${p.rating ?? '?'}/5: nên gọi lại để hỏi vì sao.`
          : `The customer rated it only ${p.rating ?? '?'}/5: worth a call to ask why.`
      : n.kind === 'complaint.status_changed'
        ? vi
          ? `${by} đã chuyển khiếu nại sang “${status}”.`
          : `${by} moved the complaint to “${status}”.`
        : (CUSTOMER_DID[p.event ?? ''] ?? CUSTOMER_DID['message.received'])[locale];
  const rating = n.kind === 'complaint.customer_activity' && p.event === 'survey.answered' && typeof p.rating === 'number' ? ` (${p.rating}/5)` : '';
  // By code alone: the subject is the customer's words, and a digest, not tied to one complaint, is a mail an erasure of
  // that customer could not find to redact (every other mail names its complaint and is redacted with it).
  return `- ${p.code ?? '—'}: ${what}${rating}`;
}

/**
 * Thư tóm tắt — news of a member's complaints they have not read in Sen for a while (domain/watch.ts), in one mail in
 * their language: a line each (the first MAX_DIGEST_LINES, the rest counted), the link to their notifications, and
 * where to turn these mails off.
 */
export function noticeDigestMail(m: { to: string; staffName: string; notices: DigestNotice[]; baseUrl: string; locale: 'vi' | 'en' }): MailMessage {
  const vi = m.locale === 'vi';
  const n = m.notices.length;
  const shown = m.notices.slice(0, MAX_DIGEST_LINES);
  const link = `${m.baseUrl}/staff/notifications`;
  const subject = vi ? `Sen: ${n} thông báo chưa đọc về khiếu nại của bạn` : `Sen: ${n} unread notice${n === 1 ? '' : 's'} about your complaints`;
  const lines = [
    vi ? `Chào ${m.staffName},` : `Hello ${m.staffName},`,
    '',
    vi ? 'Có tin mới về khiếu nại bạn phụ trách hoặc theo dõi mà bạn chưa đọc trong Sen:' : 'There is news you have not read in Sen about complaints you handle or follow:',
    '',
    ...shown.map((x) => line(x, m.locale)),
    ...(n > shown.length ? [vi ? `… và ${n - shown.length} thông báo khác.` : `… and ${n - shown.length} more.`] : []),
    '',
    vi ? `Xem trong Sen: ${link}` : `See them in Sen: ${link}`,
    '',
    vi
      ? `Không muốn nhận thư này? Tắt “Thư tóm tắt thông báo” ở trang Tài khoản của tôi: ${m.baseUrl}/staff/account`
      : `Rather not get these mails? Turn off “Notice digest” on My account: ${m.baseUrl}/staff/account`,
    '',
    vi ? 'Sen — hệ thống giải quyết khiếu nại' : 'Sen — complaint handling',
  ];
  return renderMail(m.to, m.locale, subject, lines, link);
}
