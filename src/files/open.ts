import path from 'node:path';
import type { Config } from '../config';
import type { Database } from '../db/open';
import { S3FileStore } from './s3-store';
import { LocalFileStore, type FileStore } from './store';

const opened = new WeakMap<Database, Map<string, FileStore>>();

/**
 * The evidence file store Sen is set up with: the S3-compatible bucket of S3_URL, or DATA_DIR/files. One per database
 * (the object store's client and its connections are shared by every route and job of the process).
 */
export function openFileStore(config: Pick<Config, 'dataDir' | 's3'>, database: Database): FileStore {
  if (!config.s3) return LocalFileStore.inDataDir(config.dataDir);
  const bucket = `${config.s3.endpoint}/${config.s3.bucket}/${config.s3.prefix}`;
  const stores = opened.get(database) ?? new Map<string, FileStore>();
  opened.set(database, stores);
  let store = stores.get(bucket);
  if (!store) {
    store = new S3FileStore(config.s3, database, path.resolve(config.dataDir, 'files'));
    stores.set(bucket, store);
  }
  return store;
}
