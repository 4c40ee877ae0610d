/** Complaint codes `KN-<year>-<6 digits>`: public, consecutive per year in Asia/Ho_Chi_Minh. */

const CODE_RE = /^KN-(\d{4})-(\d{6,})$/;
const VN_OFFSET_MS = 7 * 3600_000;

/** The calendar year of an instant in Vietnam (UTC+7, no daylight saving), whatever the process zone. */
export function vietnamYear(at: Date): number {
  return new Date(at.getTime() + VN_OFFSET_MS).getUTCFullYear();
}

export function formatComplaintCode(year: number, seq: number): string {
  return `KN-${year}-${String(seq).padStart(6, '0')}`;
}

/** Parses a code typed by a person (any case, surrounding spaces); null if it is not a code. */
export function parseComplaintCode(input: string): { year: number; seq: number; code: string } | null {
  const m = CODE_RE.exec(input.trim().toUpperCase());
  if (!m) return null;
  const year = Number(m[1]);
  const seq = Number(m[2]);
  return { year, seq, code: formatComplaintCode(year, seq) };
}

/**
 * The code as it is stored, for looking a complaint up: a code typed any way (" kn-2026-000123 ") in its
 * one written form; anything else trimmed and upper-cased, which no complaint has.
 */
export function normalizeComplaintCode(input: string): string {
  return parseComplaintCode(input)?.code ?? input.trim().toUpperCase();
}
