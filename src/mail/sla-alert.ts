import type { ClockKind } from '../domain/clocks';
import { formatVietnamDateTime } from '../domain/time';
import { escapeHtml, type MailMessage } from './message';

const CLOCK_NAMES: Record<ClockKind, { vi: string; en: string }> = {
  acknowledgement: { vi: 'phản hồi tiếp nhận', en: 'acknowledgement' },
  next_response: { vi: 'phản hồi tiếp theo', en: 'next response' },
  resolution: { vi: 'giải quyết', en: 'resolution' },
  negotiation: { vi: 'thương lượng (Điều 57 Luật BVQLNTD)', en: 'negotiation (consumer law Art. 57)' },
  manual: { vi: 'hạn đặt thủ công', en: 'manual due date' },
};

export interface SlaAlertMail {
  to: string;
  staffName: string;
  code: string;
  subject: string;
  clock: ClockKind;
  percent: number;
  dueAt: Date;
  link: string;
  locale: 'vi' | 'en';
}

/** Nhắc hạn / vi phạm hạn — tells an assignee or supervisor that a clock is running out or has run out. */
export function slaAlertMail(m: SlaAlertMail): MailMessage {
  const clock = CLOCK_NAMES[m.clock][m.locale];
  const due = formatVietnamDateTime(m.dueAt);
  const breached = m.percent >= 100;
  const subject =
    m.locale === 'vi'
      ? breached
        ? `[${m.code}] Quá hạn ${clock}`
        : `[${m.code}] Đã dùng ${m.percent}% thời hạn ${clock}`
      : breached
        ? `[${m.code}] ${clock} deadline breached`
        : `[${m.code}] ${m.percent}% of the ${clock} time used`;
  const lines =
    m.locale === 'vi'
      ? [
          `Chào ${m.staffName},`,
          '',
          breached
            ? `Khiếu nại ${m.code} ("${m.subject}") đã quá hạn ${clock} (hạn ${due}).`
            : `Khiếu nại ${m.code} ("${m.subject}") đã dùng ${m.percent}% thời hạn ${clock}; hạn là ${due}.`,
          '',
          `Mở khiếu nại: ${m.link}`,
          '',
          'Sen — hệ thống giải quyết khiếu nại',
        ]
      : [
          `Hello ${m.staffName},`,
          '',
          breached
            ? `Complaint ${m.code} ("${m.subject}") is past its ${clock} deadline (${due}).`
            : `Complaint ${m.code} ("${m.subject}") has used ${m.percent}% of its ${clock} time; it is due ${due}.`,
          '',
          `Open the complaint: ${m.link}`,
          '',
          'Sen — complaint handling',
        ];
  const text = lines.join('\n');
  const html = `<!doctype html><html lang="${m.locale}"><body style="font-family:sans-serif">${lines
    .map((l) => (l ? `<p>${escapeHtml(l).replace(escapeHtml(m.link), `<a href="${escapeHtml(m.link)}">${escapeHtml(m.link)}</a>`)}</p>` : ''))
    .join('')}</body></html>`;
  return { to: m.to, subject, text, html, locale: m.locale };
}
