import { formatVietnamDateTime } from '../domain/time';
import type { ProposalKind } from '../db/queries/resolution';
import { formatVnd, PROPOSAL_KIND_LABELS } from '../presenters/resolution';
import { renderMail, type MailMessage } from './message';

export interface ProposalOfferedMail {
  to: string;
  customerName: string;
  code: string;
  proposal: { kind: ProposalKind; description: string; amountVnd: number | null };
  offeredAt: Date;
  statusUrl: string;
  companyName: string;
  locale: 'vi' | 'en';
}

/** Thư đề xuất phương án giải quyết — the proposal, and how to accept or reject it on the status page. */
export function proposalOfferedMail(m: ProposalOfferedMail): MailMessage {
  const kind = PROPOSAL_KIND_LABELS[m.proposal.kind][m.locale];
  const amount = m.proposal.amountVnd == null ? null : formatVnd(m.proposal.amountVnd);
  const description = m.proposal.description.split(/\r?\n/);
  const subject =
    m.locale === 'vi'
      ? `[${m.code}] Phương án giải quyết khiếu nại của Quý khách`
      : `[${m.code}] Our proposal to resolve your complaint`;
  const lines =
    m.locale === 'vi'
      ? [
          `Kính gửi ${m.customerName},`,
          '',
          `Sau khi xác minh khiếu nại ${m.code}, ${m.companyName} xin đề xuất phương án giải quyết sau (${formatVietnamDateTime(m.offeredAt)}):`,
          '',
          `Hình thức: ${kind}`,
          ...(amount ? [`Số tiền: ${amount}`] : []),
          'Nội dung:',
          ...description,
          '',
          `Quý khách vui lòng xem và chọn Đồng ý hoặc Không đồng ý tại trang tra cứu: ${m.statusUrl}`,
          '(nhập mã khiếu nại và số điện thoại hoặc email của Quý khách), hoặc trả lời thư này, hoặc gọi đường dây nóng.',
          'Nếu Quý khách không đồng ý, chúng tôi sẽ tiếp tục trao đổi để tìm phương án phù hợp.',
          '',
          'Trân trọng,',
          m.companyName,
        ]
      : [
          `Dear ${m.customerName},`,
          '',
          `Having looked into complaint ${m.code}, ${m.companyName} proposes the following resolution (${formatVietnamDateTime(m.offeredAt)}):`,
          '',
          `Kind: ${kind}`,
          ...(amount ? [`Amount: ${amount}`] : []),
          'Details:',
          ...description,
          '',
          `Please accept or reject it on the status page: ${m.statusUrl}`,
          '(enter the complaint code and your phone number or email), or reply to this email, or call our hotline.',
          'If you do not agree, we will keep talking with you to find a suitable solution.',
          '',
          'Kind regards,',
          m.companyName,
        ];
  return renderMail(m.to, m.locale, subject, lines, m.statusUrl);
}
