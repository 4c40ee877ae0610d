import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { crc32, inflateRawSync } from 'node:zlib';

/**
 * The dossier's ZIP (hồ sơ gửi cơ quan có thẩm quyền): the PDF, every original file, and a
 * `manifest.json` giving each entry's path, size and SHA-256, so that the recipient (or
 * `sen dossier verify`) can tell a complete, unaltered dossier from one that is not.
 *
 * Entries are "stored" (not compressed): PDFs and photos hardly compress, and a stored ZIP is
 * simple enough to write and read here without a dependency.
 */

export const MANIFEST_PATH = 'manifest.json';
export const MANIFEST_FORMAT = 'sen-dossier/1';

/** Sen's name and version, written into every dossier. */
export const GENERATOR = {
  name: 'sen',
  version: (createRequire(import.meta.url)('../../package.json') as { version: string }).version,
};

export interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
  /** What the entry is: the dossier PDF, an evidence file, or an email as kept (as received, card numbers masked). */
  kind: 'dossier_pdf' | 'evidence' | 'email';
  /** The file's name as the customer or staff gave it (the path holds a safe ASCII form). */
  originalName?: string;
  contentType?: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  complaintCode: string;
  escalationId: string;
  authority: string;
  generatedAt: string;
  generator: { name: string; version: string };
  entries: ManifestEntry[];
}

export interface DossierFile {
  kind: 'evidence' | 'email';
  /** The name it had (e.g. "hóa đơn.pdf"); the path in the ZIP is derived from it and the hash. */
  name: string;
  contentType?: string;
  bytes: Buffer;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A name safe in any unzip tool on any system: ASCII letters, digits, dot, dash and underscore
 * ("hóa đơn (1).pdf" → "hoa-don-1.pdf"), at most 80 characters, extension kept.
 */
export function safeZipName(name: string): string {
  const folded = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
  const base = folded.split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|(?<![-.])[-.]+$/g, '');
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  const stem = (ext ? clean.slice(0, dot) : clean).replace(/(?<![-.])[-.]+$/, '').slice(0, 80 - ext.length) || 'tep';
  return `${stem}${ext}`;
}

/** Where an original file goes in the ZIP: files/ (evidence) or emails/ (mail as received), then hash prefix and safe name. */
export function dossierFilePath(kind: 'evidence' | 'email', name: string, sha256Hex: string): string {
  return `${kind === 'email' ? 'emails' : 'files'}/${sha256Hex.slice(0, 12)}-${safeZipName(name)}`;
}

/** The name of the PDF inside the ZIP. */
export function dossierPdfName(code: string): string {
  return `ho-so-${safeZipName(code)}.pdf`;
}

/** The dossier ZIP: the PDF at the top, the files under files/<first 12 hex of SHA-256>-<safe name>, and the manifest. */
export function buildDossierZip(input: {
  complaintCode: string;
  escalationId: string;
  authority: string;
  generatedAt: Date;
  pdf: Buffer;
  files: DossierFile[];
}): { zip: Buffer; manifest: Manifest } {
  const entries: { path: string; bytes: Buffer; meta: ManifestEntry }[] = [];
  const taken = new Set<string>();
  const add = (path: string, bytes: Buffer, meta: Omit<ManifestEntry, 'path' | 'size' | 'sha256'>, hash = sha256(bytes)) => {
    if (taken.has(path)) return;
    taken.add(path);
    entries.push({ path, bytes, meta: { path, size: bytes.length, sha256: hash, ...meta } });
  };
  add(dossierPdfName(input.complaintCode), input.pdf, { kind: 'dossier_pdf', contentType: 'application/pdf' });
  for (const f of input.files) {
    const hash = sha256(f.bytes);
    // The same bytes under the same name are one entry; the same bytes under another name are listed again, as given.
    add(dossierFilePath(f.kind, f.name, hash), f.bytes, { kind: f.kind, originalName: f.name, ...(f.contentType ? { contentType: f.contentType } : {}) }, hash);
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    complaintCode: input.complaintCode,
    escalationId: input.escalationId,
    authority: input.authority,
    generatedAt: input.generatedAt.toISOString(),
    generator: { ...GENERATOR },
    entries: entries.map((e) => e.meta),
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  const zip = writeZip([...entries.map((e) => ({ path: e.path, bytes: e.bytes })), { path: MANIFEST_PATH, bytes: manifestBytes }], input.generatedAt);
  return { zip, manifest };
}

/** DOS date and time (the ZIP's resolution: 2 seconds), in Vietnam time as the files were made there. */
function dosDateTime(at: Date): { date: number; time: number } {
  const v = new Date(at.getTime() + 7 * 3600_000);
  const year = Math.min(Math.max(v.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((v.getUTCMonth() + 1) << 5) | v.getUTCDate(),
    time: (v.getUTCHours() << 11) | (v.getUTCMinutes() << 5) | Math.floor(v.getUTCSeconds() / 2),
  };
}

const UTF8_FLAG = 0x0800;
const MAX_32 = 0xffffffff;

/** Writes a ZIP of stored entries (no compression, no ZIP64: refuses archives of 4 GiB or more). */
export function writeZip(entries: { path: string; bytes: Buffer }[], at: Date): Buffer {
  if (entries.length > 0xffff) throw new Error('too many entries for a ZIP without ZIP64');
  const { date, time } = dosDateTime(at);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.path, 'utf8');
    const crc = crc32(e.bytes) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_FLAG, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.bytes.length, 18);
    local.writeUInt32LE(e.bytes.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(UTF8_FLAG, 8);
    cd.writeUInt16LE(0, 10);
    cd.writeUInt16LE(time, 12);
    cd.writeUInt16LE(date, 14);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(e.bytes.length, 20);
    cd.writeUInt32LE(e.bytes.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt16LE(0, 30);
    cd.writeUInt16LE(0, 32);
    cd.writeUInt16LE(0, 34);
    cd.writeUInt16LE(0, 36);
    cd.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, e.bytes);
    central.push(cd, name);
    offset += local.length + name.length + e.bytes.length;
    if (offset > MAX_32) throw new Error('dossier too large for a ZIP without ZIP64');
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...parts, cdBytes, end]);
}

export class ZipFormatError extends Error {}

export interface ZipEntry {
  path: string;
  /** The uncompressed bytes, or null when they could not be read (unsupported method, corrupt data). */
  bytes: Buffer | null;
  size: number;
  /** Whether the bytes match the CRC-32 the archive records for them. */
  crcOk: boolean;
  error?: string;
}

/** Reads every entry of a ZIP through its central directory (stored or deflated entries; no ZIP64, no encryption). */
export function readZip(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('not a ZIP file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (cdOffset === MAX_32 || count === 0xffff) throw new ZipFormatError('ZIP64 archives are not supported');
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError('damaged central directory');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const path = buf.subarray(p + 46, p + 46 + nameLength).toString(flags & UTF8_FLAG ? 'utf8' : 'latin1');
    p += 46 + nameLength + extraLength + commentLength;
    const entry: ZipEntry = { path, bytes: null, size, crcOk: false };
    out.push(entry);
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== 0x04034b50) {
      entry.error = 'damaged local header';
      continue;
    }
    if (flags & 0x1) {
      entry.error = 'encrypted';
      continue;
    }
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const data = buf.subarray(start, start + compressed);
    if (data.length !== compressed) {
      entry.error = 'truncated';
      continue;
    }
    try {
      if (method === 0) entry.bytes = Buffer.from(data);
      else if (method === 8) entry.bytes = inflateRawSync(data);
      else {
        entry.error = `compression method ${method} not supported`;
        continue;
      }
    } catch {
      entry.error = 'compressed data is damaged';
      continue;
    }
    entry.crcOk = (crc32(entry.bytes) >>> 0) === crc;
  }
  return out;
}

export type VerifyProblem =
  | { kind: 'missing'; path: string }
  | { kind: 'extra'; path: string }
  | { kind: 'altered'; path: string; expected: string; actual: string | null; detail: string }
  | { kind: 'duplicate'; path: string }
  | { kind: 'unreadable'; path: string; detail: string };

export interface VerifyReport {
  intact: boolean;
  zipSha256: string;
  /** Why the archive or its manifest could not be checked at all. */
  fatal?: string;
  manifest?: Pick<Manifest, 'complaintCode' | 'escalationId' | 'authority' | 'generatedAt' | 'generator'>;
  checked: { path: string; size: number; sha256: string }[];
  problems: VerifyProblem[];
}

/** Checks every entry of a dossier ZIP against its manifest: missing, extra and altered files. */
export function verifyDossierZip(zip: Buffer): VerifyReport {
  const report: VerifyReport = { intact: false, zipSha256: sha256(zip), checked: [], problems: [] };
  let entries: ZipEntry[];
  try {
    entries = readZip(zip);
  } catch (err) {
    report.fatal = err instanceof ZipFormatError ? err.message : 'the file could not be read as a ZIP';
    return report;
  }
  const byPath = new Map<string, ZipEntry>();
  for (const e of entries) {
    if (byPath.has(e.path)) report.problems.push({ kind: 'duplicate', path: e.path });
    else byPath.set(e.path, e);
  }
  const manifestEntry = byPath.get(MANIFEST_PATH);
  if (!manifestEntry?.bytes) {
    report.fatal = manifestEntry ? `${MANIFEST_PATH} cannot be read (${manifestEntry.error ?? 'damaged'})` : `${MANIFEST_PATH} is missing`;
    return report;
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestEntry.bytes.toString('utf8')) as Manifest;
    if (!Array.isArray(manifest.entries)) throw new Error('no entries');
    for (const m of manifest.entries) {
      if (typeof m.path !== 'string' || typeof m.sha256 !== 'string' || typeof m.size !== 'number') throw new Error('bad entry');
    }
  } catch {
    report.fatal = `${MANIFEST_PATH} is not a valid dossier manifest`;
    return report;
  }
  report.manifest = {
    complaintCode: manifest.complaintCode,
    escalationId: manifest.escalationId,
    authority: manifest.authority,
    generatedAt: manifest.generatedAt,
    generator: manifest.generator,
  };
  const listed = new Set<string>();
  for (const m of manifest.entries) {
    listed.add(m.path);
    const e = byPath.get(m.path);
    if (!e) {
      report.problems.push({ kind: 'missing', path: m.path });
      continue;
    }
    if (!e.bytes) {
      report.problems.push({ kind: 'unreadable', path: m.path, detail: e.error ?? 'damaged' });
      continue;
    }
    const actual = sha256(e.bytes);
    if (actual !== m.sha256.toLowerCase() || e.bytes.length !== m.size) {
      const detail = actual !== m.sha256.toLowerCase() ? 'SHA-256 differs from the manifest' : `size ${e.bytes.length} differs from the manifest (${m.size})`;
      report.problems.push({ kind: 'altered', path: m.path, expected: m.sha256, actual, detail });
      continue;
    }
    if (!e.crcOk) {
      report.problems.push({ kind: 'altered', path: m.path, expected: m.sha256, actual, detail: 'CRC-32 in the ZIP does not match the bytes' });
      continue;
    }
    report.checked.push({ path: m.path, size: m.size, sha256: actual });
  }
  for (const e of entries) {
    if (e.path !== MANIFEST_PATH && !listed.has(e.path)) report.problems.push({ kind: 'extra', path: e.path });
  }
  report.intact = report.problems.length === 0;
  return report;
}

/** The report `sen dossier verify` prints: one line per file, then the verdict. */
export function formatVerifyReport(r: VerifyReport, file: string): string {
  const lines = [`Dossier ${file}`, `  ZIP SHA-256: ${r.zipSha256}`];
  if (r.manifest) {
    lines.push(
      `  Complaint:   ${r.manifest.complaintCode}`,
      `  Authority:   ${r.manifest.authority}`,
      `  Generated:   ${r.manifest.generatedAt} by ${r.manifest.generator?.name ?? '?'} ${r.manifest.generator?.version ?? ''}`.trimEnd(),
    );
  }
  lines.push('');
  if (r.fatal) {
    lines.push(`NOT INTACT: ${r.fatal}.`);
    return lines.join('\n');
  }
  for (const c of r.checked) lines.push(`  OK        ${c.path} (${c.size} bytes)`);
  for (const p of r.problems) {
    switch (p.kind) {
      case 'missing':
        lines.push(`  MISSING   ${p.path}: listed in the manifest but not in the ZIP`);
        break;
      case 'extra':
        lines.push(`  EXTRA     ${p.path}: in the ZIP but not listed in the manifest`);
        break;
      case 'altered':
        lines.push(`  ALTERED   ${p.path}: ${p.detail} (manifest ${p.expected}, file ${p.actual ?? 'unreadable'})`);
        break;
      case 'duplicate':
        lines.push(`  DUPLICATE ${p.path}: the ZIP holds this name more than once`);
        break;
      case 'unreadable':
        lines.push(`  UNREADABLE ${p.path}: ${p.detail}`);
        break;
    }
  }
  lines.push('');
  lines.push(
    r.intact
      ? `INTACT: all ${r.checked.length} files match the manifest. Compare the ZIP SHA-256 above with the one recorded in the complaint's timeline (escalation.created).`
      : `NOT INTACT: ${r.problems.length} problem(s) found.`,
  );
  return lines.join('\n');
}
