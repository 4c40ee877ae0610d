/**
 * A fast path around mailparser for what makes a complaint mail heavy: its attachments' base64.
 *
 * mailparser splits a message line by line and decodes base64 in JavaScript, making a string per line:
 * about 6 ms of CPU and 1.2 MB of garbage for a mail with a 200 KB PDF, most of the cost of taking it in.
 * Here each long base64 body is cut out of the message before mailparser sees it and put back, decoded by
 * Node's native decoder, into the attachment mailparser found in its place. mailparser still decides
 * everything MIME: structure, headers, charsets, names, dispositions; this only spares it the bulk bytes.
 *
 * The cut is checked, not assumed: each body is replaced by a short base64 token of random bytes, and it
 * is put back only where an attachment decodes to exactly that token, which happens only when the part's
 * whole body was that base64 (a part in another encoding, or with anything else in its body, decodes to
 * something else). When any token is not found so, the caller parses the original message instead.
 */
import { randomBytes } from 'node:crypto';

/** A base64 body at least this long (encoded) is cut out; smaller ones cost mailparser little. */
export const ELIDE_MIN_BYTES = 16 * 1024;

const TOKEN_BYTES = 30; // 40 base64 characters, no padding

export interface ElidedMessage {
  /** The message with each long base64 body replaced by its token line. */
  message: Buffer;
  /** Each body cut out: its token, where it was in the raw message, and where to cut it for decoding. */
  bodies: { token: Buffer; start: number; end: number; cuts: number[]; chars: number }[];
}

// Bytes by kind: 1 the base64 alphabet, 2 a line break, 0 anything else.
const KIND = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') KIND[c.charCodeAt(0)] = 1;
KIND[13] = 2;
KIND[10] = 2;
const LF = 10;
const CR = 13;
const EQUALS = 61;
const DASH = 45;
/**
 * A body is decoded in pieces of about this many characters: the decoder needs a string, and strings
 * this small are young garbage, cheap to collect, where one of the whole body's size is not.
 */
const PIECE = 32 * 1024;

/**
 * The message with its long base64 bodies cut out, or null when it has none. A body is taken when,
 * after a blank line (the end of a part's headers), everything up to the next line starting with "--"
 * (a boundary) or the end of the message is base64: the alphabet and line breaks, with one or two "="
 * only at its end, in whole 4-character groups (then Node's decoder and mailparser's read the same bytes).
 */
export function elideBase64Bodies(raw: Buffer, minBytes = ELIDE_MIN_BYTES): ElidedMessage | null {
  if (raw.length < minBytes) return null;
  const bodies: ElidedMessage['bodies'] = [];
  const pieces: Buffer[] = [];
  let copied = 0;
  for (let blank = raw.indexOf('\n\n'), crlf = raw.indexOf('\n\r\n'); ; ) {
    const at = blank < 0 ? crlf : crlf < 0 ? blank : Math.min(blank, crlf);
    if (at < 0) break;
    const start = at + (at === blank ? 2 : 3);
    const body = base64Body(raw, start);
    if (body.end - start >= minBytes) {
      const token = randomBytes(TOKEN_BYTES);
      const eol = raw[body.end - 1] !== LF ? '' : raw[body.end - 2] === CR ? '\r\n' : '\n';
      pieces.push(raw.subarray(copied, start), Buffer.from(token.toString('base64') + eol, 'latin1'));
      copied = body.end;
      bodies.push({ token, start, end: body.end, cuts: body.cuts, chars: body.chars });
    }
    const from = Math.max(start, body.stop);
    if (blank >= 0 && blank < from) blank = raw.indexOf('\n\n', from - 1);
    if (crlf >= 0 && crlf < from) crlf = raw.indexOf('\n\r\n', from - 1);
  }
  if (!bodies.length) return null;
  pieces.push(raw.subarray(copied));
  return { message: Buffer.concat(pieces), bodies };
}

/**
 * The base64 body starting at start: where it ends (-1 when it is not one: another character before a
 * boundary line or the end), where its base64 stops, its characters and its decoding cuts (after a line
 * break, at a whole number of 4-character groups).
 */
function base64Body(raw: Buffer, start: number): { end: number; stop: number; chars: number; cuts: number[] } {
  const cuts: number[] = [];
  let chars = 0;
  let piece = start;
  let i = start;
  for (const n = raw.length; i < n; i++) {
    const byte = raw[i];
    const kind = KIND[byte];
    if (kind === 1) chars++;
    else if (kind === 0) break;
    else if (byte === LF && (chars & 3) === 0 && i + 1 - piece >= PIECE) cuts.push((piece = i + 1));
  }
  const stop = i;
  const no = { end: -1, stop, chars, cuts };
  if (raw[i] === EQUALS) {
    const padding = raw[i + 1] === EQUALS ? 2 : 1;
    chars += padding;
    i += padding;
    while (raw[i] === CR || raw[i] === LF) i++;
  }
  if ((chars & 3) !== 0) return no;
  let end = -1;
  if (i === raw.length) end = i;
  // A boundary line: "--" at a line's start, the line break before it belonging to the boundary.
  else if (raw[i] === DASH && raw[i + 1] === DASH && i > start && raw[i - 1] === LF) end = raw[i - 2] === CR ? i - 2 : i - 1;
  return end < 0 ? no : { end, stop, chars, cuts: cuts.filter((c) => c < end) };
}

/**
 * For each attachment of the elided message, the decoded bytes it stands for (same order; undefined
 * for an attachment that is not a cut body), or null when some body was not found whole as one
 * attachment: then the original message must be parsed as it is.
 */
export function restoreBase64Bodies(raw: Buffer, elided: ElidedMessage, contents: readonly Uint8Array[]): (Buffer | undefined)[] | null {
  const found = new Set<number>();
  const out = contents.map((content) => {
    if (content.byteLength !== TOKEN_BYTES) return undefined;
    const i = elided.bodies.findIndex((b) => b.token.equals(content));
    if (i < 0) return undefined;
    found.add(i);
    return decode(raw, elided.bodies[i]);
  });
  return found.size === elided.bodies.length ? out : null;
}

function decode(raw: Buffer, body: ElidedMessage['bodies'][number]): Buffer {
  const out = Buffer.allocUnsafe(Math.ceil((body.chars * 3) / 4));
  let length = 0;
  let from = body.start;
  for (const to of [...body.cuts, body.end]) {
    length += out.write(raw.toString('latin1', from, to), length, 'base64');
    from = to;
  }
  return out.subarray(0, length);
}
