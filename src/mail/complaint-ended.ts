import { renderMail } from './message';
import type { MailMessage } from './message';

export interface ComplaintEndedMail {
  to: string;
  customerName: string;
  code: string;
  subject: string;
  /** withdrawn: at the customer's request; merged: a duplicate of another complaint, which carries on. */
  ending: 'withdrawn' | 'merged';
  reason: string | null;
  /** The complaint that carries on, when it is the same customer's (never another customer's code). */
  mergedInto: string | null;
  /** The status page of the complaint to follow from now on. */
  statusUrl: string;
  companyName: string;
  locale: 'vi' | 'en';
}

/** Thư xác nhận rút khiếu nại / thông báo gộp khiếu nại — the complaint ended without a decision on it, and what now. */
export function complaintEndedMail(m: ComplaintEndedMail): MailMessage {
  const reason = m.reason ? m.reason.split(/\r?\n/) : [];
  const vi = m.locale === 'vi';
  const subject =
    m.ending === 'withdrawn'
      ? vi
        ? `[${m.code}] Xác nhận rút khiếu nại: ${m.subject}`
        : `[${m.code}] Your complaint was withdrawn: ${m.subject}`
      : vi
        ? `[${m.code}] Khiếu nại đã được gộp${m.mergedInto ? ` vào ${m.mergedInto}` : ''}: ${m.subject}`
        : `[${m.code}] Your complaint was merged${m.mergedInto ? ` into ${m.mergedInto}` : ''}: ${m.subject}`;
  const what = vi
    ? m.ending === 'withdrawn'
      ? `${m.companyName} xác nhận khiếu nại ${m.code} (“${m.subject}”) đã được rút theo đề nghị của Quý khách và không còn được xử lý.`
      : m.mergedInto
        ? `Khiếu nại ${m.code} (“${m.subject}”) trùng nội dung với khiếu nại ${m.mergedInto} của Quý khách, nên đã được gộp vào khiếu nại ${m.mergedInto}. Mọi thông tin Quý khách đã gửi được giữ nguyên; việc giải quyết tiếp tục theo khiếu nại ${m.mergedInto}.`
        : `Khiếu nại ${m.code} (“${m.subject}”) trùng với một khiếu nại đang được giải quyết, nên đã được gộp; việc giải quyết tiếp tục ở khiếu nại đó.`
    : m.ending === 'withdrawn'
      ? `${m.companyName} confirms that complaint ${m.code} (“${m.subject}”) was withdrawn at your request and is no longer being handled.`
      : m.mergedInto
        ? `Complaint ${m.code} (“${m.subject}”) repeats your complaint ${m.mergedInto}, so it was merged into ${m.mergedInto}. Everything you sent is kept; the handling goes on under ${m.mergedInto}.`
        : `Complaint ${m.code} (“${m.subject}”) repeats a complaint already being handled, so it was merged; the handling goes on there.`;
  const lines = vi
    ? [
        `Kính gửi ${m.customerName},`,
        '',
        what,
        ...(reason.length ? ['', 'Ghi chú:', ...reason] : []),
        '',
        `Theo dõi tại trang tra cứu: ${m.statusUrl}`,
        m.ending === 'withdrawn'
          ? 'Nếu Quý khách không đề nghị rút khiếu nại này, xin trả lời thư này (giữ nguyên mã khiếu nại trong tiêu đề) hoặc gọi đường dây nóng.'
          : 'Nếu hai khiếu nại không trùng nhau, xin trả lời thư này (giữ nguyên mã khiếu nại trong tiêu đề) hoặc gọi đường dây nóng.',
        '',
        'Trân trọng,',
        m.companyName,
      ]
    : [
        `Dear ${m.customerName},`,
        '',
        what,
        ...(reason.length ? ['', 'Note:', ...reason] : []),
        '',
        `Follow it on the status page: ${m.statusUrl}`,
        m.ending === 'withdrawn'
          ? 'If you did not ask to withdraw this complaint, reply to this email (keep the complaint code in the subject) or call our hotline.'
          : 'If the two complaints are not the same, reply to this email (keep the complaint code in the subject) or call our hotline.',
        '',
        'Kind regards,',
        m.companyName,
      ];
  return renderMail(m.to, m.locale, subject, lines, m.statusUrl);
}
