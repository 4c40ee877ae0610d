import { formatVietnamDateTime } from '../domain/time';
import { escapeHtml, type MailMessage } from './message';

/** The one question of the satisfaction survey (CSAT 1–5), as the mail, the link page and the status page ask it. */
export const SURVEY_QUESTION = {
  vi: 'Quý khách hài lòng với cách chúng tôi giải quyết khiếu nại ở mức nào? (1 = rất không hài lòng, 5 = rất hài lòng)',
  en: 'How satisfied are you with how we resolved your complaint? (1 = very dissatisfied, 5 = very satisfied)',
} as const;

export interface SurveyMail {
  to: string;
  customerName: string;
  code: string;
  subject: string;
  surveyUrl: string;
  expiresAt: Date;
  statusUrl: string;
  reopenUntil: Date | null;
  companyName: string;
  locale: 'vi' | 'en';
}

/** Thư khảo sát hài lòng — after a resolution: rate it 1–5 by the link, or reply to reopen the complaint. */
export function surveyMail(m: SurveyMail): MailMessage {
  const d = formatVietnamDateTime;
  const subject =
    m.locale === 'vi'
      ? `[${m.code}] Mời Quý khách đánh giá việc giải quyết khiếu nại`
      : `[${m.code}] How did we do with your complaint?`;
  const lines =
    m.locale === 'vi'
      ? [
          `Kính gửi ${m.customerName},`,
          '',
          `Khiếu nại ${m.code} (“${m.subject}”) của Quý khách đã được giải quyết.`,
          SURVEY_QUESTION.vi,
          `Đánh giá tại: ${m.surveyUrl}`,
          `(Liên kết có hiệu lực đến ${d(m.expiresAt)}.)`,
          '',
          ...(m.reopenUntil
            ? [`Nếu vấn đề chưa được giải quyết, Quý khách có thể trả lời thư này hoặc mở lại khiếu nại trên trang tra cứu trước ${d(m.reopenUntil)}.`]
            : []),
          `Tra cứu khiếu nại: ${m.statusUrl}`,
          '',
          'Trân trọng,',
          m.companyName,
        ]
      : [
          `Dear ${m.customerName},`,
          '',
          `Your complaint ${m.code} (“${m.subject}”) has been resolved.`,
          SURVEY_QUESTION.en,
          `Rate us here: ${m.surveyUrl}`,
          `(The link is valid until ${d(m.expiresAt)}.)`,
          '',
          ...(m.reopenUntil
            ? [`If the problem is not solved, reply to this email or reopen the complaint on the status page before ${d(m.reopenUntil)}.`]
            : []),
          `Complaint status: ${m.statusUrl}`,
          '',
          'Kind regards,',
          m.companyName,
        ];
  const text = lines.join('\n');
  const links = [m.surveyUrl, m.statusUrl].map(escapeHtml);
  const html = `<!doctype html><html lang="${m.locale}"><body style="font-family:sans-serif;line-height:1.5">${lines
    .map((l) => {
      if (!l) return '<br>';
      let out = escapeHtml(l);
      for (const url of links) out = out.replace(url, `<a href="${url}">${url}</a>`);
      return `<p style="margin:0 0 4px">${out}</p>`;
    })
    .join('')}</body></html>`;
  return { to: m.to, subject, text, html, locale: m.locale };
}
