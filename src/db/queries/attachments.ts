import { sql } from 'drizzle-orm';
import type { Database } from '../open';
import { toAppError } from '../errors';

export interface AttachmentRow {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: Date;
}

const toRow = (r: Record<string, unknown>): AttachmentRow => ({
  id: r.id as string,
  filename: r.filename as string,
  contentType: r.content_type as string,
  size: Number(r.size),
  sha256: r.sha256 as string,
  createdAt: new Date(r.created_at as string),
});

/** The evidence files of a complaint, oldest first. */
export async function listAttachments(database: Database, complaintId: string): Promise<AttachmentRow[]> {
  try {
    const r = await database.db.execute<Record<string, unknown>>(sql`
      select id, filename, content_type, size, sha256, created_at from attachments where complaint_id = ${complaintId} order by created_at, filename, id`);
    return r.rows.map(toRow);
  } catch (err) {
    throw toAppError(err);
  }
}

/** One file of a complaint by its hash, or null when the complaint has no such file. */
export async function findAttachment(database: Database, complaintId: string, sha256: string): Promise<AttachmentRow | null> {
  try {
    const r = await database.db.execute<Record<string, unknown>>(sql`
      select id, filename, content_type, size, sha256, created_at from attachments
      where complaint_id = ${complaintId} and sha256 = ${sha256} limit 1`);
    return r.rows[0] ? toRow(r.rows[0]) : null;
  } catch (err) {
    throw toAppError(err);
  }
}
