import { renderStaffMail, type MailMessage } from './message';

export interface NoteMentionMail {
  to: string;
  staffName: string;
  byName: string;
  code: string;
  subject: string;
  link: string;
  locale: 'vi' | 'en';
}

/**
 * Nhắc tên trong ghi chú — tells a colleague that someone named them in an internal note. Only who, which
 * complaint and the link: the note itself (which may hold the customer's data) stays in Sen.
 */
export function noteMentionMail(m: NoteMentionMail): MailMessage {
  const vi = m.locale === 'vi';
  const subject = vi ? `[${m.code}] ${m.byName} nhắc bạn trong một ghi chú nội bộ` : `[${m.code}] ${m.byName} mentioned you in an internal note`;
  const sentence = vi
    ? `${m.byName} đã nhắc bạn trong một ghi chú nội bộ của khiếu nại ${m.code} ("${m.subject}").`
    : `${m.byName} mentioned you in an internal note on complaint ${m.code} ("${m.subject}").`;
  return renderStaffMail(m, subject, sentence);
}
