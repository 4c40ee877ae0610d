import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Normalises a phone number to E.164 (Vietnam by default); null when it is not a possible number. */
export function normalizePhone(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed) return null;
  // "84 912 345 678" is how Vietnamese customers often write the international form without "+".
  const candidate = /^84\d{9,10}$/.test(trimmed.replace(/[\s.\-()]/g, '')) ? `+${trimmed}` : trimmed;
  const parsed = parsePhoneNumberFromString(candidate, 'VN');
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

/** Kinds of number a person answers: a premium-rate, toll-free or shared-cost line (1900…, 1800…) is a company's, never a customer's. */
const PERSONAL_PHONE_TYPES = new Set(['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE']);

/**
 * A customer's phone in E.164: a possible number (as normalizePhone reads it) that is a mobile or a fixed
 * line; null otherwise. Finding records by phone keeps normalizePhone, so a number stored before still finds them.
 */
export function normalizeCustomerPhone(input: string): string | null {
  const e164 = normalizePhone(input);
  if (!e164) return null;
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type && PERSONAL_PHONE_TYPES.has(type) ? e164 : null;
}

/** The national form (0912345678) of an E.164 number, for display and search. */
export function nationalPhone(e164: string): string {
  // +84 is Vietnam's alone: its national form is the trunk 0 and the rest (no metadata lookup on intake's hot path).
  if (/^\+84\d{8,10}$/.test(e164)) return `0${e164.slice(3)}`;
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === 'VN' ? `0${parsed.nationalNumber}` : parsed.number;
}

const EMAIL_RE = /^[^\s\p{Cc}\p{Cs}@<>()[\]\\,;:"]+@[^\s\p{Cc}\p{Cs}@<>()[\]\\,;:"]+\.[^\s\p{Cc}\p{Cs}@<>()[\]\\,;:"]+$/u;

/** Lower-cases and trims an email address; null when it is not one. */
export function normalizeEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  if (email.length > 254 || !EMAIL_RE.test(email)) return null;
  return email;
}
