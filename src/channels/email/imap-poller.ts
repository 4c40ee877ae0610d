/**
 * Hộp thư IMAP — polls a mailbox Sen does not host itself (the company's existing cskh@ account)
 * and hands each new message to the same intake as the SMTP listener. Where it is in the mailbox
 * (UIDVALIDITY, last UID) and which process may read it (a lease) live in `imap_state`, so any
 * number of Sen processes may poll the same mailbox and each message is imported once.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { ImapFlow, type FetchMessageObject } from 'imapflow';
import type { Database } from '../../db/open';
import { logSafeMessage } from '../../db/errors';
import type { FileStore } from '../../files/store';
import type { ReceiptSettings } from '../../commands/create-complaint';
import { receiveEmail, setAsideMail, type EmailOutcome } from '../../commands/receive-email';
import { normalizeMessageId } from '../../domain/mail-threading';
import { parseMail } from './parse-pool';
import { streamHoldsCardNumbers } from './parse';
import { withoutCardNumbers } from '../../domain/payment-cards';

export interface PollMailboxOptions {
  database: Database;
  files: FileStore;
  /** imap://user:pass@host:port/INBOX (STARTTLS when offered) or imaps://…; user and password URL-encoded; no path is INBOX. */
  imapUrl: string;
  receipt: ReceiptSettings;
  /** This process's id, the holder of the mailbox lease. */
  owner: string;
  /** The keyword set on imported mail besides \Seen; default $SenImported. */
  processedFlag?: string;
  /** A folder to move imported mail to (created when missing); unset, the mail stays where it is, flagged. */
  moveTo?: string;
  /**
   * Messages larger than this (bytes, as the server reports) are not parsed: stored as they are and
   * filed in the "not a complaint" log for an agent, as Sen's SMTP listener refuses them. Default 25 MB.
   */
  maxBytes?: number;
  log?: (msg: string) => void;
  /** Ends the round after the message in hand. */
  signal?: AbortSignal;
}

export interface PollResult {
  /** Messages stored by this round: new complaints, replies threaded, and mail filed as not a complaint. */
  imported: number;
  /** Messages receiveEmail recognised as stored before (a re-read after a crash or a UIDVALIDITY change). */
  skipped: number;
}

interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  path: string;
  /** The `imap_state` key: the URL without the password. */
  key: string;
}

const LEASE = sql`interval '2 minutes'`;
const BATCH = 20;
const DEFAULT_FLAG = '$SenImported';
const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

/**
 * One polling round: takes the mailbox's lease (or returns at once when another process holds it),
 * imports every message with a UID above the stored one in UID order, marks each, and records its
 * UID only after it is stored. A lost connection or a database fault rejects; the next round goes on
 * from the last recorded UID, and a message stored but not recorded is recognised and not stored twice.
 */
export async function pollMailbox(opts: PollMailboxOptions): Promise<PollResult> {
  const target = parseImapUrl(opts.imapUrl);
  try {
    return await pollRound(opts, target);
  } catch (err) {
    // The caller logs one line: it names the mailbox.
    throw new Error(`imap ${target.key}: ${logSafeMessage(err)}`, { cause: err });
  }
}

async function pollRound(opts: PollMailboxOptions, target: ImapTarget): Promise<PollResult> {
  const log = opts.log ?? (() => {});
  if (opts.signal?.aborted) return { imported: 0, skipped: 0 };
  const state = await takeLease(opts.database, target.key, opts.owner);
  if (!state) {
    log(`imap ${target.key}: another process holds the lease, round skipped`);
    return { imported: 0, skipped: 0 };
  }
  const client = new ImapFlow({
    host: target.host,
    port: target.port,
    secure: target.secure,
    auth: { user: target.user, pass: target.pass },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
  // Without a listener a dropped socket would be an uncaught 'error'; the pending command rejects instead.
  client.on('error', (err: unknown) => log(`imap ${target.key}: ${err instanceof Error ? err.message : String(err)}`));
  try {
    await client.connect();
    const mailbox = await client.mailboxOpen(target.path);
    const uidValidity = Number(mailbox.uidValidity);
    let lastUid = state.lastUid;
    if (state.uidValidity !== uidValidity) {
      // The UIDs now name other messages: read everything again; receiveEmail recognises what it has.
      if (state.uidValidity !== null) log(`imap ${target.key}: UIDVALIDITY ${state.uidValidity} → ${uidValidity}, reading the mailbox again`);
      lastUid = 0;
      await recordProgress(opts.database, target.key, opts.owner, { uidValidity, lastUid });
    }
    if (opts.moveTo) await ensureMailbox(client, opts.moveTo);

    const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
    if (found === false || found === undefined) throw new Error('the server refused to list new messages');
    // `n:*` always includes the highest UID, even when it is below n.
    const uids = found.filter((uid) => uid > lastUid).sort((a, b) => a - b);

    const result: PollResult = { imported: 0, skipped: 0 };
    const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    for (let i = 0; i < uids.length && !opts.signal?.aborted; i += BATCH) {
      const batch = uids.slice(i, i + BATCH);
      // Sizes first: a message over the limit is streamed to disk, never held in memory whole.
      const heads = await client.fetchAll(batch.join(','), { uid: true, size: true, envelope: true }, { uid: true });
      const small = heads.filter((m) => (m.size ?? 0) <= maxBytes).map((m) => m.uid);
      const sources = new Map((small.length ? await client.fetchAll(small.join(','), { uid: true, source: true }, { uid: true }) : []).map((m) => [m.uid, m]));
      heads.sort((a, b) => a.uid - b.uid);
      for (const message of heads) {
        if (opts.signal?.aborted) break;
        const full = sources.get(message.uid);
        const r = await (full ? importMessage(client, full, opts) : setAsideOversized(client, message, opts, maxBytes)).catch((err: unknown) => {
          throw new Error(`UID ${message.uid}: ${logSafeMessage(err)}`, { cause: err });
        });
        if (r.outcome === 'duplicate') result.skipped++;
        else result.imported++;
        await recordProgress(opts.database, target.key, opts.owner, { uidValidity, lastUid: message.uid });
        log(`imap ${target.key}: UID ${message.uid} ${r.outcome}${'code' in r && r.code ? ` ${r.code}` : ''}`);
      }
    }
    await client.logout();
    return result;
  } finally {
    if (!client.isClosed) client.close();
    // Best effort: when the database is down the lease simply runs out.
    await releaseLease(opts.database, target.key, opts.owner).catch(() => {});
  }
}

/** Reads an imap:// or imaps:// URL; throws on anything else. */
export function parseImapUrl(imapUrl: string): ImapTarget {
  const url = URL.canParse(imapUrl) ? new URL(imapUrl) : null;
  if (!url || (url.protocol !== 'imap:' && url.protocol !== 'imaps:') || !url.hostname || !url.username) {
    throw new Error('IMAP_URL must look like imap://user:password@host:port/INBOX or imaps://…');
  }
  const secure = url.protocol === 'imaps:';
  const port = url.port ? Number(url.port) : secure ? 993 : 143;
  const user = decodeURIComponent(url.username);
  const path = decodeURIComponent(url.pathname.replace(/^\/+/, '')) || 'INBOX';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    secure,
    user,
    pass: decodeURIComponent(url.password),
    path,
    key: `${url.protocol}//${user}@${url.hostname}:${port}/${path}`,
  };
}

/** The mailbox's row, leased to `owner` for two minutes; null when another live process holds it. */
async function takeLease(database: Database, key: string, owner: string): Promise<{ uidValidity: number | null; lastUid: number } | null> {
  await database.db.execute(sql`insert into imap_state (mailbox) values (${key}) on conflict (mailbox) do nothing`);
  const r = await database.db.execute<{ uid_validity: string | number | null; last_uid: string | number }>(sql`
    update imap_state set lease_owner = ${owner}, lease_until = now() + ${LEASE}, updated_at = now()
    where mailbox = ${key} and (lease_owner is null or lease_owner = ${owner} or lease_until < now())
    returning uid_validity, last_uid`);
  const row = r.rows[0];
  if (!row) return null;
  return { uidValidity: row.uid_validity === null ? null : Number(row.uid_validity), lastUid: Number(row.last_uid) };
}

/** Records where the round is and renews the lease; throws when another process took the mailbox over. */
async function recordProgress(database: Database, key: string, owner: string, at: { uidValidity: number; lastUid: number }): Promise<void> {
  const r = await database.db.execute(sql`
    update imap_state set uid_validity = ${at.uidValidity}, last_uid = ${at.lastUid}, lease_until = now() + ${LEASE}, updated_at = now()
    where mailbox = ${key} and lease_owner = ${owner}
    returning mailbox`);
  if (!r.rows.length) throw new Error('lease lost to another process, round stopped');
}

async function releaseLease(database: Database, key: string, owner: string): Promise<void> {
  await database.db.execute(sql`
    update imap_state set lease_owner = null, lease_until = null, updated_at = now() where mailbox = ${key} and lease_owner = ${owner}`);
}

/** Stores one message through the common intake, then marks it imported in the mailbox. */
async function importMessage(client: ImapFlow, message: FetchMessageObject, opts: PollMailboxOptions): Promise<EmailOutcome> {
  if (!message.source) throw new Error('the server sent no content');
  const mail = await parseMail(message.source);
  // No SMTP envelope over IMAP: the Return-Path header the delivering server added stands in for it.
  const r = await receiveEmail({ database: opts.database, files: opts.files, raw: message.source, mail, envelopeFrom: undefined, receipt: opts.receipt });
  await markImported(client, message.uid, opts);
  return r;
}

/**
 * A message over the size limit: its bytes streamed to the file store's temporary folder, read there as a stream
 * for payment card numbers, and kept as they are — or, when they hold card numbers, as the masked copy an
 * ordinary mail gets (parse.ts: read whole for that, which only such a rare mail is); then filed in the "not a
 * complaint" log with what the server's envelope says of it (its subject masked too), and marked like any other.
 */
async function setAsideOversized(client: ImapFlow, message: FetchMessageObject, opts: PollMailboxOptions, maxBytes: number): Promise<EmailOutcome> {
  const download = await client.download(String(message.uid), undefined, { uid: true });
  if (!download.content) throw new Error('the server sent no content');
  const staged = await opts.files.stage(download.content);
  let stored: { sha256: string; size: number };
  try {
    if (await streamHoldsCardNumbers(createReadStream(staged.path))) {
      const mail = await parseMail(await readFile(staged.path));
      stored = mail.storedRaw ? await opts.files.put(mail.storedRaw) : await staged.keep();
      await staged.discard();
    } else stored = await staged.keep();
  } catch (err) {
    await staged.discard();
    throw err;
  }
  const env = message.envelope;
  const from = env?.from?.[0]?.address?.trim().toLowerCase() || null;
  const r = await setAsideMail(opts.database, {
    kind: 'too_large',
    reason: `${staged.size} bytes, over the limit of ${maxBytes}`,
    from,
    subject: withoutCardNumbers((env?.subject ?? '').normalize('NFC').trim()),
    messageId: env?.messageId ? normalizeMessageId(env.messageId) : null,
    // The bytes as received name it: the same mail delivered again is recognised, whichever copy was kept.
    bodyHash: `raw:${staged.sha256}`,
    rawSha256: stored.sha256,
    excerpt: '',
  });
  await markImported(client, message.uid, opts);
  return r;
}

/** Flags the message \Seen plus Sen's keyword, then moves it when a folder is set. */
async function markImported(client: ImapFlow, uid: number, opts: PollMailboxOptions): Promise<void> {
  const flagged = await client.messageFlagsAdd(String(uid), ['\\Seen', opts.processedFlag ?? DEFAULT_FLAG], { uid: true });
  // imapflow answers false both when the server said no and when the connection went away meanwhile.
  if (!flagged) throw new Error(client.usable ? 'the server refused to flag it as imported' : 'Connection not available');
  if (!opts.moveTo) return;
  const moved = await client.messageMove(String(uid), opts.moveTo, { uid: true });
  if (!moved) throw new Error(`the server refused to move it to ${opts.moveTo}`);
}

async function ensureMailbox(client: ImapFlow, path: string): Promise<void> {
  const existing = await client.list();
  if (existing.some((m) => m.path === path)) return;
  await client.mailboxCreate(path);
}
