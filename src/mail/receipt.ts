import { formatVietnamDateTime } from '../domain/time';
import { fillTemplate, type MailTemplate } from '../domain/mail-templates';
import { renderMail, type MailMessage } from './message';

export interface ReceiptMail {
  to: string;
  customerName: string;
  code: string;
  subject: string;
  receivedAt: Date;
  acknowledgementDueAt: Date;
  resolutionDueAt: Date;
  /** The promises as the SLA policy in force words them (domain/sla.ts): 48 working hours and 20 working days by default. */
  acknowledgementWorkingHours: number;
  resolutionWorkingDays: number;
  statusUrl: string;
  companyName: string;
  locale: 'vi' | 'en';
  /** The admin's own wording, if they edited it; otherwise Sen's default below. */
  template?: MailTemplate;
}

/** Thư xác nhận tiếp nhận — sent at once to a customer who gave an email: the code, what happens next, the promised dates. */
export function receiptMail(m: ReceiptMail): MailMessage {
  const d = formatVietnamDateTime;
  if (m.template) {
    const values = {
      customerName: m.customerName,
      code: m.code,
      subject: m.subject,
      receivedAt: d(m.receivedAt),
      acknowledgementDueAt: d(m.acknowledgementDueAt),
      resolutionDueAt: d(m.resolutionDueAt),
      acknowledgementWorkingHours: String(m.acknowledgementWorkingHours),
      resolutionWorkingDays: String(m.resolutionWorkingDays),
      statusUrl: m.statusUrl,
      companyName: m.companyName,
    };
    return renderMail(m.to, m.locale, fillTemplate(m.template.subject, values), fillTemplate(m.template.text, values).split('\n'), m.statusUrl);
  }
  const subject =
    m.locale === 'vi'
      ? `[${m.code}] Xác nhận tiếp nhận khiếu nại: ${m.subject}`
      : `[${m.code}] We have received your complaint: ${m.subject}`;
  const lines =
    m.locale === 'vi'
      ? [
          `Kính gửi ${m.customerName},`,
          '',
          `${m.companyName} đã tiếp nhận khiếu nại của Quý khách lúc ${d(m.receivedAt)}.`,
          `Mã khiếu nại: ${m.code}`,
          `Nội dung: ${m.subject}`,
          '',
          'Các bước tiếp theo:',
          `- Nhân viên chăm sóc khách hàng sẽ liên hệ với Quý khách chậm nhất ${d(m.acknowledgementDueAt)} (trong ${m.acknowledgementWorkingHours} giờ làm việc).`,
          '- Chúng tôi có thể đề nghị Quý khách bổ sung thông tin hoặc chứng từ (hoá đơn, hình ảnh sản phẩm…).',
          `- Khiếu nại sẽ được giải quyết chậm nhất ${d(m.resolutionDueAt)} (trong ${m.resolutionWorkingDays} ngày làm việc).`,
          '',
          `Tra cứu tình trạng: ${m.statusUrl} (liên kết mở thẳng khiếu nại của Quý khách; khi liên kết đã hết hạn, xin nhập mã khiếu nại và số điện thoại hoặc email).`,
          'Quý khách có thể trả lời thư này để bổ sung thông tin; xin giữ nguyên mã khiếu nại trong tiêu đề.',
          '',
          'Trân trọng,',
          m.companyName,
        ]
      : [
          `Dear ${m.customerName},`,
          '',
          `${m.companyName} received your complaint on ${d(m.receivedAt)}.`,
          `Complaint code: ${m.code}`,
          `Subject: ${m.subject}`,
          '',
          'What happens next:',
          `- A customer-care agent will contact you by ${d(m.acknowledgementDueAt)} (within ${m.acknowledgementWorkingHours} working hours).`,
          '- We may ask you for more information or documents (invoice, photos of the product…).',
          `- Your complaint will be resolved by ${d(m.resolutionDueAt)} (within ${m.resolutionWorkingDays} working days).`,
          '',
          `Check its status: ${m.statusUrl} (the link opens your complaint directly; once it has expired, enter the complaint code and your phone number or email).`,
          'You can reply to this email to add information; please keep the complaint code in the subject.',
          '',
          'Kind regards,',
          m.companyName,
        ];
  return renderMail(m.to, m.locale, subject, lines, m.statusUrl);
}
