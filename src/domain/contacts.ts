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
