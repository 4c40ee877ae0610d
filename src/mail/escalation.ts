import { formatVietnamDateTime } from '../domain/time';
import { renderMail, type MailMessage } from './message';

export interface EscalationMail {
  to: string;
  customerName: string;
  code: string;
  subject: string;
  authorityName: string;
  /** escalated: the dossier went to the authority; handed_over: it took the case (its reference); outcome: it decided. */
  step: 'escalated' | 'handed_over' | 'outcome';
  handedOverAt?: Date;
  referenceNo?: string | null;
  outcome?: string;
  outcomeAt?: Date;
  statusUrl: string;
  companyName: string;
  locale: 'vi' | 'en';
}

const day = (at: Date) => formatVietnamDateTime(at).slice(0, 10);

/**
 * Chuyển cơ quan có thẩm quyền — tells the customer their complaint went, with its whole dossier, to a competent
 * authority, then that the authority took the case (its reference number) and what it decided. The company's reason
 * for escalating stays internal; the code stays in the subject, so a reply threads back.
 */
export function escalationMail(m: EscalationMail): MailMessage {
  const vi = m.locale === 'vi';
  const subject = vi
    ? {
        escalated: `[${m.code}] Khiếu nại đã được chuyển đến ${m.authorityName}`,
        handed_over: `[${m.code}] ${m.authorityName} đã tiếp nhận hồ sơ khiếu nại`,
        outcome: `[${m.code}] Kết quả giải quyết của ${m.authorityName}`,
      }[m.step]
    : {
        escalated: `[${m.code}] Your complaint was referred to ${m.authorityName}`,
        handed_over: `[${m.code}] ${m.authorityName} has received the complaint file`,
        outcome: `[${m.code}] Decision of ${m.authorityName}`,
      }[m.step];
  const body = vi
    ? {
        escalated: [
          `Khiếu nại ${m.code} ("${m.subject}") chưa giải quyết được bằng thương lượng. ${m.companyName} đã chuyển khiếu nại cùng toàn bộ hồ sơ, chứng cứ đến ${m.authorityName} để xem xét theo thẩm quyền.`,
          'Chúng tôi sẽ báo Quý khách khi cơ quan tiếp nhận hồ sơ và khi có kết quả. Quý khách vẫn có thể gửi thêm thông tin, tài liệu qua trang tra cứu hoặc trả lời thư này.',
        ],
        handed_over: [
          `${m.companyName} đã bàn giao hồ sơ khiếu nại ${m.code} cho ${m.authorityName}${m.handedOverAt ? ` ngày ${day(m.handedOverAt)}` : ''}.`,
          ...(m.referenceNo ? [`Số thụ lý / số văn bản của cơ quan: ${m.referenceNo}.`] : []),
        ],
        outcome: [
          `${m.authorityName} đã có kết quả giải quyết khiếu nại ${m.code}${m.outcomeAt ? ` ngày ${day(m.outcomeAt)}` : ''}:`,
          ...(m.outcome ?? '').split(/\r?\n/),
        ],
      }[m.step]
    : {
        escalated: [
          `Complaint ${m.code} ("${m.subject}") could not be settled by negotiation. ${m.companyName} has referred it, with its whole file and evidence, to ${m.authorityName}.`,
          'We will tell you when the authority takes the case and when it decides. You can still send more information or documents on the status page or by replying to this email.',
        ],
        handed_over: [
          `${m.companyName} handed the file of complaint ${m.code} to ${m.authorityName}${m.handedOverAt ? ` on ${day(m.handedOverAt)}` : ''}.`,
          ...(m.referenceNo ? [`The authority's reference: ${m.referenceNo}.`] : []),
        ],
        outcome: [`${m.authorityName} decided on complaint ${m.code}${m.outcomeAt ? ` on ${day(m.outcomeAt)}` : ''}:`, ...(m.outcome ?? '').split(/\r?\n/)],
      }[m.step];
  const lines = [
    vi ? `Kính gửi ${m.customerName},` : `Dear ${m.customerName},`,
    '',
    ...body,
    '',
    vi ? `Tra cứu tình trạng: ${m.statusUrl}` : `Check its status: ${m.statusUrl}`,
    '',
    vi ? 'Trân trọng,' : 'Kind regards,',
    m.companyName,
  ];
  return renderMail(m.to, m.locale, subject, lines, m.statusUrl);
}
