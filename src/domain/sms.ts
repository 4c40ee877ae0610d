import { formatVietnamDateTime } from './time';
import type { Language } from './vocabulary';

/**
 * Tin nhắn SMS — what Sen texts a customer who gave a phone and no email: the receipt of their complaint, so that every
 * customer has the code and the promised date in writing, not only those with a mailbox.
 *
 * Vietnamese brand-name SMS is sent without diacritics: a text in the GSM 7-bit alphabet takes 160 characters per
 * message (153 per part of a longer one), one with "ệ" or "ư" goes in UCS-2 at 70 (67), and costs two to three times as
 * much. So every text is folded to plain Latin letters here, and kept to two parts.
 */

/** GSM 03.38's basic characters (those a 7-bit text may hold without escape), as a test. */
const GSM_BASIC = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]$/;

/** Longest text Sen sends: two parts of a 7-bit message. */
export const SMS_MAX_LENGTH = 2 * 153;

/**
 * A text as an SMS carries it cheaply: Vietnamese letters without their marks ("Đã tiếp nhận" → "Da tiep nhan"), curly
 * quotes and dashes made plain, anything else outside GSM's basic alphabet dropped, spaces collapsed.
 */
export function smsText(text: string): string {
  const plain = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/[\t ]+/g, ' ');
  return [...plain].filter((ch) => GSM_BASIC.test(ch)).join('').trim();
}

/** How many messages a (folded) text takes: 160 characters in one, 153 per part beyond. */
export function smsParts(text: string): number {
  return text.length <= 160 ? 1 : Math.ceil(text.length / 153);
}

export interface ReceiptSms {
  code: string;
  companyName: string;
  receivedAt: Date;
  acknowledgementDueAt: Date;
  /** The status page's address (the customer types their phone there). */
  lookupUrl: string;
  language: Language;
}

/** Tin nhắn xác nhận tiếp nhận: the code, when it came in, when Sen will contact them, where to follow it. */
export function receiptSms(m: ReceiptSms): string {
  const d = formatVietnamDateTime;
  const text =
    m.language === 'en'
      ? `${m.companyName}: we received your complaint ${m.code} at ${d(m.receivedAt)}. We will contact you by ${d(m.acknowledgementDueAt)}. Follow it: ${m.lookupUrl}`
      : `${m.companyName}: Da tiep nhan khieu nai ${m.code} luc ${d(m.receivedAt)}. Chung toi se lien he Quy khach truoc ${d(m.acknowledgementDueAt)}. Tra cuu: ${m.lookupUrl}`;
  const folded = smsText(text);
  // A long company name must not cut the code or the address: it is shortened first.
  if (folded.length <= SMS_MAX_LENGTH) return folded;
  const over = folded.length - SMS_MAX_LENGTH;
  const company = smsText(m.companyName);
  return `${company.slice(0, Math.max(1, company.length - over)).trimEnd()}${folded.slice(company.length)}`.slice(0, SMS_MAX_LENGTH);
}

/** What a gateway's answer means for the message: sent, never to be sent (the gateway refused it), or to be tried again. */
export function smsOutcome(status: number): 'sent' | 'refused' | 'retry' {
  if (status >= 200 && status < 300) return 'sent';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'refused';
}
