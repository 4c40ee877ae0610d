// Dates and times as Vietnamese people type them: 25/12/2026 and 14:30 (or 14h30), whatever language
// the browser is set to. A native <input type="date"> shows mm/dd/yyyy in an English browser and
// 12-hour time with AM/PM; Sen's date fields are text in dd/MM/yyyy with a calendar button instead.
// Values stay the ISO strings the forms already hold: YYYY-MM-DD, YYYY-MM-DDTHH:mm[:ss].

const pad = (n: number) => String(n).padStart(2, '0');

function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  // 31/02 is refused, not rolled over into March.
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * A typed date as YYYY-MM-DD: "25/12/2026", "5/1/2026", "25-12-2026", "25.12.2026", "25122026", or
 * an ISO date pasted in. '' for nothing typed; null for what is not a date.
 */
export function parseDateText(text: string): string | null {
  const s = text.trim();
  if (!s) return '';
  let m = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(s);
  if (m) return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  // Digits only, ddMMyyyy: a phone's number pad may have no "/".
  m = /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  if (m) return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
  return null;
}

/** Whether a value is a date as the forms hold it, YYYY-MM-DD (its day not checked). */
export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/** YYYY-MM-DD as dd/MM/yyyy; '' for '' (and for anything that is not an ISO date). */
export function formatDateText(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/**
 * A typed time of day, 24-hour, as HH:mm (HH:mm:ss with seconds): "14:30", "9:05", "14h30", "14h",
 * "1430", "14:30:15". '' for nothing typed; null for what is not a time.
 */
export function parseTimeText(text: string, withSeconds = false): string | null {
  const s = text.trim().toLowerCase();
  if (!s) return '';
  // Digits only (a phone's number pad may have no ":"): 930 → 09:30, 1430 → 14:30, 143015 → 14:30:15.
  const digits = /^(\d{1,2})(\d{2})$|^(\d{2})(\d{2})(\d{2})$/.exec(s);
  const m = digits ? (digits[1] ? digits : [s, digits[3], digits[4], digits[5]]) : /^(\d{1,2})\s*(?:[:h.]\s*(\d{2})?(?:\s*[:m.]\s*(\d{2}))?)?$/.exec(s);
  if (!m) return null;
  // A bare hour needs its "h" ("9h"); "9" alone may be a time being typed.
  if (m[2] === undefined && !s.includes('h')) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  const sec = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 23 || min > 59 || sec > 59) return null;
  return withSeconds ? `${pad(h)}:${pad(min)}:${pad(sec)}` : `${pad(h)}:${pad(min)}`;
}

/** The time part of YYYY-MM-DDTHH:mm[:ss], as typed back into a time field. */
export function timeOfLocal(value: string, withSeconds = false): string {
  const m = /T(\d{2}:\d{2})(:\d{2})?/.exec(value);
  if (!m) return '';
  return withSeconds ? `${m[1]}${m[2] ?? ':00'}` : m[1];
}
