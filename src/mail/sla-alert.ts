import type { ClockKind } from '../domain/clocks';
import { formatVietnamDateTime } from '../domain/time';
import { renderStaffMail, type MailMessage } from './message';

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
  const sentence =
    m.locale === 'vi'
      ? breached
        ? `Khiếu nại ${m.code} ("${m.subject}") đã quá hạn ${clock} (hạn ${due}).`
        : `Khiếu nại ${m.code} ("${m.subject}") đã dùng ${m.percent}% thời hạn ${clock}; hạn là ${due}.`
      : breached
        ? `Complaint ${m.code} ("${m.subject}") is past its ${clock} deadline (${due}).`
        : `Complaint ${m.code} ("${m.subject}") has used ${m.percent}% of its ${clock} time; it is due ${due}.`;
  return renderStaffMail(m, subject, sentence);
}
