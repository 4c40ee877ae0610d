import { formatVietnamDateTime } from '../domain/time';
import { renderStaffMail, type MailMessage } from './message';

export interface ReminderDueMail {
  to: string;
  staffName: string;
  code: string;
  subject: string;
  at: Date;
  /** Hẹn gọi lại: the call back they promised the customer. */
  callBack?: boolean;
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
  if (m.callBack) {
    const subject = vi ? `[${m.code}] Hẹn gọi lại khách hàng: đã đến giờ` : `[${m.code}] Call back: the time you promised the customer has come`;
    const sentence = vi
      ? `Bạn đã hẹn gọi lại cho khách hàng lúc ${at} về khiếu nại ${m.code} ("${m.subject}"). Khi đã gọi, hãy ghi nhận liên hệ trên khiếu nại.`
      : `You promised to call the customer back at ${at} about complaint ${m.code} ("${m.subject}"). Once you have called, log the contact on the complaint.`;
    return renderStaffMail(m, subject, sentence);
  }
  const subject = vi ? `[${m.code}] Nhắc hẹn: đã đến giờ bạn hẹn` : `[${m.code}] Reminder: the time you set has come`;
  const sentence = vi
    ? `Bạn đã hẹn Sen nhắc lúc ${at} về khiếu nại ${m.code} ("${m.subject}"). Ghi chú của bạn có trong Sen, mục Nhắc hẹn.`
    : `You asked Sen to remind you at ${at} of complaint ${m.code} ("${m.subject}"). Your note is in Sen, under My reminders.`;
  return renderStaffMail(m, subject, sentence);
}
