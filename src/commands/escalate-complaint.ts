import { randomUUID } from 'node:crypto';
import { keptCopyKind } from '../channels/email/redact-raw';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { findAuthority, findEscalation, loadDossierData, type EscalationRow } from '../db/queries/resolution';
import { loadSlaContext } from '../db/queries/settings';
import { renderDossierPdf, dossierOriginals } from '../documents/dossier';
import { buildDossierZip, GENERATOR, type DossierFile } from '../documents/dossier-zip';
import { AppError } from '../domain/errors';
import { checkTransition } from '../domain/lifecycle';
import type { FileStore } from '../files/store';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { changeStatus, customerOf, queueCustomerMail, staffId, withdrawOpenProposals, type CustomerMailSettings } from './propose-resolution';
import { escalationMail, type EscalationMail } from '../mail/escalation';
import { mailedStatusUrlOf } from './create-complaint';
import type { SlaContext } from '../db/queries/settings';
import type { Tx } from './transaction';
import { cancelOpenInformationRequests } from './request-information';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';
import { loadDossierNames } from '../db/queries/dossier-names';
import { withoutCardNumbers } from '../domain/payment-cards';

export interface EscalateComplaintOptions {
  database: Database;
  files: FileStore;
  /** A supervisor or an admin: the lifecycle says who may escalate. */
  actor: Actor & { name?: string };
  code: string;
  /** An authority of the directory, or (not both) the name of one that is not in it. */
  authorityId?: string;
  authorityName?: string;
  reason: string;
  company: { name: string };
  /** Where the customer's mail points them; without it (a script), no mail. */
  mail?: CustomerMailSettings;
  now?: Date;
}

/**
 * Tells the customer of a step of the escalation by email (when they have one), queued in the caller's transaction
 * once per escalation and step: sent to the authority, taken by it, decided.
 */
export async function mailEscalationStep(
  tx: Tx,
  m: { complaintId: string; code: string; escalationId: string; authorityName: string; settings: CustomerMailSettings; sla: SlaContext; at: Date } & Pick<
    EscalationMail,
    'step' | 'handedOverAt' | 'referenceNo' | 'outcome' | 'outcomeAt'
  >,
): Promise<void> {
  const customer = await customerOf(tx, m.complaintId);
  if (!customer.email) return;
  const message = escalationMail({
    to: customer.email,
    customerName: customer.name,
    code: m.code,
    subject: customer.subject,
    authorityName: m.authorityName,
    step: m.step,
    handedOverAt: m.handedOverAt,
    referenceNo: m.referenceNo,
    outcome: m.outcome,
    outcomeAt: m.outcomeAt,
    statusUrl: mailedStatusUrlOf(m.settings.baseUrl, m.code, customer.email, m.at, m.sla, customer.language),
    companyName: m.settings.companyName,
    locale: customer.language,
  });
  await queueCustomerMail(tx, m.complaintId, message, `escalation:${m.escalationId}:${m.step}`, m.settings.baseUrl);
}

/**
 * Chuyển cơ quan có thẩm quyền — escalates a complaint the parties could not settle to a competent
 * authority (Sở Công Thương, a consumer association, mediation, arbitration, court). In one
 * transaction: the dossier is generated from the complaint as it stands (PDF in Vietnamese, ZIP of
 * every original file with a manifest of SHA-256 hashes), both are stored by hash, the escalation
 * is recorded with both hashes, open proposals are withdrawn, and the complaint becomes `escalated`.
 */
export async function escalateComplaint(opts: EscalateComplaintOptions): Promise<EscalationRow> {
  const reason = withoutCardNumbers(opts.reason.trim());
  const byId = opts.authorityId?.trim() || null;
  const byName = opts.authorityName?.trim() || null;
  if (!!byId === !!byName) {
    throw new AppError('validation_failed', { fields: [{ field: byId ? 'authorityName' : 'authorityId', code: 'one_of_required' }] });
  }
  const sla = await loadSlaContext(opts.database);
  const ids = await inTransaction(opts.database, async (tx) => {
    const c = await lockComplaint(tx, opts.code);
    const check = checkTransition(c.status, 'escalated', opts.actor.kind, reason);
    if (!check.ok) {
      if (check.reason === 'reason_required') throw new AppError('validation_failed', { fields: [{ field: 'reason', code: 'reason_required' }] });
      throw new AppError(check.reason, { allowed: check.allowed });
    }
    const authority = byId ? await findAuthority(tx, byId) : null;
    if (byId && (!authority || !authority.active)) throw new AppError('validation_failed', { fields: [{ field: 'authorityId', code: 'not_found' }] });
    const authorityName = authority?.name ?? byName!;
    const at = opts.now ?? new Date();
    const escalationId = randomUUID();

    // The dossier shows the complaint as it stands now, read under the row lock.
    const loaded = await loadDossierData(tx, c.id);
    // Each email's copy is read once: the ZIP carries it, and the dossier says whether it was masked.
    const mailCopies = new Map<string, Buffer>();
    for (const m of loaded.inboundMail) if (m.rawSha256 && !mailCopies.has(m.rawSha256)) mailCopies.set(m.rawSha256, await opts.files.get(m.rawSha256));
    const data = {
      ...loaded,
      inboundMail: loaded.inboundMail.map((m) => (m.rawSha256 ? { ...m, keptAs: keptCopyKind(mailCopies.get(m.rawSha256)!) } : m)),
    };
    const pdf = await renderDossierPdf({
      data,
      company: opts.company,
      escalation: {
        id: escalationId,
        authority: { name: authorityName, kind: authority?.kind ?? null, province: authority?.province, address: authority?.address },
        reason,
        by: opts.actor.name ?? null,
      },
      generatedAt: at,
      generator: GENERATOR,
      names: await loadDossierNames(tx, data.events),
    });
    const originals: DossierFile[] = [];
    for (const f of dossierOriginals(data)) {
      originals.push({ kind: f.kind, name: f.name, contentType: f.contentType, bytes: mailCopies.get(f.sha256) ?? (await opts.files.get(f.sha256)) });
    }
    const { zip } = buildDossierZip({ complaintCode: c.code, escalationId, authority: authorityName, generatedAt: at, pdf, files: originals });
    const storedPdf = await opts.files.put(pdf);
    const storedZip = await opts.files.put(zip);

    await tx.execute(sql`
      insert into escalations (id, complaint_id, authority_id, authority_name, reason, dossier_pdf_sha256, dossier_zip_sha256, created_by, created_at)
      values (${escalationId}, ${c.id}, ${authority?.id ?? null}, ${authorityName}, ${reason}, ${storedPdf.sha256}, ${storedZip.sha256},
              ${staffId(opts.actor)}, ${at.toISOString()})`);
    let head = await withdrawOpenProposals(tx, c, opts.actor, at, 'complaint_escalated');
    head = await cancelOpenInformationRequests(tx, head, opts.actor, at, 'complaint_escalated');
    head = await appendEvent(
      tx,
      head,
      opts.actor,
      'escalation.created',
      {
        escalationId,
        authority: { id: authority?.id ?? null, name: authorityName, kind: authority?.kind ?? null },
        reason,
        dossierZipSha256: storedZip.sha256,
        dossierPdfSha256: storedPdf.sha256,
        dossierZipSize: storedZip.size,
        dossierPdfSize: storedPdf.size,
      },
      at,
    );
    await changeStatus(tx, { head, complaint: c, to: 'escalated', actor: opts.actor, at, sla, reason });
    if (opts.mail) {
      await mailEscalationStep(tx, { complaintId: c.id, code: c.code, escalationId, authorityName, settings: opts.mail, sla, at, step: 'escalated' });
    }
    return { complaintId: c.id, escalationId };
  });
  const escalation = await findEscalation(opts.database, ids.complaintId, ids.escalationId);
  if (!escalation) throw new AppError('internal');
  return escalation;
}
