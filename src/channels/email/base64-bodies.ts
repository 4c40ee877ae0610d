/**
 * A fast path around mailparser for what makes a complaint mail heavy: its attachments' base64.
 *
 * mailparser splits a message line by line and decodes base64 in JavaScript, making a string per line:
 * about 6 ms of CPU and 1.2 MB of garbage for a mail with a 200 KB PDF, most of the cost of taking it in.
 * Here each long base64 body of an attachment is cut out of the message before mailparser sees it and put
 * back, decoded by Node's native decoder, into the attachment mailparser found in its place. mailparser
 * still decides everything MIME: structure, headers, charsets, names, dispositions; this only spares it
 * the bulk bytes.
 *
 * The cut is checked, not assumed: each body is replaced by a short base64 token of random bytes, and it
 * is put back only where an attachment decodes to exactly that token. A part in another encoding, or a
 * text part, never does; bytes mailparser's base64 decoder ignores (outside the alphabet, a lone character
 * between "=" signs) may stand beside the token and still give exactly it, but then mailparser ignores
 * them beside the real base64 too, so the bytes put back are the ones it would have decoded. When any
 * token is not found so, the caller parses the original message instead.
 */
import { randomBytes } from 'node:crypto';

/** A base64 body at least this long (encoded) is cut out; smaller ones cost mailparser little. */
export const ELIDE_MIN_BYTES = 16 * 1024;

const TOKEN_BYTES = 30; // 40 base64 characters, no padding

export interface ElidedMessage {
  /** The message with each long base64 body replaced by its token line. */
  message: Buffer;
  /** Each body cut out: its token, where it was in the raw message, where to cut it for decoding, its size decoded. */
  bodies: { token: Buffer; start: number; end: number; cuts: number[]; bytes: number }[];
}

// 1 for the bytes of the base64 alphabet.
const ALPHABET = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[c.charCodeAt(0)] = 1;
const LF = 10;
const CR = 13;
const EQUALS = 61;
const DASH = 45;
const UNDERSCORE = 95;
/** Blank lines looked at, at most: a message of nothing but blank lines is not scanned for ever. */
const MAX_BLANK_LINES = 10_000;
/** How far back from a body its part's headers are read. */
const MAX_HEADER_BYTES = 8 * 1024;
/**
 * A body is decoded in pieces of about this many characters: the decoder needs a string, and strings
 * this small are young garbage, cheap to collect, where one of the whole body's size is not.
 */
const PIECE = 32 * 1024;

/**
 * The message with its long base64 bodies of attachments cut out, or null when it has none. A body is
 * taken when its part's headers say base64 and an attachment (not a text part shown as the mail's text),
 * and everything after the blank line ending them, up to the next line starting with "--" or the end of
 * the message, is base64: the alphabet and line breaks, with one or two "=" only at its end, in whole
 * 4-character groups (then Node's decoder and mailparser's read the same bytes).
 */
export function elideBase64Bodies(raw: Buffer, minBytes = ELIDE_MIN_BYTES): ElidedMessage | null {
  if (raw.length < minBytes) return null;
  const bodies: ElidedMessage['bodies'] = [];
  const pieces: Buffer[] = [];
  let copied = 0;
  let looked = 0;
  for (let blank = raw.indexOf('\n\n'), crlf = raw.indexOf('\n\r\n'); looked < MAX_BLANK_LINES; looked++) {
    const at = blank < 0 ? crlf : crlf < 0 ? blank : Math.min(blank, crlf);
    if (at < 0) break;
    const start = at + (at === blank ? 2 : 3);
    let from = start;
    // The first line tells a base64 body from text at once; the headers, whether it is an attachment's.
    if (isBase64Line(raw, start) && isBase64Attachment(raw, at)) {
      const body = base64Body(raw, start);
      from = body.stop;
      if (body.end - start >= minBytes) {
        const token = randomBytes(TOKEN_BYTES);
        const eol = raw[body.end - 1] !== LF ? '' : raw[body.end - 2] === CR ? '\r\n' : '\n';
        pieces.push(raw.subarray(copied, start), Buffer.from(token.toString('base64') + eol, 'latin1'));
        copied = from = body.end;
        bodies.push({ token, start, end: body.end, cuts: body.cuts, bytes: body.bytes });
      }
    }
    if (blank >= 0 && blank < from) blank = raw.indexOf('\n\n', from - 1);
    if (crlf >= 0 && crlf < from) crlf = raw.indexOf('\n\r\n', from - 1);
  }
  if (!bodies.length) return null;
  pieces.push(raw.subarray(copied));
  return { message: Buffer.concat(pieces), bodies };
}

/**
 * Whether the headers ending at `at` (a part's, after the line starting with "--" before them, or the
 * message's) declare base64 and an attachment: any type but text and multipart, or a text one with
 * Content-Disposition: attachment. A long base64 text body (mail clients often send Vietnamese so) is
 * the mail's text: cut out, its token would not be found, and the whole message parsed twice.
 */
function isBase64Attachment(raw: Buffer, at: number): boolean {
  const from = Math.max(0, at - MAX_HEADER_BYTES);
  const boundary = raw.lastIndexOf('\n--', at);
  const headers = raw.toString('latin1', boundary >= from ? boundary : from, at + 1);
  if (!/^content-transfer-encoding:[ \t]*base64[ \t]*\r?$/im.test(headers)) return false;
  const type = /^content-type:[ \t]*([^\s;]+)/im.exec(headers)?.[1].toLowerCase() ?? 'text/plain';
  if (type.startsWith('multipart/')) return false;
  return !type.startsWith('text/') || /^content-disposition:[ \t]*attachment\b/im.test(headers);
}

/** Whether the line at start is made of the base64 alphabet (at least 4 characters, "=" only at its end). */
function isBase64Line(raw: Buffer, start: number): boolean {
  let i = start;
  const limit = Math.min(raw.length, start + 998);
  while (i < limit && ALPHABET[raw[i]] === 1) i++;
  if (i - start < 4) return false;
  while (i < limit && raw[i] === EQUALS) i++;
  if (raw[i] === CR) i++;
  return i === raw.length || raw[i] === LF;
}

/**
 * The base64 body starting at start, read line by line (Node finds each line break natively) up to a
 * line starting with "--" (a boundary, or mailparser finds the part does not decode to the token) or the
 * end: where it ends (-1 when it is not one), where its scan stopped, its size decoded, and its decoding
 * cuts (after a line break, at a whole number of 4-character groups). Characters Node's decoder would
 * read otherwise than mailparser's ("-" and "_", base64url to Node; "=" before the end) make it not one;
 * any other one is skipped by Node's decoder, so the body decodes short of `bytes` and decode() says so.
 */
function base64Body(raw: Buffer, start: number): { end: number; stop: number; bytes: number; cuts: number[] } {
  const n = raw.length;
  const cuts: number[] = [];
  let chars = 0;
  let piece = start;
  let pos = start;
  let end = n;
  while (pos < n) {
    if (raw[pos] === DASH && raw[pos + 1] === DASH) {
      // The line break before the line starting with "--" belongs to it.
      end = raw[pos - 2] === CR && pos - 2 >= start ? pos - 2 : pos - 1;
      break;
    }
    const lf = raw.indexOf(LF, pos);
    const lineEnd = lf < 0 ? n : lf;
    chars += lineEnd - pos - (lineEnd > pos && raw[lineEnd - 1] === CR ? 1 : 0);
    if (lf < 0) break;
    pos = lf + 1;
    if ((chars & 3) === 0 && pos - piece >= PIECE) cuts.push((piece = pos));
  }
  const stop = Math.min(pos, n);
  const no = { end: -1, stop, bytes: 0, cuts };
  const body = raw.subarray(start, end);
  if ((chars & 3) !== 0 || body.indexOf(DASH) >= 0 || body.indexOf(UNDERSCORE) >= 0) return no;
  let padding = 0;
  const equals = body.indexOf(EQUALS);
  if (equals >= 0) {
    let i = equals;
    while (body[i] === EQUALS) i++;
    padding = i - equals;
    for (; i < body.length; i++) if (body[i] !== CR && body[i] !== LF) return no;
    if (padding > 2) return no;
  }
  const last = equals >= 0 ? start + equals : end;
  return { end, stop, bytes: (chars / 4) * 3 - padding, cuts: cuts.filter((c) => c < last) };
}

/**
 * For each attachment of the elided message, the decoded bytes it stands for (same order; undefined
 * for an attachment that is not a cut body), or null when some body was not found whole as one
 * attachment: then the original message must be parsed as it is.
 */
export function restoreBase64Bodies(raw: Buffer, elided: ElidedMessage, contents: readonly Uint8Array[]): (Buffer | undefined)[] | null {
  const found = new Set<number>();
  const out: (Buffer | undefined)[] = [];
  for (const content of contents) {
    const i = content.byteLength === TOKEN_BYTES ? elided.bodies.findIndex((b) => b.token.equals(content)) : -1;
    if (i < 0) {
      out.push(undefined);
      continue;
    }
    const decoded = decode(raw, elided.bodies[i]);
    if (!decoded) return null;
    found.add(i);
    out.push(decoded);
  }
  return found.size === elided.bodies.length ? out : null;
}

function decode(raw: Buffer, body: ElidedMessage['bodies'][number]): Buffer | null {
  const out = Buffer.allocUnsafe(body.bytes);
  let length = 0;
  let from = body.start;
  for (const to of [...body.cuts, body.end]) {
    length += out.write(raw.toString('latin1', from, to), length, 'base64');
    from = to;
  }
  // Whole groups of valid base64 decode to exactly the size counted; were it not so, mailparser decides.
  return length === body.bytes ? out : null;
}
