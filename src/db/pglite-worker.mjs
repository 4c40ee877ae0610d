// Runs PGlite in its own thread behind a PostgreSQL wire-protocol socket, because PGlite executes
// queries synchronously on the thread that calls it and would otherwise freeze the HTTP server.
// Plain JavaScript so that it loads in a worker under any runner (tsx, vitest, node).
import { parentPort, workerData } from 'node:worker_threads';
import { createWriteStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';

const { dataDir, initialData } = workerData;
try {
  // A new database may start from a copy of another (a tar or gzipped tar from dumpDataDir) instead of initdb.
  const loadDataDir = initialData ? new Blob([await readFile(initialData)]) : undefined;
  const db = await PGlite.create({ dataDir, loadDataDir, extensions: { pg_trgm, unaccent, btree_gin } });
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 256 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  parentPort.postMessage({ type: 'ready', host, port: Number(port) });
  parentPort.on('message', async (msg) => {
    if (msg?.type === 'backup') {
      // A copy of the data folder as a tar, taken between two queries (PGlite runs one at a time):
      // crash-consistent, as after a power cut; PostgreSQL replays its WAL when it opens it. PGlite
      // holds its queries only while it copies (compressing inside would hold them ~8 times longer:
      // 0.5 s against 4.1 s at 30,000 complaints); gzip then runs on libuv's threads while queries go
      // on, and the file is flushed to disk before it is reported written.
      try {
        const tar = await db.dumpDataDir('none');
        await pipeline(Readable.fromWeb(tar.stream()), createGzip(), createWriteStream(msg.file, { flags: 'wx' }));
        const written = await open(msg.file, 'r+');
        try {
          await written.sync();
        } finally {
          await written.close();
        }
        parentPort.postMessage({ type: 'backup-done', id: msg.id, bytes: (await stat(msg.file)).size });
      } catch (err) {
        parentPort.postMessage({ type: 'backup-failed', id: msg.id, message: err instanceof Error ? err.message : String(err) });
      }
      return;
    }
    if (msg?.type !== 'stop') return;
    try {
      await server.stop();
      await db.close();
    } finally {
      parentPort.postMessage({ type: 'stopped' });
    }
  });
} catch (err) {
  parentPort.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
