/**
 * Loop guard for inbound mail: tells a customer's message from a bounce, an auto-reply or bulk
 * mail, so that machine-written mail never opens a complaint nor gets an answer (no mail loops).
 * Pure: it reads what the SMTP listener or the IMAP poller already has.
 */

export type InboundKind = 'complaint' | 'bounce' | 'auto_reply' | 'bulk';

export interface InboundEnvelope {
  /**
   * The SMTP envelope sender (MAIL FROM); '' or null for the null sender `<>`. `undefined` when
   * it is not known (a message fetched over IMAP): the `Return-Path` header stands in for it then.
   */
  envelopeFrom: string | null | undefined;
  /** The From header, raw (`Name <a@b>`) or just the address. */
  from: string | null;
  /** Lower-case header names → raw (unfolded) value. */
  headers: Map<string, string> | Record<string, string>;
  /** The top-level Content-Type with its parameters; read from `headers` when absent. */
  contentType?: string;
  /** The decoded subject; `headers.subject` is only used when it is absent (it may still be RFC 2047 encoded). */
  subject?: string;
}

export interface InboundClassification {
  kind: InboundKind;
  /** A short English explanation naming the header that decided. */
  reason: string;
}

const DAEMON_LOCAL_PARTS = new Set(['mailer-daemon', 'postmaster']);
const SUPPRESS_TOKENS = new Set(['all', 'oof', 'autoreply']);

// Anchored at the start: "Nhân viên vắng mặt khi giao hàng" is a complaint, "Vắng mặt: …" is not.
const VACATION_SUBJECT_RES: RegExp[] = [
  /^(?:automatic reply|auto[- ]?reply|autoresponse|out of (?:the )?office|trả lời tự động|thư trả lời tự động)(?=$|[\s:：\-–—(\[])/iu,
  /^(?:auto|ooo|vắng mặt)\s*[:：]/iu,
];

/** Classifies an inbound message as a complaint (a person wrote it) or as a bounce, auto-reply or bulk mail. */
export function classifyInbound(m: InboundEnvelope): InboundClassification {
  const headers = lowerCaseHeaders(m.headers);
  const header = (name: string): string | undefined => headers.get(name);

  // --- bounces (delivery status notifications, read receipts) ---
  const envelope = m.envelopeFrom === undefined ? header('return-path') : m.envelopeFrom;
  const envelopeSource = m.envelopeFrom === undefined ? 'Return-Path header' : 'envelope sender (MAIL FROM)';
  if (envelope !== undefined) {
    const address = extractAddress(envelope ?? '');
    if (address === '') return { kind: 'bounce', reason: `null ${envelopeSource} <>` };
    if (isDaemon(address)) return { kind: 'bounce', reason: `${envelopeSource} is ${localPart(address)}` };
  }
  const from = m.from ?? header('from') ?? null;
  if (from !== null) {
    const address = extractAddress(from);
    if (isDaemon(address)) return { kind: 'bounce', reason: `From header is ${localPart(address)}` };
  }
  const contentType = m.contentType ?? header('content-type') ?? '';
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  if (mediaType === 'multipart/report') {
    const reportType = (param(contentType, 'report-type') ?? '').toLowerCase();
    if (reportType === 'delivery-status' || reportType === 'disposition-notification') {
      return { kind: 'bounce', reason: `Content-Type multipart/report; report-type=${reportType}` };
    }
    return { kind: 'auto_reply', reason: `Content-Type multipart/report (machine-generated report${reportType ? `, report-type=${reportType}` : ''})` };
  }

  // --- auto-replies (RFC 3834 and the headers vendors use instead) ---
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted !== undefined) {
    const value = firstToken(autoSubmitted);
    if (value !== 'no') return { kind: 'auto_reply', reason: `Auto-Submitted: ${value || '(empty)'}` };
  }
  if (header('x-autoreply') !== undefined) return { kind: 'auto_reply', reason: 'X-Autoreply header present' };
  if (header('x-autorespond') !== undefined) return { kind: 'auto_reply', reason: 'X-Autorespond header present' };
  const suppress = header('x-auto-response-suppress');
  if (suppress !== undefined) {
    const hit = suppress.split(/[\s,;]+/).find((t) => SUPPRESS_TOKENS.has(t.toLowerCase()));
    if (hit) return { kind: 'auto_reply', reason: `X-Auto-Response-Suppress: ${hit}` };
  }
  const xLoop = header('x-loop');
  if (xLoop !== undefined && /sen/i.test(xLoop)) return { kind: 'auto_reply', reason: 'X-Loop names Sen (our own mail came back)' };

  const precedence = header('precedence');
  const precedenceValue = precedence === undefined ? '' : firstToken(precedence);
  if (precedenceValue === 'auto_reply') return { kind: 'auto_reply', reason: 'Precedence: auto_reply' };

  // Checked before Precedence: bulk so that a vacation notice sent as bulk is still called an auto-reply.
  const subject = (m.subject ?? header('subject') ?? '').normalize('NFC').trim();
  if (VACATION_SUBJECT_RES.some((re) => re.test(subject))) {
    return { kind: 'auto_reply', reason: `Subject looks like a vacation or automatic reply ("${subject.slice(0, 40)}")` };
  }

  // --- bulk and list mail ---
  if (precedenceValue === 'bulk' || precedenceValue === 'junk' || precedenceValue === 'list') {
    return { kind: 'bulk', reason: `Precedence: ${precedenceValue}` };
  }
  if (header('list-id') !== undefined) return { kind: 'bulk', reason: 'List-Id header present (mailing list)' };
  if (header('list-unsubscribe') !== undefined) return { kind: 'bulk', reason: 'List-Unsubscribe header present (bulk sender)' };

  return { kind: 'complaint', reason: 'no bounce, auto-reply or bulk marker' };
}

function lowerCaseHeaders(headers: Map<string, string> | Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const entries = headers instanceof Map ? headers.entries() : Object.entries(headers);
  for (const [k, v] of entries) {
    if (typeof v !== 'string') continue;
    const key = k.toLowerCase();
    if (!out.has(key)) out.set(key, v.trim());
  }
  return out;
}

/** The bare address of `Name <a@b>`, `<a@b>` or `a@b`; '' for `<>`. */
function extractAddress(value: string): string {
  const angle = /<([^<>]*)>/.exec(value);
  return (angle ? angle[1] : value).trim().toLowerCase();
}

function localPart(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at);
}

function isDaemon(address: string): boolean {
  return DAEMON_LOCAL_PARTS.has(localPart(address).replace(/^"|"$/g, ''));
}

/** The value before any parameter or comment, lower-cased (`auto-replied; owner=x` → `auto-replied`). */
function firstToken(value: string): string {
  return value.replace(/\([^)]*\)/g, ' ').split(';')[0].trim().toLowerCase();
}

function param(contentType: string, name: string): string | undefined {
  const re = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i');
  const m = re.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}
