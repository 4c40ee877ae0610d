import { mkdir, readFile } from 'node:fs/promises';
import { appendLines } from './append-lines';
import path from 'node:path';
import { ERASURE_LEDGER, listBackups } from '../db/backup';

/**
 * The erasure ledger: one line per customer whose personal data was erased — their id, when, and why; never
 * anything about them. It lives beside the database, not in it (`DATA_DIR/erasures.jsonl`), and a copy is
 * kept in every backup and appended to when a customer is erased after that backup was made, because
 * restoring a backup brings back the database as it was: without the ledger, the data of everyone erased
 * since would come back with it. When Sen starts, it erases again whoever the ledger names and the
 * database does not show as erased (reapplyErasures).
 */
export interface ErasureEntry {
  customerId: string;
  at: string;
  reason: 'request' | 'retention';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const ledgerPath = (dir: string) => path.join(dir, ERASURE_LEDGER);

/**
 * The entries of a ledger's text. A line that is not a whole entry (the last one, cut short by a crash
 * while it was written) is skipped; an id may stand more than once (erased again after a restore).
 */
export function parseErasureLedger(text: string): ErasureEntry[] {
  const out: ErasureEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as Partial<ErasureEntry>;
      if (typeof e.customerId === 'string' && UUID.test(e.customerId) && typeof e.at === 'string' && !Number.isNaN(Date.parse(e.at))) {
        out.push({ customerId: e.customerId, at: e.at, reason: e.reason === 'retention' ? 'retention' : 'request' });
      }
    } catch {
      /* a torn line */
    }
  }
  return out;
}

export async function readErasureLedger(dir: string): Promise<ErasureEntry[]> {
  const text = await readFile(ledgerPath(dir), 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : Promise.reject(err)));
  return parseErasureLedger(text);
}

const lines = (entries: ErasureEntry[]) => entries.map((e) => JSON.stringify({ customerId: e.customerId, at: e.at, reason: e.reason }));

/**
 * Writes erasures to the data folder's ledger (on disk before this returns), then to the ledger of every
 * backup in DATA_DIR/backups. The data folder's ledger is written first: a backup made meanwhile copies it
 * after it is whole (createBackup), so an erasure is in every backup it is not already in the database of.
 * A backup whose ledger cannot be written is named in `backupsFailed` (its restore would bring the data back).
 */
export async function recordErasures(dataDir: string, entries: ErasureEntry[]): Promise<{ backupsFailed: string[] }> {
  if (!entries.length) return { backupsFailed: [] };
  const text = lines(entries);
  await mkdir(dataDir, { recursive: true });
  await appendLines(ledgerPath(dataDir), text);
  const backupsFailed: string[] = [];
  for (const b of await listBackups(dataDir)) {
    await appendLines(ledgerPath(b.dir), text).catch(() => backupsFailed.push(b.name));
  }
  return { backupsFailed };
}
