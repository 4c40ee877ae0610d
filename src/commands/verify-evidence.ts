import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';
import { withoutCardNumbers } from '../domain/payment-cards';

export const VERIFICATION_STATUSES = ['verified', 'disputed'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export interface VerifyEvidenceOptions {
  database: Database;
  actor: Actor;
  code: string;
  sha256: string;
  status: VerificationStatus;
  note?: string;
  now?: Date;
}

/**
 * Xác minh chứng cứ — records that staff checked an evidence file (by its SHA-256) and found it
 * genuine or disputed it, with a note, who and when, and a timeline event. Recording the same
 * finding again changes nothing.
 */
export async function verifyEvidence(opts: VerifyEvidenceOptions): Promise<{ changed: boolean }> {
  if (!(VERIFICATION_STATUSES as readonly string[]).includes(opts.status)) {
    throw new AppError('validation_failed', { fields: [{ field: 'status', code: 'invalid_value' }] });
  }
  const note = withoutCardNumbers(opts.note?.trim() ?? '') || null;
  if (note && note.length > 2000) throw new AppError('validation_failed', { fields: [{ field: 'note', code: 'too_long' }] });
  if (!/^[0-9a-f]{64}$/.test(opts.sha256)) throw new AppError('not_found');
  return inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const at = opts.now ?? new Date();
    const files = (
      await tx.execute<{ filename: string; verification: string | null; verification_note: string | null }>(sql`
        select filename, verification, verification_note from attachments
        where complaint_id = ${c.id} and sha256 = ${opts.sha256} order by created_at for update`)
    ).rows;
    if (!files.length) throw new AppError('not_found');
    if (files.every((f) => f.verification === opts.status && (f.verification_note ?? null) === note)) return { changed: false };
    const previous = files[0].verification;
    // The same bytes listed twice (sent by mail and uploaded again) are one piece of evidence.
    await tx.execute(sql`
      update attachments set verification = ${opts.status}, verification_note = ${note},
        verified_by = ${opts.actor.kind === 'customer' || opts.actor.kind === 'system' ? null : opts.actor.id}, verified_at = ${at.toISOString()}
      where complaint_id = ${c.id} and sha256 = ${opts.sha256}`);
    await appendEvent(
      tx,
      c,
      opts.actor,
      opts.status === 'verified' ? 'evidence.verified' : 'evidence.disputed',
      { sha256: opts.sha256, filename: files[0].filename, status: opts.status, ...(note ? { note } : {}), previous },
      at,
    );
    return { changed: true };
  });
}
