import '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../domain/errors';
import { UPLOAD_LIMITS } from '../domain/uploads';
import { hasForbiddenCharacters } from '../domain/text';
import type { Upload } from '../commands/add-attachments';
import type { Database } from '../db/open';
import { findComplaintForContact, type ComplaintRow } from '../db/queries/complaints';

/**
 * Reads a multipart/form-data request: its text fields and its files, each file's type sniffed
 * from its bytes. Over-large files, too many files and over-long fields are field errors (422); more
 * parts or fields than the limits is 413; nothing is stored here.
 */
export async function readUploads(
  request: FastifyRequest,
  /** Runs once, on the fields sent before the first file (e.g. to check who is uploading before reading any bytes). */
  beforeFiles?: (fields: Record<string, string>) => Promise<void>,
): Promise<{ fields: Record<string, string>; uploads: Upload[] }> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type');
  const fields: Record<string, string> = {};
  const uploads: Upload[] = [];
  let checking = false;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (typeof part.value !== 'string') continue;
        // Busboy cuts a value longer than the fieldSize limit: never keep half of what was typed.
        if (part.valueTruncated) throw new AppError('validation_failed', { fields: [{ field: part.fieldname, code: 'too_long' }] });
        if (hasForbiddenCharacters(part.value) || hasForbiddenCharacters(part.fieldname)) {
          throw new AppError('validation_failed', { fields: [{ field: part.fieldname, code: 'invalid_characters' }] });
        }
        fields[part.fieldname] = part.value.normalize('NFC');
        continue;
      }
      if (beforeFiles && uploads.length === 0) {
        checking = true;
        await beforeFiles(fields);
        checking = false;
      }
      const content = await part.toBuffer();
      const sniffed = await fileTypeFromBuffer(content);
      uploads.push({ filename: part.filename || 'tep-dinh-kem', content, sniffedType: sniffed?.mime ?? null });
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('validation_failed', { fields: [{ field: `files[${uploads.length}]`, code: 'file_too_large' }] });
    }
    // More parts or text fields than any form of Sen sends: the body is too large (413), nothing is kept.
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new AppError('payload_too_large');
    if (code === 'FST_FILES_LIMIT') {
      throw new AppError('validation_failed', { fields: [{ field: `files[${UPLOAD_LIMITS.maxFiles}]`, code: 'too_many_files' }] });
    }
    // The check's own answer (not found, database unavailable) stands; anything else came from reading
    // the body: a broken multipart stream ("Unexpected end of form", a malformed part header) is the sender's.
    if (checking || err instanceof AppError) throw err;
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 413) throw err;
    throw new AppError('malformed_multipart');
  }
  return { fields, uploads };
}

/**
 * A customer's multipart request on their complaint: the `contact` field (the phone or email the
 * complaint was filed with) must come before the files, and a stranger is turned away before any
 * file is read. Returns the complaint as the contact sees it, with the fields and files.
 */
export async function readCustomerUploads(
  request: FastifyRequest,
  database: Database,
  code: string,
): Promise<{ row: ComplaintRow; fields: Record<string, string>; uploads: Upload[] }> {
  let row: ComplaintRow | null = null;
  const check = async (f: Record<string, string>) => {
    row ??= f.contact ? await findComplaintForContact(database, code, f.contact) : null;
    if (!row) throw new AppError('complaint_not_found');
  };
  const { fields, uploads } = await readUploads(request, check);
  await check(fields);
  return { row: row!, fields, uploads };
}
