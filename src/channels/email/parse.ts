/**
 * Parses one raw inbound message (RFC 5322 + MIME) into what intake needs: ids for threading and
 * de-duplication, sender, NFC-normalized subject and plain text, and attachments typed by content.
 * No I/O beyond decoding; the SMTP listener and the IMAP poller both hand their bytes here.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { MailParser, simpleParser, type AddressObject, type Attachment, type AttachmentStream, type EmailAddress, type MessageText, type ParsedMail } from 'mailparser';
import { fileTypeFromBuffer, supportedMimeTypes } from 'file-type';
import { idsIn, normalizeMessageId } from '../../domain/mail-threading';
import { safeFilename } from '../../domain/uploads';
import { withoutForbiddenCharacters } from '../../domain/text';
import { ELIDE_MIN_BYTES, elideBase64Bodies, restoreBase64Bodies } from './base64-bodies';
import { maskPaymentCards, withoutCardNumbers } from '../../domain/payment-cards';
import { rebuiltCopy, redactCardNumbers } from './redact-raw';

export interface InboundAttachment {
  /** Decoded, NFC-normalized and made safe to use as a file name (no path, no control characters, ≤ 200 characters). */
  filename: string;
  /** Sniffed from the content when file-type recognises it, else the declared type (unless the content contradicts it), else application/octet-stream. */
  contentType: string;
  /** The Content-Type the sender declared, lower-case. */
  declaredType: string;
  size: number;
  content: Buffer;
  /** SHA-256 hex of the content: its name in the file store. */
  sha256: string;
  /** Meant to be shown within the body (Content-Disposition: inline, or part of multipart/related). */
  inline: boolean;
  /** The Content-ID without angle brackets, for `cid:` references. */
  contentId?: string;
}

export interface InboundMail {
  /** Normalized (see normalizeMessageId); null when the message has none. */
  messageId: string | null;
  /** Normalized ids of In-Reply-To, in header order. */
  inReplyTo: string[];
  /** Normalized ids of References, in header order (oldest first). */
  references: string[];
  from: { name: string; address: string } | null;
  to: string[];
  cc: string[];
  subject: string;
  /** The text/plain body, or plain text made from the HTML when there is none; never markup. */
  text: string;
  date: Date | null;
  /** Lower-case header names → raw unfolded value; a repeated header keeps its values joined by '\n', topmost first. */
  headers: Map<string, string>;
  /** The top-level Content-Type header with its parameters (text/plain when absent). */
  contentType: string;
  attachments: InboundAttachment[];
  /** SHA-256 hex of the normalized text and the attachments' hashes, to tell a reused Message-ID with another body. */
  bodyHash: string;
  /** SHA-256 hex of the raw message kept (storedRaw, or as received): its name in the file store. */
  rawSha256: string;
  /** The copy kept when the message held payment card numbers: masked in its text and subject (redact-raw.ts). */
  storedRaw?: Uint8Array;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
// Containers file-type cannot see into: the sender's more specific type is kept.
const CFB_TYPES = /^application\/(?:msword|vnd\.ms-[\w.+-]+|vnd\.visio|x-msi)$/;

// skipHtmlToText: an HTML-only message must come back with empty text, so that Sen's own
// converter (strict: no markup, no script) makes the text rather than mailparser's.
// checksumAlgo: each attachment's SHA-256 (its name in the file store) comes from the decoding pass itself
// (on the fast path, from the bytes put back: parseMime).
const PARSER_OPTIONS = { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, checksumAlgo: 'sha256' } as const;

let elidedParses = 0;

/** How many messages this thread has parsed with their long base64 bodies decoded natively (base64-bodies.ts). */
export function fastParses(): number {
  return elidedParses;
}

/**
 * mailparser's reading of the message; long base64 bodies are decoded outside it when they can be
 * (base64-bodies.ts), with the same result. `elideFrom`: the shortest body cut out (Infinity: none).
 */
async function parseMime(raw: Buffer, elideFrom: number): Promise<ParsedMail> {
  const elided = Number.isFinite(elideFrom) ? elideBase64Bodies(raw, elideFrom) : null;
  if (elided) {
    const parsed = await simpleParser(elided.message, PARSER_OPTIONS);
    const restored = restoreBase64Bodies(raw, elided, parsed.attachments.map((a) => a.content));
    if (restored) {
      parsed.attachments.forEach((a, i) => {
        const content = restored[i];
        if (!content) return;
        a.content = content;
        a.size = content.length;
        a.checksum = sha256(content);
      });
      elidedParses++;
      return parsed;
    }
  }
  return simpleParser(raw, PARSER_OPTIONS);
}

/**
 * Whether a message read as a stream — one over the size limit, never held whole — holds a payment card number
 * where parseInboundMail would find one (its subject, its text, its HTML or the text made from it), so that its
 * raw copy must be masked before it is kept. Attachments are read past as they stream.
 */
export async function streamHoldsCardNumbers(source: Readable): Promise<boolean> {
  const parser = new MailParser(PARSER_OPTIONS);
  let found = false;
  const holds = (t: unknown) => typeof t === 'string' && maskPaymentCards(t).masked > 0;
  parser.on('headers', (headers: Map<string, unknown>) => {
    if (holds(headers.get('subject'))) found = true;
  });
  const done = once(parser, 'end');
  parser.on('data', (data: AttachmentStream | MessageText) => {
    if (data.type === 'attachment') {
      data.content.on('end', () => data.release?.());
      (data.content as Readable).resume();
      return;
    }
    if (holds(data.text) || holds(data.html) || (typeof data.html === 'string' && holds(htmlToPlainText(data.html)))) found = true;
  });
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  await done;
  return found;
}

/**
 * Parses a raw message into an InboundMail (charsets decoded, text NFC-normalized, attachments sniffed).
 * `elideFrom` is for tests: the fast path for long base64 bodies taken from this size (Infinity: never).
 */
export async function parseInboundMail(raw: Buffer, elideFrom = ELIDE_MIN_BYTES): Promise<InboundMail> {
  const parsed = await parseMime(raw, elideFrom);
  const headers = rawHeaders(parsed.headerLines);

  let text = typeof parsed.text === 'string' ? parsed.text : '';
  if (text.trim() === '' && typeof parsed.html === 'string') text = htmlToPlainText(parsed.html);
  // Card numbers in a mail are masked before it is used or kept anywhere (domain/payment-cards.ts), its raw copy too.
  const clearText = normalizeText(text);
  text = withoutCardNumbers(clearText);
  const clearSubject = withoutForbiddenCharacters(parsed.subject ?? '').trim();
  const subject = withoutCardNumbers(clearSubject);
  const cards = text !== clearText || subject !== clearSubject || (typeof parsed.html === 'string' && maskPaymentCards(parsed.html).masked > 0);
  const storedRaw = cards ? await maskedCopy(raw, subject !== clearSubject ? subject : null, subject, text) : null;

  const attachments: InboundAttachment[] = [];
  for (const [i, a] of parsed.attachments.entries()) attachments.push(await toAttachment(a, i + 1));

  const fromAddress = addresses(parsed.from)[0];
  const dateHeader = headers.get('date');
  const date = dateHeader === undefined ? null : new Date(dateHeader.split('\n')[0]);

  return {
    messageId: headers.has('message-id') ? normalizeMessageId(headers.get('message-id')!.split('\n')[0]) : null,
    inReplyTo: idsIn(headers.get('in-reply-to')),
    references: idsIn(headers.get('references')),
    from: fromAddress ? { name: withoutForbiddenCharacters(fromAddress.name ?? '').trim(), address: fromAddress.address } : null,
    to: addresses(parsed.to).map((a) => a.address),
    cc: addresses(parsed.cc).map((a) => a.address),
    subject,
    text,
    date: date && !Number.isNaN(date.getTime()) ? date : null,
    headers,
    contentType: headers.get('content-type')?.split('\n')[0] ?? 'text/plain',
    attachments,
    bodyHash: bodyHash(text, attachments),
    rawSha256: sha256(storedRaw ?? raw),
    ...(storedRaw ? { storedRaw } : {}),
  };
}

function rawHeaders(lines: ReadonlyArray<{ key: string; line: string }>): Map<string, string> {
  const out = new Map<string, string>();
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    const value = withoutForbiddenCharacters((colon < 0 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' ')).trim();
    const name = key.toLowerCase();
    const prev = out.get(name);
    out.set(name, prev === undefined ? value : `${prev}\n${value}`);
  }
  return out;
}

/** Addresses of an address header, groups flattened, lower-cased, de-duplicated, in order. */
function addresses(field: AddressObject | AddressObject[] | undefined): { name: string; address: string }[] {
  if (!field) return [];
  const out: { name: string; address: string }[] = [];
  const seen = new Set<string>();
  const visit = (list: EmailAddress[]): void => {
    for (const a of list) {
      if (a.group) visit(a.group);
      const address = withoutForbiddenCharacters(a.address ?? '').trim().toLowerCase();
      if (!address || seen.has(address)) continue;
      seen.add(address);
      out.push({ name: a.name ?? '', address });
    }
  };
  for (const obj of Array.isArray(field) ? field : [field]) visit(obj.value);
  return out;
}

async function toAttachment(a: Attachment, index: number): Promise<InboundAttachment> {
  const content = Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content);
  const declaredType = (a.contentType || 'application/octet-stream').toLowerCase();
  const contentType = await sniffType(content, declaredType);
  const contentId = a.contentId ? normalizeContentId(a.contentId) : undefined;
  const attachment: InboundAttachment = {
    filename: safeFilename(a.filename ?? '', `attachment-${index}${extensionFor(contentType)}`),
    contentType,
    declaredType,
    size: content.length,
    content,
    sha256: /^[0-9a-f]{64}$/.test(a.checksum) && a.size === content.length ? a.checksum : sha256(content),
    inline: a.contentDisposition === 'inline' || a.related === true,
  };
  if (contentId) attachment.contentId = contentId;
  return attachment;
}

function normalizeContentId(cid: string): string | undefined {
  const bare = cid.trim().replace(/^<|>$/g, '').trim();
  return bare === '' ? undefined : bare;
}

/**
 * The type of an attachment by its content. A declared type that file-type knows how to
 * recognise but did not find is not believed (a text file named .pdf and declared
 * application/pdf is text/plain, not a PDF).
 */
async function sniffType(content: Buffer, declared: string): Promise<string> {
  const sniffed = await fileTypeFromBuffer(content);
  if (sniffed) {
    if (sniffed.mime === 'application/x-cfb' && CFB_TYPES.test(declared)) return declared;
    return sniffed.mime;
  }
  const declaredIsDetectable = (supportedMimeTypes as ReadonlySet<string>).has(declared);
  if (declared && declared !== 'application/octet-stream' && !declaredIsDetectable) return declared;
  if (declaredIsDetectable || declared === 'application/octet-stream') return looksLikeText(content) ? 'text/plain' : 'application/octet-stream';
  return 'application/octet-stream';
}

function looksLikeText(content: Buffer): boolean {
  if (content.length === 0) return false;
  try {
    const s = new TextDecoder('utf-8', { fatal: true }).decode(content);
    return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(s);
  } catch {
    return false;
  }
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/heic': '.heic',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/rfc822-headers': '.txt',
  'message/rfc822': '.eml',
  'message/delivery-status': '.txt',
  'application/zip': '.zip',
};

function extensionFor(type: string): string {
  return EXTENSIONS[type] ?? '';
}

function normalizeText(text: string): string {
  return withoutForbiddenCharacters(text)
    .replace(/\r\n?/g, '\n')
    // Trailing blanks of each line; the lookbehind keeps a long run of blanks inside a line from
    // being rescanned from each of its positions (quadratic: 200 KB of spaces took over 2 minutes).
    .replace(/(?<![ \t])[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function bodyHash(text: string, attachments: InboundAttachment[]): string {
  const h = createHash('sha256').update('text\0').update(text, 'utf8');
  for (const a of attachments) h.update('\0attachment\0').update(a.sha256);
  return h.digest('hex');
}

// ---------- HTML → plain text ----------

const DROPPED_ELEMENTS = ['script', 'style', 'head', 'title', 'template', 'noscript', 'iframe', 'object', 'svg', 'math', 'xml'];
const BLOCK_TAG_RE = /<\/?(?:p|div|tr|table|thead|tbody|tfoot|h[1-6]|ul|ol|dl|dt|dd|blockquote|pre|section|article|header|footer|nav|aside|main|figure|figcaption|address|center|form|fieldset|hr)\b(?:[^<>"']|"[^"]*"|'[^']*')*>/gi;
// A tag with quoted attributes that may contain '>'; comments, doctypes and processing instructions.
const TAG_RE = /<\/?[a-zA-Z][^\s/<>]*(?:[^<>"']|"[^"]*"|'[^']*')*>|<![^<>]*>|<\?[^<>]*>/g;

/** Plain text from an HTML body: line breaks for blocks, tags and script/style content dropped, entities decoded. */
export function htmlToPlainText(html: string): string {
  let s = html.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const el of DROPPED_ELEMENTS) {
    s = s.replace(new RegExp(`<${el}\\b[\\s\\S]*?(?:<\\/${el}\\s*>|$)`, 'gi'), ' ');
  }
  // Source white space is not a line break in HTML; only the markup below makes lines.
  s = s.replace(/\s+/g, ' ');
  s = s.replace(/<br\b(?:[^<>"']|"[^"]*"|'[^']*')*>/gi, '\n');
  s = s.replace(/<li\b(?:[^<>"']|"[^"]*"|'[^']*')*>/gi, '\n- ');
  s = s.replace(/<\/t[dh]\s*>/gi, '\t');
  s = s.replace(BLOCK_TAG_RE, '\n');
  s = s.replace(TAG_RE, '');
  // An unterminated tag at the end of a truncated body.
  s = s.replace(/<[a-zA-Z/!?][^<>]*$/, '');
  // What still opens a tag (halves joined by the removal, as in "<<b>script>", or a stray "<x"
  // a browser would also take for markup) loses its '<': the result must never read as markup.
  s = s.replace(/<(?=[a-zA-Z/!?])/g, '');
  s = decodeEntities(s);
  return s
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', shy: '',
  ensp: ' ', emsp: ' ', thinsp: ' ', zwnj: '', zwj: '', lrm: '', rlm: '',
  ndash: '–', mdash: '—', hellip: '…', bull: '•', middot: '·', lsquo: '‘', rsquo: '’', sbquo: '‚',
  ldquo: '“', rdquo: '”', bdquo: '„', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›',
  copy: '©', reg: '®', trade: '™', deg: '°', plusmn: '±', times: '×', divide: '÷', micro: 'µ',
  para: '¶', sect: '§', euro: '€', pound: '£', yen: '¥', cent: '¢', curren: '¤', iexcl: '¡', iquest: '¿',
  frac12: '½', frac14: '¼', frac34: '¾', sup1: '¹', sup2: '²', sup3: '³', ordf: 'ª', ordm: 'º',
  dagger: '†', Dagger: '‡', permil: '‰', prime: '′', Prime: '″', larr: '←', rarr: '→', uarr: '↑', darr: '↓',
  check: '✓', hearts: '♥', star: '☆', starf: '★',
  Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Auml: 'Ä', Aring: 'Å', AElig: 'Æ', Ccedil: 'Ç',
  Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Igrave: 'Ì', Iacute: 'Í', Icirc: 'Î', Iuml: 'Ï',
  ETH: 'Ð', Ntilde: 'Ñ', Ograve: 'Ò', Oacute: 'Ó', Ocirc: 'Ô', Otilde: 'Õ', Ouml: 'Ö', Oslash: 'Ø',
  Ugrave: 'Ù', Uacute: 'Ú', Ucirc: 'Û', Uuml: 'Ü', Yacute: 'Ý', THORN: 'Þ', szlig: 'ß',
  agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', aelig: 'æ', ccedil: 'ç',
  egrave: 'è', eacute: 'é', ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í', icirc: 'î', iuml: 'ï',
  eth: 'ð', ntilde: 'ñ', ograve: 'ò', oacute: 'ó', ocirc: 'ô', otilde: 'õ', ouml: 'ö', oslash: 'ø',
  ugrave: 'ù', uacute: 'ú', ucirc: 'û', uuml: 'ü', yacute: 'ý', thorn: 'þ', yuml: 'ÿ',
  Abreve: 'Ă', abreve: 'ă', Dstrok: 'Đ', dstrok: 'đ', Utilde: 'Ũ', utilde: 'ũ', Itilde: 'Ĩ', itilde: 'ĩ',
};

/** Decodes numeric and the common named character references; an unknown name is left as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      // NUL, surrogates and out-of-range code points become U+FFFD, as browsers do.
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[ref];
    return named === undefined ? whole : named;
  });
}

/**
 * The copy of a message that held card numbers, to keep: masked where they stand (redact-raw.ts), checked by
 * reading it back; where that leaves one readable (split across a soft line break, or between HTML tags), the
 * copy is rebuilt from the text as read, masked.
 */
async function maskedCopy(raw: Buffer, subjectToWrite: string | null, subject: string, text: string): Promise<Buffer> {
  const redacted = redactCardNumbers(raw, subjectToWrite);
  const check = await simpleParser(redacted ?? raw, PARSER_OPTIONS);
  const html = typeof check.html === 'string' ? check.html : '';
  const left = [check.text ?? '', check.subject ?? '', html, html ? htmlToPlainText(html) : ''].some((t) => maskPaymentCards(t).masked > 0);
  return left || !redacted ? rebuiltCopy(raw, subject, text) : redacted;
}

