import { renderMail, type MailMessage } from './message';

export interface StaffReplyMail {
  to: string;
  customerName: string;
  code: string;
  subject: string;
  /** The agent's own words, as typed (plain text; escaped in the HTML twin). */
  body: string;
  staffName: string | null;
  /** The names of the complaint's files attached to the mail, listed under the agent's words. */
  files?: readonly string[];
  statusUrl: string;
  companyName: string;
  locale: 'vi' | 'en';
}

/**
 * Trả lời khách hàng — an agent's own message to the customer about their complaint, in the agent's words,
 * with the code in the subject (a reply threads back) and the link to the status page.
 */
export function staffReplyMail(m: StaffReplyMail): MailMessage {
  const subject = m.locale === 'vi' ? `[${m.code}] Phản hồi về khiếu nại: ${m.subject}` : `[${m.code}] About your complaint: ${m.subject}`;
  const body = m.body.trim().split(/\r?\n/);
  const signature = [m.staffName, m.companyName].filter((s): s is string => Boolean(s));
  const files = m.files?.length
    ? ['', m.locale === 'vi' ? 'Tài liệu đính kèm thư này:' : 'Attached to this email:', ...m.files.map((f) => `- ${f}`)]
    : [];
  const lines =
    m.locale === 'vi'
      ? [
          `Kính gửi ${m.customerName},`,
          '',
          ...body,
          ...files,
          '',
          'Quý khách có thể trả lời thư này (xin giữ nguyên mã khiếu nại trong tiêu đề) hoặc xem tiến trình giải quyết tại:',
          m.statusUrl,
          '',
          'Trân trọng,',
          ...signature,
        ]
      : [
          `Dear ${m.customerName},`,
          '',
          ...body,
          ...files,
          '',
          'You can reply to this email (please keep the complaint code in the subject) or follow your complaint at:',
          m.statusUrl,
          '',
          'Kind regards,',
          ...signature,
        ];
  return renderMail(m.to, m.locale, subject, lines, m.statusUrl);
}
