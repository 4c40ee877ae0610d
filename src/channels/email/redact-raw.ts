/**
 * The copy of a received mail that Sen keeps as evidence, with payment card numbers masked (PCI DSS: a card
 * number is never stored in clear; domain/payment-cards.ts masks it everywhere else). Only what a person wrote
 * is touched: the inline text parts (text/plain, text/html, in any transfer encoding) and the Subject header.
 * Everything else stays byte for byte — the other headers, the MIME structure and its boundaries, attachments
 * (kept as files of their own, by their hash) — so the copy is still the message as received, with one header
 * added to say what was masked. The result depends only on the input: the same mail delivered twice gives the
 * same bytes, stored once.
 */
import { maskPaymentCards } from '../../domain/payment-cards';

export const REDACTED_HEADER = 'X-Sen-Redacted: payment card numbers masked (PCI DSS); the rest as received';

/** Nested multiparts followed at most (a message nested deeper is kept as it is below that). */
const MAX_DEPTH = 12;

/**
 * The raw message with the card numbers of its inline text parts masked, and its Subject replaced by
 * `maskedSubject` when given (the subject as parsed, masked). Null when nothing was masked.
 */
export function redactCardNumbers(raw: Uint8Array, maskedSubject: string | null): Buffer | null {
  // latin1 maps each byte to one character and back: digits and separators are ASCII in every charset mail uses.
  const message = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  const { head, sep, body } = splitHead(message);
  const redactedBody = redactBody(head, body, 0);
  let newHead = head;
  if (maskedSubject !== null) newHead = replaceHeader(head, 'subject', `Subject: ${encodeWord(maskedSubject)}`);
  if (redactedBody.masked === 0 && newHead === head) return null;
  const eol = sep.startsWith('\r\n') ? '\r\n' : '\n';
  return Buffer.from(`${REDACTED_HEADER}${eol}${newHead}${sep}${redactedBody.text}`, 'latin1');
}

/** A part's headers and body, and the blank line between them (kept as it was). */
function splitHead(part: string): { head: string; sep: string; body: string } {
  // No headers at all: the part starts with its blank line.
  if (part.startsWith('\r\n')) return { head: '', sep: '\r\n', body: part.slice(2) };
  if (part.startsWith('\n')) return { head: '', sep: '\n', body: part.slice(1) };
  const crlf = part.indexOf('\r\n\r\n');
  const lf = part.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return { head: part, sep: '', body: '' };
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { head: part.slice(0, crlf), sep: '\r\n\r\n', body: part.slice(crlf + 4) };
  return { head: part.slice(0, lf), sep: '\n\n', body: part.slice(lf + 2) };
}

/** A header's value, unfolded (the first of that name); null when absent. */
function headerValue(head: string, name: string): string | null {
  const lines = head.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    // A folded line continues the header above it ("\th=from:subject:…" in a DKIM signature is not a header).
    if (/^[ \t]/.test(lines[i])) continue;
    const colon = lines[i].indexOf(':');
    if (colon <= 0 || lines[i].slice(0, colon).trim().toLowerCase() !== name) continue;
    let value = lines[i].slice(colon + 1);
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1])) value += lines[++i];
    return value.trim();
  }
  return null;
}

/** The head with the first header of that name (and its folded lines) replaced by `line`; added when absent. */
function replaceHeader(head: string, name: string, line: string): string {
  const eol = head.includes('\r\n') ? '\r\n' : '\n';
  const lines = head.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    if (/^[ \t]/.test(lines[i])) continue;
    const colon = lines[i].indexOf(':');
    if (colon <= 0 || lines[i].slice(0, colon).trim().toLowerCase() !== name) continue;
    let end = i + 1;
    while (end < lines.length && /^[ \t]/.test(lines[end])) end += 1;
    lines.splice(i, end - i, line);
    return lines.join(eol);
  }
  return `${head}${eol}${line}`;
}

/** A parameter of a header value (`boundary`), quoted or not. */
function param(value: string, name: string): string | null {
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : null;
}

function redactBody(head: string, body: string, depth: number): { text: string; masked: number } {
  const type = (headerValue(head, 'content-type') ?? 'text/plain').toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = param(headerValue(head, 'content-type') ?? '', 'boundary');
    return boundary && depth < MAX_DEPTH ? redactMultipart(body, boundary, depth) : { text: body, masked: 0 };
  }
  const disposition = (headerValue(head, 'content-disposition') ?? '').toLowerCase().split(';')[0].trim();
  const inline = disposition === '' || disposition === 'inline';
  const encoding = (headerValue(head, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  // What mail clients show as the message's own text, as mailparser reads it: a forwarded message inline and not
  // encoded, text/plain and text/html parts with no disposition or inline. Anything else is an attachment: kept as sent.
  if (type.startsWith('message/rfc822')) {
    if (depth >= MAX_DEPTH || disposition !== 'inline' || !['7bit', '8bit', 'binary'].includes(encoding)) return { text: body, masked: 0 };
    const inner = splitHead(body);
    const r = redactBody(inner.head, inner.body, depth + 1);
    return { text: `${inner.head}${inner.sep}${r.text}`, masked: r.masked };
  }
  if (!(type.startsWith('text/plain') || type.startsWith('text/html')) || !inline) return { text: body, masked: 0 };
  if (encoding === 'base64') {
    const eol = body.includes('\r\n') ? '\r\n' : '\n';
    const r = maskPaymentCards(Buffer.from(body, 'base64').toString('latin1'));
    if (!r.masked) return { text: body, masked: 0 };
    const lines = Buffer.from(r.text, 'latin1').toString('base64').match(/.{1,76}/g) ?? [];
    return { text: lines.join(eol) + (/\r?\n$/.test(body) ? eol : ''), masked: r.masked };
  }
  if (encoding === 'quoted-printable') {
    const r = maskPaymentCards(decodeQuotedPrintable(body));
    return r.masked ? { text: encodeQuotedPrintable(r.text, body.includes('\r\n') ? '\r\n' : '\n'), masked: r.masked } : { text: body, masked: 0 };
  }
  return maskPaymentCards(body);
}

/** Each part between the boundary's delimiter lines redacted; the preamble, the epilogue and the delimiters as they were. */
function redactMultipart(body: string, boundary: string, depth: number): { text: string; masked: number } {
  const delimiter = `--${boundary}`;
  // Delimiter lines: at the start of the body or of a line.
  const starts: number[] = [];
  for (let at = body.indexOf(delimiter); at >= 0; at = body.indexOf(delimiter, at + delimiter.length)) {
    if (at === 0 || body[at - 1] === '\n') starts.push(at);
  }
  if (!starts.length) return { text: body, masked: 0 };
  let out = body.slice(0, starts[0]);
  let masked = 0;
  for (let i = 0; i < starts.length; i += 1) {
    const lineEnd = body.indexOf('\n', starts[i]);
    const closing = body.startsWith(`${delimiter}--`, starts[i]);
    if (closing || lineEnd < 0) {
      out += body.slice(starts[i]);
      return { text: out, masked };
    }
    const contentStart = lineEnd + 1;
    // The line break before the next delimiter belongs to it; with no delimiter after it (the closing one
    // missing, which mail clients forgive), the part runs to the end.
    const next = i + 1 < starts.length ? starts[i + 1] : body.length;
    let contentEnd = i + 1 < starts.length ? next - 1 : next;
    if (i + 1 < starts.length && contentEnd > contentStart && body[contentEnd - 1] === '\r') contentEnd -= 1;
    if (contentEnd < contentStart) contentEnd = contentStart;
    const part = splitHead(body.slice(contentStart, contentEnd));
    const r = redactBody(part.head, part.body, depth + 1);
    masked += r.masked;
    out += body.slice(starts[i], contentStart) + part.head + part.sep + r.text + body.slice(contentEnd, next);
  }
  return { text: out, masked };
}

function decodeQuotedPrintable(body: string): string {
  return body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Quoted-printable of latin1-mapped bytes: lines of at most 76 characters, soft breaks between escapes. */
function encodeQuotedPrintable(text: string, eol: string): string {
  const hex = (c: number) => `=${c.toString(16).toUpperCase().padStart(2, '0')}`;
  return text
    .split(/\r?\n/)
    .map((line) => {
      let encoded = '';
      for (let i = 0; i < line.length; i += 1) {
        const c = line.charCodeAt(i);
        const last = i === line.length - 1;
        encoded += c === 61 || c > 126 || (c < 32 && c !== 9) || (last && (c === 32 || c === 9)) ? hex(c) : line[i];
      }
      const pieces: string[] = [];
      while (encoded.length > 76) {
        let cut = 75;
        // Not inside an escape: "=XY" stays whole.
        if (encoded[cut - 1] === '=') cut -= 1;
        else if (encoded[cut - 2] === '=') cut -= 2;
        pieces.push(`${encoded.slice(0, cut)}=`);
        encoded = encoded.slice(cut);
      }
      pieces.push(encoded);
      return pieces.join(eol);
    })
    .join(eol);
}

/** An RFC 2047 encoded word (UTF-8, base64) for a header value; plain ASCII as it is. */
function encodeWord(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

export const REBUILT_HEADER = 'X-Sen-Redacted: payment card numbers masked (PCI DSS); rebuilt from the text as read, attachments kept as files of their own';

/**
 * A copy of the message made from its text as read (card numbers masked), for a message whose cards could not
 * be masked where they stand (a number split across a soft line break, or between HTML tags): its headers but
 * the MIME ones, its subject masked, and one text/plain part.
 */
export function rebuiltCopy(raw: Uint8Array, maskedSubject: string, maskedText: string): Buffer {
  const message = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  const { head, sep } = splitHead(message);
  const eol = sep.startsWith('\r\n') || head.includes('\r\n') ? '\r\n' : '\n';
  const kept: string[] = [];
  let skipping = false;
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      if (!skipping) kept.push(line);
      continue;
    }
    const name = line.slice(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase();
    skipping = name === 'subject' || name === 'mime-version' || name.startsWith('content-');
    if (!skipping) kept.push(line);
  }
  const body = (Buffer.from(maskedText, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join(eol);
  return Buffer.from(
    [
      REBUILT_HEADER,
      ...kept,
      `Subject: ${encodeWord(maskedSubject)}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      body,
      '',
    ].join(eol),
    'latin1',
  );
}

/**
 * How the copy of a mail Sen keeps relates to the mail received: as it was, masked in place (redactCardNumbers),
 * or rebuilt from the masked text (rebuiltCopy) — told by the header Sen put first.
 */
export function keptCopyKind(kept: Uint8Array): 'received' | 'masked' | 'rebuilt' {
  const head = Buffer.from(kept.buffer, kept.byteOffset, Math.min(kept.byteLength, 256)).toString('latin1');
  if (head.startsWith(REBUILT_HEADER)) return 'rebuilt';
  if (head.startsWith(REDACTED_HEADER)) return 'masked';
  return 'received';
}
