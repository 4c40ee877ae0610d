import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { AppError } from '../domain/errors';
import { normalizeProvince } from '../domain/provinces';
import type { Priority } from '../domain/schemas';
import type { Language, VulnerableGroup } from '../domain/vocabulary';
import { priorityFor } from '../domain/vulnerability';
import type { Actor } from './actor';
import { lockComplaint } from './load';
import { appendEvent } from './timeline';
import { inTransaction } from './transaction';
import { requireUsableCategory } from './manage-categories';
import { withoutCardNumbers } from '../domain/payment-cards';
import { correctComplaintText } from '../domain/corrections';
import { nationalPhone } from '../domain/contacts';
import { complaintSearchText } from '../domain/search-text';

/**
 * Phân loại — changes a complaint's category, priority, product, the customer's province and/or the language Sen writes
 * to them in, one event per change;
 * and corrects its subject, description or order number (one `complaint.corrected` event with the old and new
 * values; the search text follows, so the corrected text is found and the old one no longer).
 */
export async function updateComplaint(opts: {
  database: Database;
  actor: Actor;
  code: string;
  categoryId?: string | null;
  priority?: Priority;
  product?: string | null;
  /** The customer's province on this complaint (any usual spelling of one of the 34); null clears it. */
  customerProvince?: string | null;
  subject?: string;
  description?: string;
  /** Empty or null removes it. */
  orderRef?: string | null;
  /** The consumer's vulnerable group (Art. 8); null clears it. Setting one raises the priority to at least high. */
  vulnerableGroup?: VulnerableGroup | null;
  /** The language Sen writes to the customer in from now on (mails, status link, printed receipt). */
  language?: Language;
}): Promise<void> {
  const provinceRaw = opts.customerProvince?.trim() || null;
  const province = provinceRaw ? normalizeProvince(provinceRaw) : null;
  if (provinceRaw && !province) throw new AppError('validation_failed', { fields: [{ field: 'customerProvince', code: 'province_unknown' }] });
  await inTransaction(opts.database, async (tx) => {
    let head = await lockComplaint(tx, opts.code);
    const c = head;
    if (opts.subject !== undefined || opts.description !== undefined || opts.orderRef !== undefined) {
      const r = await tx.execute<{ subject: string; description: string; order_ref: string | null; phone_e164: string | null; email: string | null }>(sql`
        select k.subject, k.description, k.order_ref, cu.phone_e164, cu.email
        from complaints k join customers cu on cu.id = k.customer_id where k.id = ${c.id}`);
      const now = r.rows[0];
      const { next, changes } = correctComplaintText({ subject: now.subject, description: now.description, orderRef: now.order_ref }, opts);
      if (Object.keys(changes).length) {
        const searchText = complaintSearchText({
          code: c.code,
          subject: next.subject,
          description: next.description,
          phoneE164: now.phone_e164,
          phoneNational: now.phone_e164 ? nationalPhone(now.phone_e164) : null,
          email: now.email,
          orderRef: next.orderRef,
        });
        await tx.execute(sql`
          update complaints set subject = ${next.subject}, description = ${next.description}, order_ref = ${next.orderRef}, search_text = ${searchText}
          where id = ${c.id}`);
        head = { ...c, ...(await appendEvent(tx, head, opts.actor, 'complaint.corrected', { changes })) };
      }
    }
    if (opts.categoryId !== undefined && opts.categoryId !== c.categoryId) {
      if (opts.categoryId) await requireUsableCategory(tx, opts.categoryId);
      await tx.execute(sql`update complaints set category_id = ${opts.categoryId} where id = ${c.id}`);
      head = { ...c, ...(await appendEvent(tx, head, opts.actor, 'category.changed', { from: c.categoryId, to: opts.categoryId })) };
    }
    const group = (await tx.execute<{ g: VulnerableGroup | null }>(sql`select vulnerable_group as g from complaints where id = ${c.id}`)).rows[0].g;
    const groupAfter = opts.vulnerableGroup !== undefined ? opts.vulnerableGroup : group;
    if (groupAfter !== group) {
      await tx.execute(sql`update complaints set vulnerable_group = ${groupAfter} where id = ${c.id}`);
      head = { ...c, ...(await appendEvent(tx, head, opts.actor, 'vulnerability.changed', { from: group, to: groupAfter })) };
    }
    // A vulnerable consumer's complaint stays at least high (Art. 8), whatever priority was asked for with it.
    const priority = priorityFor(opts.priority ?? (c.priority as Priority), groupAfter);
    if (priority !== c.priority) {
      await tx.execute(sql`update complaints set priority = ${priority} where id = ${c.id}`);
      const raised = priority !== (opts.priority ?? c.priority);
      head = { ...c, ...(await appendEvent(tx, head, opts.actor, 'priority.changed', { from: c.priority, to: priority, ...(raised ? { reason: 'vulnerable' } : {}) })) };
    }
    if (opts.product !== undefined) {
      const product = withoutCardNumbers(opts.product?.trim() ?? '').slice(0, 200) || null;
      const old = (await tx.execute<{ product: string | null }>(sql`select product from complaints where id = ${c.id}`)).rows[0].product;
      if (product !== old) {
        await tx.execute(sql`update complaints set product = ${product} where id = ${c.id}`);
        head = { ...c, ...(await appendEvent(tx, head, opts.actor, 'product.changed', { from: old, to: product })) };
      }
    }
    if (opts.customerProvince !== undefined) {
      const old = (await tx.execute<{ p: string | null }>(sql`select customer_province as p from complaints where id = ${c.id}`)).rows[0].p;
      if (province !== old) {
        await tx.execute(sql`update complaints set customer_province = ${province} where id = ${c.id}`);
        head = { ...c, ...(await appendEvent(tx, head, opts.actor, 'customer_province.changed', { from: old, to: province })) };
      }
    }
    if (opts.language !== undefined) {
      const old = (await tx.execute<{ l: Language }>(sql`select language as l from complaints where id = ${c.id}`)).rows[0].l;
      if (opts.language !== old) {
        await tx.execute(sql`update complaints set language = ${opts.language} where id = ${c.id}`);
        head = { ...c, ...(await appendEvent(tx, head, opts.actor, 'language.changed', { from: old, to: opts.language })) };
      }
    }
  });
}
