import { withoutCardNumbers } from './payment-cards';

/** What a customer or clerk may upload as evidence, checked against the bytes, never the name or the declared type. */
export const UPLOAD_LIMITS = {
  maxFiles: 10,
  maxFileBytes: 10 * 1024 * 1024,
  /** Types recognised from content: scans and photos, PDFs. */
  allowedTypes: ['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/gif', 'image/tiff'] as readonly string[],
} as const;

export interface UploadCandidate {
  filename: string;
  size: number;
  /** The type sniffed from the first bytes, or null when not recognised. */
  sniffedType: string | null;
}

export type UploadProblem = { index: number; code: 'file_type_not_allowed' | 'file_too_large' | 'too_many_files' | 'empty_file' };

/** Every problem of a set of uploads; an empty list means all may be stored. */
export function checkUploads(files: readonly UploadCandidate[]): UploadProblem[] {
  const problems: UploadProblem[] = [];
  if (files.length > UPLOAD_LIMITS.maxFiles) problems.push({ index: UPLOAD_LIMITS.maxFiles, code: 'too_many_files' });
  files.forEach((f, index) => {
    if (f.size === 0) problems.push({ index, code: 'empty_file' });
    else if (f.size > UPLOAD_LIMITS.maxFileBytes) problems.push({ index, code: 'file_too_large' });
    else if (!f.sniffedType || !UPLOAD_LIMITS.allowedTypes.includes(f.sniffedType)) problems.push({ index, code: 'file_type_not_allowed' });
  });
  return problems;
}

/** A file of the complaint sent with a mail (an agent's reply), as the outbox keeps it until it is sent. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

/**
 * What one mail may carry: mail servers commonly refuse messages over 20–25 MB, and base64 makes the files a third
 * larger on the wire, so 15 MB of files (about 20 MB sent) leaves room for the text.
 */
export const MAIL_ATTACHMENT_LIMITS = { maxFiles: UPLOAD_LIMITS.maxFiles, maxTotalBytes: 15 * 1024 * 1024 } as const;

export type MailAttachmentProblem = { field: string; code: 'duplicate' | 'too_many_files' | 'attachments_too_large' | 'not_found' };

/**
 * The files an agent picked to send with a mail, checked against the complaint's own (`found`, by hash): each picked
 * once, each one of the complaint's files, at most 10 and 15 MB together. An empty list means they may go.
 */
export function checkMailAttachments(picked: readonly string[], found: ReadonlyMap<string, { size: number }>): MailAttachmentProblem[] {
  const problems: MailAttachmentProblem[] = [];
  if (picked.length > MAIL_ATTACHMENT_LIMITS.maxFiles) return [{ field: 'attachments', code: 'too_many_files' }];
  const seen = new Set<string>();
  let total = 0;
  picked.forEach((sha, i) => {
    if (seen.has(sha)) problems.push({ field: `attachments[${i}]`, code: 'duplicate' });
    else if (!found.has(sha)) problems.push({ field: `attachments[${i}]`, code: 'not_found' });
    else total += found.get(sha)!.size;
    seen.add(sha);
  });
  if (!problems.length && total > MAIL_ATTACHMENT_LIMITS.maxTotalBytes) problems.push({ field: 'attachments', code: 'attachments_too_large' });
  return problems;
}

const MAX_FILENAME_LENGTH = 200;

/**
 * A file name safe to store and offer for download: NFC, path separators and characters Windows
 * refuses made '_', card numbers masked (a photo of a card saved under its number; its '*' then '_'), no control, bidirectional-override or lone surrogate characters, no leading dots, at most 200 characters with
 * the extension kept; `fallback` when nothing usable is left. The one rule for
 * every file name Sen keeps: uploads from the portal and the console, and mail attachments.
 */
export function safeFilename(name: string, fallback = 'tep-dinh-kem'): string {
  let s = withoutCardNumbers(name.normalize('NFC'))
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[\\/:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s_]+/, '')
    // The lookbehind anchors the run at its start: without it a long run of ". . ." that does not
    // end the name is rescanned from every position (quadratic; 100 KB took 19 s).
    .replace(/(?<![.\s])[.\s]+$/, '');
  const chars = [...s];
  if (chars.length > MAX_FILENAME_LENGTH) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 16 ? [...s.slice(dot)] : [];
    s = chars.slice(0, MAX_FILENAME_LENGTH - ext.length).join('').trimEnd() + ext.join('');
  }
  return s === '' ? fallback : s;
}

/**
 * A web form filled by a person: the hidden honeypot field left empty, and at least a few seconds
 * between showing the form and sending it. Returns the field at fault, or null.
 */
export function looksAutomated(input: { website?: string; fillMs?: number }, minFillMs = 3000): 'website' | 'fillMs' | null {
  if (input.website && input.website.trim() !== '') return 'website';
  if (input.fillMs !== undefined && input.fillMs < minFillMs) return 'fillMs';
  return null;
}
