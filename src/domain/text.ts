/**
 * Text as Sen keeps it: Unicode NFC (a name typed on a Mac, NFD, is the same name), and none of the
 * characters that no field of a complaint can mean — C0 controls other than tab and line breaks, DEL,
 * and lone UTF-16 surrogates (PostgreSQL refuses NUL; a lone surrogate would be stored as U+FFFD).
 */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string holds a character no text field takes. */
export function hasForbiddenCharacters(s: string): boolean {
  return FORBIDDEN.test(s);
}

const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'g');

/**
 * The text without those characters (or with each made `replacement`), NFC: for text Sen did not get
 * from a form (a mail, a mail server's reply), which it keeps rather than refuses.
 */
export function withoutForbiddenCharacters(s: string, replacement = ''): string {
  return s.replace(FORBIDDEN_ALL, replacement).normalize('NFC');
}

/**
 * Whitespace, and the invisible characters a copy-paste brings along: zero-width space, non-joiner and
 * joiner, word joiner, byte-order mark. Only at the ends: inside a text a joiner can belong to it (an emoji).
 */
const BLANK = /[\s\u200b\u200c\u200d\u2060\ufeff]/;

/** A typed text without the blank characters at its ends: empty when nothing visible was typed (so a field is `required`). */
export function trimText(s: string): string {
  // Scanned from each end (a regex anchored at the end would go quadratic over a long run of spaces).
  let start = 0;
  let end = s.length;
  while (start < end && BLANK.test(s[start])) start += 1;
  while (end > start && BLANK.test(s[end - 1])) end -= 1;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Keys whose strings are kept exactly as sent (a password is compared byte for byte with its hash). */
const VERBATIM_KEYS = new Set(['password', 'currentPassword', 'newPassword']);

/**
 * Checks every string of a parsed JSON value (or query/params object) and NFC-normalises it in place.
 * Returns the paths (`customer.name`, `items.0.note`) of strings holding forbidden characters; a key
 * with forbidden characters is reported by its parent's path. Stops at `maxDepth`.
 */
export function cleanTextTree(value: unknown, maxDepth = 32): string[] {
  const bad: string[] = [];
  // One path, pushed and popped as the walk goes (it runs on every request): joined only for a fault.
  const path: string[] = [];
  const fault = () => bad.push(path.join('.') || '(body)');
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (FORBIDDEN.test(v)) {
        fault();
        return v;
      }
      return VERBATIM_KEYS.has(path[path.length - 1] ?? '') ? v : v.normalize('NFC');
    }
    if (path.length >= maxDepth || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(String(i));
        v[i] = visit(v[i]);
        path.pop();
      }
      return v;
    }
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (FORBIDDEN.test(key)) {
        fault();
        continue;
      }
      path.push(key);
      o[key] = visit(o[key]);
      path.pop();
    }
    return v;
  };
  visit(value);
  return [...new Set(bad)];
}

/** Vietnamese alphabetical order for names shown in lists (Ă after A, Đ after D), numbers by value. */
export const VI_COLLATOR = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });
