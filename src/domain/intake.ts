import { normalizeEmail, normalizePhone } from './contacts';
import { AppError, type FieldError } from './errors';
import { normalizeProvince, type Province } from './provinces';
import { referenceWithoutCardNumbers, withoutCardNumbers } from './payment-cards';

/** What a customer or an agent typed about the complainant, before normalising. */
export interface RawIntake {
  /** province: where the customer lives (tỉnh/thành phố), to know the competent Sở Công Thương. */
  customer: { name: string; phone?: string; email?: string; province?: string };
  subject: string;
  description: string;
  orderRef?: string;
  /** Sản phẩm — what the complaint is about (reports count by it). */
  product?: string;
  consent?: boolean;
}

/** A complaint's intake data after normalising: trimmed text, E.164 phone, lower-case email. */
export interface NormalizedIntake {
  customer: { name: string; phoneE164: string | null; email: string | null; province: Province | null };
  subject: string;
  description: string;
  orderRef: string | null;
  product: string | null;
  consent: boolean;
}

/** The version of the consent wording shown on the forms; stored with each consent. */
export const CONSENT_VERSION = 'vi-2026-01';

/**
 * Checks and normalises an intake. Customers must consent; agents record consent when the caller gives it.
 * Throws a validation error listing every field problem at once.
 */
export function normalizeIntake(raw: RawIntake, opts: { requireConsent: boolean }): NormalizedIntake {
  const fields: FieldError[] = [];
  const name = raw.customer.name.trim();
  // Card numbers typed into the text are masked before anything is kept (domain/payment-cards.ts).
  const subject = withoutCardNumbers(raw.subject.trim());
  const description = withoutCardNumbers(raw.description.trim());
  const phoneRaw = raw.customer.phone?.trim() ?? '';
  const emailRaw = raw.customer.email?.trim() ?? '';
  if (!name) fields.push({ field: 'customer.name', code: 'required' });
  if (!subject) fields.push({ field: 'subject', code: 'required' });
  if (!description) fields.push({ field: 'description', code: 'required' });
  const phoneE164 = phoneRaw ? normalizePhone(phoneRaw) : null;
  if (phoneRaw && !phoneE164) fields.push({ field: 'customer.phone', code: 'phone_invalid' });
  const email = emailRaw ? normalizeEmail(emailRaw) : null;
  if (emailRaw && !email) fields.push({ field: 'customer.email', code: 'email_invalid' });
  if (!phoneRaw && !emailRaw) fields.push({ field: 'customer.phone', code: 'contact_required' });
  const provinceRaw = raw.customer.province?.trim() ?? '';
  const province = provinceRaw ? normalizeProvince(provinceRaw) : null;
  if (provinceRaw && !province) fields.push({ field: 'customer.province', code: 'province_unknown' });
  if (opts.requireConsent && raw.consent !== true) fields.push({ field: 'consent', code: 'consent_required' });
  if (fields.length) throw new AppError('validation_failed', { fields });
  return {
    customer: { name, phoneE164, email, province },
    subject,
    description,
    orderRef: referenceWithoutCardNumbers(raw.orderRef?.trim() ?? '') || null,
    product: withoutCardNumbers(raw.product?.trim() ?? '').slice(0, 200) || null,
    consent: raw.consent === true,
  };
}
