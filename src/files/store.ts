import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Evidence files on local disk, content-addressed by SHA-256 under `<dataDir>/files/ab/cd/<hash>`:
 * the same bytes are stored once, and a file's name is its integrity check.
 */
export class FileStore {
  constructor(private readonly root: string) {}

  static inDataDir(dataDir: string): FileStore {
    return new FileStore(path.resolve(dataDir, 'files'));
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Stores bytes and returns their hash; written to a temporary name first so a crash leaves no half file. */
  async put(bytes: Uint8Array): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    try {
      await fs.access(target);
      return { sha256, size: bytes.byteLength };
    } catch {
      // not stored yet
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
    return { sha256, size: bytes.byteLength };
  }

  /** Reads a stored file and checks it still has the hash it is named by. */
  async get(sha256: string): Promise<Buffer> {
    const bytes = await fs.readFile(this.pathOf(sha256));
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new Error(`file ${sha256} was altered on disk`);
    return bytes;
  }
}
