import { sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { inTransaction } from '../commands/transaction';
import type { Language } from '../domain/vocabulary';
import { DIGEST_AFTER_MS, WATCH_NOTICE_KINDS, type WatchNoticeKind } from '../domain/watch';
import { noticeDigestMail, type DigestNotice } from '../mail/notice-digest';
import { queueMail } from '../mail/outbox';
import { rolesWith } from '../policies';

/** Job `notices.digest`: mails each member the news of their complaints they left unread (thư tóm tắt), once. */
export interface NoticeDigestOptions {
  database: Database;
  baseUrl: string;
  mailDomain: string;
  now?: Date;
}

type Row = {
  id: number;
  staff_id: string;
  kind: WatchNoticeKind;
  payload: DigestNotice['payload'];
  name: string;
  email: string;
  language: Language;
  active: boolean;
  mail_digest: boolean;
  may_follow: boolean;
};

/** The roles whose complaint notices may be mailed: those who may follow a complaint, as in the timeline's tellWatchers. */
const WATCHER_ROLES = `{${rolesWith('complaint.note').join(',')}}`;

/**
 * Takes the complaint notices unread for DIGEST_AFTER_MS and not looked at yet (FOR UPDATE SKIP LOCKED: two Sen
 * processes never take the same one), and, in one transaction with marking them looked at, queues one mail per member
 * who wants them (active, mail digest on) listing theirs. A notice read in the app in time is never mailed; one of a
 * member who turned the digest off is marked and left.
 */
export async function runNoticeDigest(opts: NoticeDigestOptions): Promise<{ mails: number; notices: number }> {
  const now = opts.now ?? new Date();
  const before = new Date(now.getTime() - DIGEST_AFTER_MS).toISOString();
  const kinds = `{${WATCH_NOTICE_KINDS.join(',')}}`;
  return inTransaction(opts.database, async (tx) => {
    const rows = (
      await tx.execute<Row>(sql`
        select n.id, n.staff_id, n.kind, n.payload, s.name, s.email, s.language, s.active, s.mail_digest,
          s.role = any(${WATCHER_ROLES}::text[]) as may_follow
        from notifications n join staff_users s on s.id = n.staff_id
        where n.read_at is null and n.digested_at is null and n.kind = any(${kinds}::text[]) and n.created_at <= ${before}
        order by n.id limit 2000 for update of n skip locked`)
    ).rows;
    if (!rows.length) return { mails: 0, notices: 0 };
    const byStaff = new Map<string, Row[]>();
    for (const r of rows) byStaff.set(r.staff_id, [...(byStaff.get(r.staff_id) ?? []), r]);
    let mails = 0;
    for (const [, theirs] of byStaff) {
      const who = theirs[0];
      // A member since moved to a department or made an auditor (who may follow nothing) is mailed nothing either.
      if (!who.active || !who.mail_digest || !who.may_follow) continue;
      const mail = noticeDigestMail({
        to: who.email,
        staffName: who.name,
        notices: theirs.map((r) => ({ kind: r.kind, payload: r.payload })),
        baseUrl: opts.baseUrl,
        locale: who.language,
      });
      // The last notice's id names the digest: a retried run queues nothing twice.
      await queueMail(tx, mail, { dedupeKey: `digest:${who.staff_id}:${theirs[theirs.length - 1].id}`, domain: opts.mailDomain });
      mails += 1;
    }
    await tx.execute(sql`update notifications set digested_at = ${now.toISOString()} where id = any(${`{${rows.map((r) => r.id).join(',')}}`}::bigint[])`);
    return { mails, notices: rows.length };
  });
}
