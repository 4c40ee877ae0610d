import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import type { FileStore } from '../files/store';
import { AppError, type FieldError } from '../domain/errors';
import { checkUploads, safeFilename } from '../domain/uploads';
import { takesCustomerMessages } from '../domain/lifecycle';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';

export interface Upload {
  filename: string;
  content: Buffer;
  /** Sniffed from the bytes by the caller (file-type), or null. */
  sniffedType: string | null;
}

/**
 * Thêm tài liệu — stores evidence files on a complaint (scanned documents at the office, photos
 * from the customer). All files are checked first: one refused file refuses the whole upload and
 * nothing is recorded, and a complaint that no longer takes files stores none; the bytes are stored by
 * hash before the database lists them.
 */
export async function addAttachments(opts: {
  database: Database;
  files: FileStore;
  actor: Actor;
  code: string;
  uploads: Upload[];
  /** Customers may add files only while the complaint is open. */
  requireOpen?: boolean;
}): Promise<{ filename: string; contentType: string; size: number; sha256: string }[]> {
  if (!opts.uploads.length) throw new AppError('validation_failed', { fields: [{ field: 'files', code: 'required' }] });
  const problems = checkUploads(opts.uploads.map((u) => ({ filename: u.filename, size: u.content.length, sniffedType: u.sniffedType })));
  if (problems.length) {
    const fields: FieldError[] = problems.map((p) => ({ field: `files[${p.index}]`, code: p.code }));
    throw new AppError('validation_failed', { fields });
  }
  const stored: { filename: string; contentType: string; size: number; sha256: string }[] = [];
  await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    if (opts.requireOpen && !takesCustomerMessages(c.status)) throw new AppError('complaint_closed');
    // Only once accepted: the bytes go to disk (by hash) before the database lists them.
    stored.length = 0;
    for (const u of opts.uploads) {
      const { sha256, size } = await opts.files.put(u.content);
      stored.push({ filename: safeFilename(u.filename), contentType: u.sniffedType!, size, sha256 });
    }
    const head = await appendEvent(tx, c, opts.actor, 'attachments.added', { attachments: stored });
    for (const f of stored) {
      await tx.execute(sql`
        insert into attachments (complaint_id, event_id, filename, content_type, size, sha256)
        values (${c.id}, ${head.eventCount}, ${f.filename}, ${f.contentType}, ${f.size}, ${f.sha256})`);
    }
  });
  return stored;
}
