import { normalizeCustomerPhone, normalizeEmail } from './contacts';
import { LANGUAGES, VULNERABLE_GROUPS, type Language, type VulnerableGroup } from './vocabulary';
import { AppError, type FieldError } from './errors';
import { normalizeProvince, type Province } from './provinces';
import { referenceWithoutCardNumbers, withoutCardNumbers } from './payment-cards';
import { trimText } from './text';

/** What a customer or an agent typed about the complainant, before normalising. */
export interface RawIntake {
  /**
   * province: where the customer lives (tỉnh/thành phố), to know the competent Sở Công Thương.
   * A contact or province sent as null is one not given, as if left out.
   */
  customer: { name: string; phone?: string | null; email?: string | null; province?: string | null };
  subject: string;
  description: string;
  orderRef?: string;
  /** Sản phẩm — what the complaint is about (reports count by it). */
  product?: string;
  consent?: boolean;
  /** The consumer's vulnerable group (Art. 8), when they say so: the complaint is handled first. */
  vulnerableGroup?: VulnerableGroup | null;
  /** The language to write to the customer in; Vietnamese when not given. */
  language?: Language | null;
}

/** A complaint's intake data after normalising: trimmed text, E.164 phone, lower-case email. */
export interface NormalizedIntake {
  customer: { name: string; phoneE164: string | null; email: string | null; province: Province | null };
  subject: string;
  description: string;
  orderRef: string | null;
  product: string | null;
  consent: boolean;
  vulnerableGroup: VulnerableGroup | null;
  language: Language;
}

/** The version of the consent wording shown on the forms; stored with each consent. */
export const CONSENT_VERSION = 'vi-2026-01';

/**
 * Checks and normalises an intake. Customers must consent; agents record consent when the caller gives it.
 * Throws a validation error listing every field problem at once.
 */
export function normalizeIntake(raw: RawIntake, opts: { requireConsent: boolean }): NormalizedIntake {
  const fields: FieldError[] = [];
  // A text of spaces and invisible characters alone (a zero-width space pasted in) is one not given.
  const name = trimText(raw.customer.name);
  // Card numbers typed into the text are masked before anything is kept (domain/payment-cards.ts).
  const subject = withoutCardNumbers(trimText(raw.subject));
  const description = withoutCardNumbers(trimText(raw.description));
  const phoneRaw = trimText(raw.customer.phone ?? '');
  const emailRaw = trimText(raw.customer.email ?? '');
  if (!name) fields.push({ field: 'customer.name', code: 'required' });
  if (!subject) fields.push({ field: 'subject', code: 'required' });
  if (!description) fields.push({ field: 'description', code: 'required' });
  // A customer's phone is one they answer: not a premium-rate or toll-free line.
  const phoneE164 = phoneRaw ? normalizeCustomerPhone(phoneRaw) : null;
  if (phoneRaw && !phoneE164) fields.push({ field: 'customer.phone', code: 'phone_invalid' });
  const email = emailRaw ? normalizeEmail(emailRaw) : null;
  if (emailRaw && !email) fields.push({ field: 'customer.email', code: 'email_invalid' });
  if (!phoneRaw && !emailRaw) fields.push({ field: 'customer.phone', code: 'contact_required' });
  const provinceRaw = trimText(raw.customer.province ?? '');
  const province = provinceRaw ? normalizeProvince(provinceRaw) : null;
  if (provinceRaw && !province) fields.push({ field: 'customer.province', code: 'province_unknown' });
  if (opts.requireConsent && raw.consent !== true) fields.push({ field: 'consent', code: 'consent_required' });
  const vulnerableGroup = raw.vulnerableGroup ?? null;
  if (vulnerableGroup !== null && !(VULNERABLE_GROUPS as readonly string[]).includes(vulnerableGroup)) {
    fields.push({ field: 'vulnerableGroup', code: 'invalid_value' });
  }
  const language = raw.language ?? 'vi';
  if (!(LANGUAGES as readonly string[]).includes(language)) fields.push({ field: 'language', code: 'invalid_value' });
  if (fields.length) throw new AppError('validation_failed', { fields });
  return {
    customer: { name, phoneE164, email, province },
    subject,
    description,
    orderRef: referenceWithoutCardNumbers(trimText(raw.orderRef ?? '')) || null,
    product: withoutCardNumbers(trimText(raw.product ?? '')).slice(0, 200) || null,
    consent: raw.consent === true,
    vulnerableGroup,
    language,
  };
}
