import { formatVietnamDateTime } from '../domain/time';
import { renderStaffMail, type MailMessage } from './message';

export interface ReminderDueMail {
  to: string;
  staffName: string;
  code: string;
  subject: string;
  at: Date;
  link: string;
  locale: 'vi' | 'en';
}

/**
 * Nhắc tôi — the reminder a staff member set on a complaint has come due. Which complaint, when, and the link;
 * their note (which may hold the customer's data) is shown in Sen, not in the mail.
 */
export function reminderDueMail(m: ReminderDueMail): MailMessage {
  const vi = m.locale === 'vi';
  const at = formatVietnamDateTime(m.at);
  const subject = vi ? `[${m.code}] Nhắc hẹn: đã đến giờ bạn hẹn` : `[${m.code}] Reminder: the time you set has come`;
  const sentence = vi
    ? `Bạn đã hẹn Sen nhắc lúc ${at} về khiếu nại ${m.code} ("${m.subject}"). Ghi chú của bạn có trong Sen, mục Nhắc hẹn.`
    : `You asked Sen to remind you at ${at} of complaint ${m.code} ("${m.subject}"). Your note is in Sen, under My reminders.`;
  return renderStaffMail(m, subject, sentence);
}
