import { appendFile, open } from 'node:fs/promises';

/**
 * Appends whole lines to a text file (made if absent), flushed to disk before this returns. When the file
 * ends in the middle of a line (a write cut short by a crash), a line break goes first, so that the torn
 * line stays alone and the new ones stay readable.
 */
export async function appendLines(file: string, lines: readonly string[]): Promise<void> {
  if (!lines.length) return;
  let lead = '';
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
  if (handle) {
    try {
      const { size } = await handle.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) lead = '\n';
      }
    } finally {
      await handle.close();
    }
  }
  await appendFile(file, `${lead}${lines.join('\n')}\n`, { flush: true });
}
