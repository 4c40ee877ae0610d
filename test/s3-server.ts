import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { S3Settings } from '../src/config';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (opts: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

/**
 * An S3-compatible server for tests: s3rver (the S3 REST API over HTTP, objects in a temporary folder), on a free port
 * of 127.0.0.1, with one bucket. `settings` is what S3_URL would give Sen for it, with `prefix` inside the bucket.
 */
export async function startS3Server(opts: { bucket?: string; prefix?: string } = {}): Promise<{
  settings: S3Settings;
  url: string;
  directory: string;
  close: () => Promise<void>;
}> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const bucket = opts.bucket ?? 'sen-evidence';
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const prefix = opts.prefix ?? '';
  return {
    settings: {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket,
      prefix,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      pathStyle: true,
    },
    url: `http://S3RVER:S3RVER@127.0.0.1:${port}/${bucket}/${prefix}`,
    directory,
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
