import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Database } from '../../db/open';
import type { FileStore } from '../../files/store';
import { receiveEmail } from '../../commands/receive-email';
import type { ReceiptSettings } from '../../commands/create-complaint';
import { AppError } from '../../domain/errors';
import { parseMail } from './parse-pool';
import { logSafeMessage } from '../../db/errors';

export interface SmtpListenerOptions {
  database: Database;
  files: FileStore;
  /** Addresses Sen accepts mail for, lower-case; an entry "@congty.vn" accepts the whole domain. */
  intakeAddresses: string[];
  maxBytes: number;
  /**
   * Connections served at once; more are answered 421 (try again shortly). Each may hold a message of
   * up to maxBytes in memory until it is stored, so this bounds the listener's memory. Default 32.
   */
  maxClients?: number;
  receipt: ReceiptSettings;
  hostname: string;
  log?: (msg: string) => void;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** Whether Sen takes mail for this address. */
export function isIntakeAddress(address: string, intake: readonly string[]): boolean {
  const a = address.trim().toLowerCase();
  const domain = a.slice(a.lastIndexOf('@'));
  return intake.some((x) => x === a || (x.startsWith('@') && x === domain));
}

/**
 * Sen's own SMTP listener for the intake addresses. A message is answered 250 only after it is
 * committed to the database; a database fault answers 451 so the sending server tries again later
 * (the retry is recognised and stored once); too large is 552; an address Sen does not serve is 550.
 */
export function createSmtpListener(opts: SmtpListenerOptions): SMTPServer {
  const log = opts.log ?? (() => {});
  const server = new SMTPServer({
    name: opts.hostname,
    banner: 'Sen complaint intake',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: opts.maxBytes,
    maxClients: opts.maxClients ?? 32,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (isIntakeAddress(address.address, opts.intakeAddresses)) return callback();
      callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let kept = 0;
      stream.on('data', (c: Buffer) => {
        // Past the limit the rest is read and dropped, not kept: a sender cannot fill the memory.
        kept += c.length;
        if (kept > opts.maxBytes) chunks.length = 0;
        else chunks.push(c);
      });
      stream.on('error', (err) => callback(smtpError(451, `4.3.0 ${err.message}`)));
      stream.on('end', () => {
        if (stream.sizeExceeded || kept > opts.maxBytes) return callback(smtpError(552, `5.3.4 message larger than ${opts.maxBytes} bytes`));
        const raw = Buffer.concat(chunks);
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        void (async () => {
          try {
            const mail = await parseMail(raw);
            const r = await receiveEmail({ database: opts.database, files: opts.files, raw, mail, envelopeFrom, receipt: opts.receipt });
            log(`smtp: ${r.outcome}${'code' in r && r.code ? ` ${r.code}` : ''}`);
            callback(null, 'code' in r && r.code ? `2.0.0 stored as ${r.code}` : '2.0.0 stored');
          } catch (err) {
            // Temporary: the sender keeps the message and tries again; nothing was acknowledged.
            const what = err instanceof AppError ? err.code : logSafeMessage(err);
            log(`smtp: failed, answered 451: ${what}`);
            callback(smtpError(451, '4.3.0 temporary failure, please try again later'));
          }
        })();
      });
    },
  });
  // A connection's socket error (a sender resetting mid-message) is re-emitted here; unheard, it would end
  // the whole process. Its message is simply not acknowledged, so the sender retries.
  server.on('error', (err: NodeJS.ErrnoException) => log(`smtp: connection error${err.code ? ` ${err.code}` : ''}: ${err.message}`));
  return server;
}
