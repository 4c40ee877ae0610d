/**
 * Threading of inbound mail onto complaints: the complaint code in the subject, and the
 * Message-IDs a reply points back to (In-Reply-To, References). Pure.
 */
import { parseComplaintCode } from './codes';

// Not glued to a preceding letter or digit ("XKN-…" is someone else's code); the bracketed form wins.
const BRACKETED_CODE_RE = /\[\s*(KN-\d{4}-\d{6,})\s*\]/iu;
const BARE_CODE_RE = /(?<![\p{L}\p{N}])(KN-\d{4}-\d{6,})(?![\p{L}\p{N}])/iu;

/** The complaint code `KN-yyyy-nnnnnn` found anywhere in a subject (bracketed first), canonical upper case; null if none. */
export function complaintCodeInSubject(subject: string): string | null {
  const text = subject.normalize('NFC');
  for (const re of [BRACKETED_CODE_RE, BARE_CODE_RE]) {
    const m = re.exec(text);
    const parsed = m ? parseComplaintCode(m[1]) : null;
    if (parsed) return parsed.code;
  }
  return null;
}

/**
 * One Message-ID in the form Sen stores and compares: no angle brackets or white space, the
 * domain part lower-cased (the local part is case-sensitive); null when nothing is left.
 */
export function normalizeMessageId(id: string): string | null {
  const angle = /<([^<>]*)>/.exec(id);
  // Control characters and white space never belong to an id; folding may have put some inside.
  const bare = (angle ? angle[1] : id).replace(/[\s<>\p{Cc}]/gu, '');
  if (bare === '') return null;
  const at = bare.lastIndexOf('@');
  if (at < 0) return bare;
  return bare.slice(0, at) + '@' + bare.slice(at + 1).toLowerCase();
}

/**
 * Every Message-ID a reply refers to, normalized and de-duplicated, most recent first: the
 * In-Reply-To ids, then References from its end (References lists the oldest first).
 */
export function referencedIds(inReplyTo: string | string[] | undefined, references: string | string[] | undefined): string[] {
  const ordered = [...idsIn(inReplyTo), ...idsIn(references).reverse()];
  return [...new Set(ordered)];
}

/** The ids in a header value (or values): the `<…>` tokens, or white-space separated words when there are none. */
export function idsIn(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const v of values) {
    const tokens = v.includes('<') ? [...v.matchAll(/<[^<>]*>/g)].map((m) => m[0]) : v.split(/[\s,]+/);
    for (const t of tokens) {
      const id = normalizeMessageId(t);
      if (id !== null) out.push(id);
    }
  }
  return out;
}

// Re, Fwd, FW, TL (Trả lời), Chuyển tiếp, Trả lời; with an optional count (Re[2]:, Re(2):, Re^2:).
const REPLY_PREFIX_RE = /^\s*(?:re|fwd?|tl|trả lời|chuyển tiếp)(?:\s*\[\d+\]|\s*\(\d+\)|\^\d+)?\s*[:：]\s*/iu;

/** The subject without its leading reply and forward prefixes ("Re: TL: Fwd: …"), NFC-normalized and trimmed. */
export function stripReplyPrefixes(subject: string): string {
  let s = subject.normalize('NFC');
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(REPLY_PREFIX_RE, '');
  }
  return s.trim();
}

/**
 * Why the receiving mail server found the sender forged, from the topmost Authentication-Results header (RFC 8601:
 * the one the last server, the company's own, added; lower ones may be written by anyone): DMARC failed, or SPF
 * failed with no DKIM signature passing. Null when it says nothing of the kind, or there is none (Sen receiving
 * directly): a forger could write a "pass", never usefully a "fail", so only failures are believed.
 * `results`: the header's values, topmost first, joined by '\n' (InboundMail.headers).
 */
export function forgedSender(results: string | undefined): string | null {
  const top = results?.split('\n')[0]?.toLowerCase();
  if (!top) return null;
  const verdict = (method: string) => new RegExp(`(?:^|[;\\s])${method}\\s*=\\s*([a-z]+)`).exec(top)?.[1] ?? null;
  if (verdict('dmarc') === 'fail') return 'Authentication-Results: dmarc=fail';
  if ((verdict('spf') === 'fail' || verdict('spf') === 'softfail') && verdict('dkim') !== 'pass') return `Authentication-Results: spf=${verdict('spf')}, no DKIM signature passed`;
  return null;
}
