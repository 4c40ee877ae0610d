import { formatVietnamDateTime } from '../domain/time';
import type { MailMessage } from './message';
import { renderMail } from './message';

export interface ConsultationRequestMail {
  to: string;
  partyName: string;
  /** The complaint's code, as a reference for the party; nothing about the customer is sent. */
  code: string;
  question: string;
  dueAt: Date;
  /** The signed reply page; no account needed. */
  link: string;
  linkExpiresAt: Date;
  companyName: string;
  locale: 'vi' | 'en';
  /** A new link replacing an earlier one (the earlier stops working). */
  resent?: boolean;
  /** Names of the files shared with the party, downloadable from the reply page. */
  files?: string[];
}

/**
 * Đề nghị tham vấn — asks an outside party (carrier, supplier, bank) a question about a complaint,
 * with a signed link to answer and attach documents without an account; the files shared with them
 * are named here and downloaded from the same link (never attached: the link expires, a mail does not).
 */
export function consultationRequestMail(m: ConsultationRequestMail): MailMessage {
  const due = formatVietnamDateTime(m.dueAt).slice(0, 10);
  const until = formatVietnamDateTime(m.linkExpiresAt);
  const question = m.question.trim().split(/\r?\n/);
  const files = (m.files ?? []).map((name) => `- ${name}`);
  const subject =
    m.locale === 'vi'
      ? `${m.companyName} đề nghị phối hợp xác minh (tham chiếu ${m.code})`
      : `${m.companyName} asks for your help with a verification (reference ${m.code})`;
  const lines =
    m.locale === 'vi'
      ? [
          `Kính gửi ${m.partyName},`,
          '',
          `${m.companyName} đang giải quyết một khiếu nại của khách hàng (mã tham chiếu ${m.code}) và đề nghị Quý đơn vị cho biết:`,
          '',
          ...question,
          '',
          ...(files.length ? ['Tài liệu gửi kèm (tải về tại liên kết bên dưới):', ...files, ''] : []),
          `Xin vui lòng trả lời trước ngày ${due} tại: ${m.link}`,
          `(Không cần tài khoản; có thể đính kèm chứng từ. Liên kết có hiệu lực đến ${until}.)`,
          ...(m.resent ? ['Liên kết này thay cho liên kết đã gửi trước đó; liên kết cũ không còn hiệu lực.'] : []),
          '',
          'Trân trọng,',
          m.companyName,
        ]
      : [
          `Dear ${m.partyName},`,
          '',
          `${m.companyName} is handling a customer complaint (reference ${m.code}) and asks you:`,
          '',
          ...question,
          '',
          ...(files.length ? ['Documents shared with you (download them from the link below):', ...files, ''] : []),
          `Please answer by ${due} at: ${m.link}`,
          `(No account needed; you may attach documents. The link is valid until ${until}.)`,
          ...(m.resent ? ['This link replaces the one sent before; the earlier link no longer works.'] : []),
          '',
          'Kind regards,',
          m.companyName,
        ];
  return renderMail(m.to, m.locale, subject, lines, m.link);
}
