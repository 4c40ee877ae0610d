import { renderMail } from './message';
import type { MailMessage } from './message';

export interface ComplaintRejectedMail {
  to: string;
  customerName: string;
  code: string;
  subject: string;
  reason: string;
  statusUrl: string;
  companyName: string;
  locale: 'vi' | 'en';
}

/** Thư thông báo không thụ lý — the complaint is not admissible, and why (the reason is the customer's to know). */
export function complaintRejectedMail(m: ComplaintRejectedMail): MailMessage {
  const reason = m.reason.split(/\r?\n/);
  const subject =
    m.locale === 'vi'
      ? `[${m.code}] Thông báo không thụ lý khiếu nại: ${m.subject}`
      : `[${m.code}] Your complaint cannot be accepted: ${m.subject}`;
  const lines =
    m.locale === 'vi'
      ? [
          `Kính gửi ${m.customerName},`,
          '',
          `${m.companyName} đã xem xét khiếu nại ${m.code} (“${m.subject}”) và rất tiếc không thể thụ lý khiếu nại này vì lý do sau:`,
          '',
          ...reason,
          '',
          `Quý khách có thể xem lại tại trang tra cứu: ${m.statusUrl}`,
          'Nếu Quý khách có thêm thông tin hoặc chưa đồng ý, xin trả lời thư này (giữ nguyên mã khiếu nại trong tiêu đề) hoặc gọi đường dây nóng.',
          'Quý khách cũng có quyền đề nghị cơ quan quản lý nhà nước về bảo vệ quyền lợi người tiêu dùng (Sở Công Thương) hỗ trợ theo quy định của pháp luật.',
          '',
          'Trân trọng,',
          m.companyName,
        ]
      : [
          `Dear ${m.customerName},`,
          '',
          `${m.companyName} has reviewed complaint ${m.code} (“${m.subject}”) and regrets that it cannot be accepted, for this reason:`,
          '',
          ...reason,
          '',
          `You can see it on the status page: ${m.statusUrl}`,
          'If you have more information or disagree, reply to this email (keep the complaint code in the subject) or call our hotline.',
          'You may also ask the provincial Department of Industry and Trade for support under consumer protection law.',
          '',
          'Kind regards,',
          m.companyName,
        ];
  return renderMail(m.to, m.locale, subject, lines, m.statusUrl);
}
