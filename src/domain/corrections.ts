/**
 * Sửa thông tin — staff correcting what was taken down wrong (a misspelt name at the hotline, a mistyped order
 * number) or what the customer asks to have corrected (Decree 13/2023 Art. 9(5), the right to correction). The
 * same rules as intake (domain/intake.ts): trimmed text, E.164 phone, lower-case email, card numbers masked.
 */
import { normalizeCustomerPhone, normalizeEmail } from './contacts';
import { assertNoFieldErrors, type FieldError } from './errors';
import { referenceWithoutCardNumbers, withoutCardNumbers } from './payment-cards';
import { trimText } from './text';

/**
 * What changed, field by field: `{ name: { old, new } }`. Under `old`/`new`, never `from`/`to`: an erasure keeps a
 * lower-case word under `from`/`to` (a status), and a misspelt name or a one-word subject can be one
 * (domain/personal-data.ts redactPayload).
 */
export type Changes = Record<string, { old: string | null; new: string | null }>;

export const CUSTOMER_FIELDS = ['name', 'phone', 'email'] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

/** A customer's record as a correction changes it. */
export interface CustomerContacts {
  name: string;
  phoneE164: string | null;
  email: string | null;
}

/**
 * The customer's record after the correction (a field left out stays; a phone or email sent empty or null is
 * removed), or every field problem at once: a required name, a phone that is not a mobile or fixed line, an
 * address that is not one, no field at all, or no contact left.
 */
export function correctCustomer(
  current: CustomerContacts,
  raw: { name?: string; phone?: string | null; email?: string | null },
): { next: CustomerContacts; changes: Changes } {
  const fields: FieldError[] = [];
  if (raw.name === undefined && raw.phone === undefined && raw.email === undefined) {
    fields.push({ field: 'name', code: 'required' });
  }
  const next = { ...current };
  if (raw.name !== undefined) {
    const name = trimText(raw.name);
    if (!name) fields.push({ field: 'name', code: 'required' });
    next.name = name;
  }
  if (raw.phone !== undefined) {
    const phone = trimText(raw.phone ?? '');
    next.phoneE164 = phone ? normalizeCustomerPhone(phone) : null;
    if (phone && !next.phoneE164) fields.push({ field: 'phone', code: 'phone_invalid' });
  }
  if (raw.email !== undefined) {
    const email = trimText(raw.email ?? '');
    next.email = email ? normalizeEmail(email) : null;
    if (email && !next.email) fields.push({ field: 'email', code: 'email_invalid' });
  }
  // A customer Sen cannot reach cannot be answered: one contact at least stays.
  if (!fields.length && !next.phoneE164 && !next.email) {
    fields.push({ field: raw.phone !== undefined ? 'phone' : 'email', code: 'contact_required' });
  }
  assertNoFieldErrors(fields);
  const changes: Changes = {};
  if (next.name !== current.name) changes.name = { old: current.name, new: next.name };
  if (next.phoneE164 !== current.phoneE164) changes.phone = { old: current.phoneE164, new: next.phoneE164 };
  if (next.email !== current.email) changes.email = { old: current.email, new: next.email };
  return { next, changes };
}

/** A complaint's own text as a correction may change it. */
export interface ComplaintText {
  subject: string;
  description: string;
  orderRef: string | null;
}

/**
 * The complaint's text after the correction (a field left out stays; an order number sent empty or null is
 * removed), or every field problem at once (a subject or description of blanks alone is `required`).
 */
export function correctComplaintText(
  current: ComplaintText,
  raw: { subject?: string; description?: string; orderRef?: string | null },
): { next: ComplaintText; changes: Changes } {
  const fields: FieldError[] = [];
  const next = { ...current };
  if (raw.subject !== undefined) {
    next.subject = withoutCardNumbers(trimText(raw.subject));
    if (!next.subject) fields.push({ field: 'subject', code: 'required' });
  }
  if (raw.description !== undefined) {
    next.description = withoutCardNumbers(trimText(raw.description));
    if (!next.description) fields.push({ field: 'description', code: 'required' });
  }
  if (raw.orderRef !== undefined) next.orderRef = referenceWithoutCardNumbers(trimText(raw.orderRef ?? '')) || null;
  assertNoFieldErrors(fields);
  const changes: Changes = {};
  if (next.subject !== current.subject) changes.subject = { old: current.subject, new: next.subject };
  if (next.description !== current.description) changes.description = { old: current.description, new: next.description };
  if (next.orderRef !== current.orderRef) changes.orderRef = { old: current.orderRef, new: next.orderRef };
  return { next, changes };
}
