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

/** A file name safe to store and show: no path, no control characters, at most 200 characters. */
export function safeFilename(name: string): string {
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').replace(/^\.+/, '').trim();
  return (clean || 'tep-dinh-kem').slice(0, 200);
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
