import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { parseInboundMail, type InboundAttachment, type InboundMail } from './parse';

/**
 * Up to this size a message is parsed on the calling thread. Parsing costs about 20 ms of CPU per MB
 * (MIME splitting and base64 decoding in JavaScript, hashing), so a larger message is parsed in a worker
 * thread and the event loop keeps answering HTTP and SMTP meanwhile. Not lower: measured with the SMTP
 * benchmark's 280 KB mails on two cores, a worker added ~3 ms of CPU per mail (copies, a second heap)
 * and no throughput, since the cores were already busy.
 */
export const IN_THREAD_MAX_BYTES = 1024 * 1024;

const PARSE_TIME_LIMIT_MS = 60_000;

let pool: Piscina | null = null;
let offThread = 0;

function poolOf(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./parse-worker.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, Math.min(4, availableParallelism() - 1)),
    idleTimeout: 30_000,
  });
  // A worker failing outside a task (it is replaced) must not take the process down with it.
  pool.on('error', (err: unknown) => console.error(`mail parser thread failed: ${err instanceof Error ? err.message : String(err)}`));
  return pool;
}

/**
 * parseInboundMail, in a worker thread for large messages; the same result either way (a worker's
 * answer is a structured clone: its byte arrays are made Buffers again here).
 */
export async function parseMail(raw: Buffer): Promise<InboundMail> {
  if (raw.byteLength <= IN_THREAD_MAX_BYTES) return parseInboundMail(raw);
  // A message that takes unreasonably long to parse has its thread stopped (the sender is answered 451
  // and the mail is not lost); 25 MB parses in about a second.
  const mail = (await poolOf().run(raw, { signal: AbortSignal.timeout(PARSE_TIME_LIMIT_MS) })) as InboundMail;
  offThread++;
  return { ...mail, attachments: mail.attachments.map(asBuffers) };
}

function asBuffers(a: InboundAttachment): InboundAttachment {
  const c: Uint8Array = a.content;
  return { ...a, content: Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength) };
}

/** How many messages this process has parsed in a worker thread. */
export function offThreadParses(): number {
  return offThread;
}

/** Stops the parsing threads (at shutdown); a later parseMail starts them again. */
export async function closeMailParsers(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.destroy();
}
