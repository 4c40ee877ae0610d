// A mail-parsing thread of the pool in parse-pool.ts: runs parseInboundMail (TypeScript, loaded with tsx's
// scoped loader so the thread works however the main process was started) on the bytes it is handed.
import { tsImport } from 'tsx/esm/api';

const { parseInboundMail } = await tsImport('./parse.ts', import.meta.url);

/** @param {Uint8Array} raw */
export default function parse(raw) {
  return parseInboundMail(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
}
