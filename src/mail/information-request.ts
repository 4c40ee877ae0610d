import { formatVietnamDateTime } from '../domain/time';
import { renderMail, type MailMessage } from './message';

/** What a customer can be asked for, in the customer's words. */
export const INFO_ITEM_LABELS: Record<string, { vi: string; en: string }> = {
  invoice: { vi: 'Hoá đơn mua hàng', en: 'The purchase invoice' },
  photos: { vi: 'Hình ảnh sản phẩm', en: 'Photos of the product' },
  correspondence: { vi: 'Thư từ, tin nhắn trao đổi trước đây', en: 'Earlier correspondence (emails, messages)' },
  order_id: { vi: 'Mã đơn hàng', en: 'The order number' },
  other: { vi: 'Thông tin khác', en: 'Other information' },
};

export interface InformationRequestMail {
  to: string;
  customerName: string;
  code: string;
  subject: string;
  items: { kind: string; text?: string }[];
  message: string;
  dueAt: Date;
  statusUrl: string;
  companyName: string;
  locale: 'vi' | 'en';
  /** The reminder a few working days before the due date, rather than the request itself. */
  reminder?: boolean;
}

/** dd/MM/yyyy in Vietnam time. */
const day = (at: Date) => formatVietnamDateTime(at).slice(0, 10);

/** One line per item asked for: its label, and the agent's own words for "other". */
export function itemLines(items: InformationRequestMail['items'], locale: 'vi' | 'en'): string[] {
  return items.map((i) => {
    const label = INFO_ITEM_LABELS[i.kind]?.[locale] ?? i.kind;
    if (i.kind === 'other' && i.text) return `- ${i.text}`;
    return i.text ? `- ${label}: ${i.text}` : `- ${label}`;
  });
}

/**
 * Yêu cầu bổ sung thông tin — asks the customer for what the investigation needs, by a date; the
 * reminder repeats it shortly before. The code stays in the subject so that a reply threads back.
 */
export function informationRequestMail(m: InformationRequestMail): MailMessage {
  const due = day(m.dueAt);
  const subject =
    m.locale === 'vi'
      ? m.reminder
        ? `[${m.code}] Nhắc bổ sung thông tin trước ngày ${due}`
        : `[${m.code}] Đề nghị bổ sung thông tin cho khiếu nại: ${m.subject}`
      : m.reminder
        ? `[${m.code}] Reminder: information needed by ${due}`
        : `[${m.code}] Information needed for your complaint: ${m.subject}`;
  const message = m.message.trim() ? m.message.trim().split(/\r?\n/) : [];
  const lines =
    m.locale === 'vi'
      ? [
          `Kính gửi ${m.customerName},`,
          '',
          m.reminder
            ? `${m.companyName} xin nhắc: để tiếp tục giải quyết khiếu nại ${m.code}, chúng tôi vẫn đang chờ Quý khách bổ sung:`
            : `Để giải quyết khiếu nại ${m.code} ("${m.subject}"), ${m.companyName} đề nghị Quý khách bổ sung:`,
          ...itemLines(m.items, 'vi'),
          ...(message.length ? ['', ...message] : []),
          '',
          `Xin vui lòng gửi trước ngày ${due}.`,
          'Quý khách có thể trả lời thư này (đính kèm tệp nếu có; xin giữ nguyên mã khiếu nại trong tiêu đề),',
          `hoặc tải tệp lên tại trang tra cứu: ${m.statusUrl} (liên kết mở thẳng khiếu nại của Quý khách; khi liên kết đã hết hạn, xin nhập mã khiếu nại và số điện thoại hoặc email).`,
          'Trong thời gian chờ Quý khách bổ sung, thời hạn giải quyết khiếu nại được tạm dừng.',
          '',
          'Trân trọng,',
          m.companyName,
        ]
      : [
          `Dear ${m.customerName},`,
          '',
          m.reminder
            ? `A reminder from ${m.companyName}: to go on with complaint ${m.code}, we are still waiting for:`
            : `To resolve complaint ${m.code} ("${m.subject}"), ${m.companyName} needs from you:`,
          ...itemLines(m.items, 'en'),
          ...(message.length ? ['', ...message] : []),
          '',
          `Please send it by ${due}.`,
          'You can reply to this email (attach files if any; please keep the complaint code in the subject),',
          `or upload files on the status page: ${m.statusUrl} (the link opens your complaint directly; once it has expired, enter the complaint code and your phone number or email).`,
          'While we wait for your answer, the resolution deadline is paused.',
          '',
          'Kind regards,',
          m.companyName,
        ];
  return renderMail(m.to, m.locale, subject, lines, m.statusUrl);
}
