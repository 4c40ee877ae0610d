import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../src/db/open';
import { addStaffUser, createApiToken, type StaffUser } from '../src/commands/staff-accounts';
import { createComplaint } from '../src/commands/create-complaint';
import { transitionComplaint } from '../src/commands/transition-complaint';
import { proposeResolution } from '../src/commands/propose-resolution';
import { decideProposal } from '../src/commands/decide-proposal';
import { implementProposal } from '../src/commands/implement-proposal';
import { findComplaint } from '../src/db/queries/complaints';
import type { StaffRole } from '../src/domain/lifecycle';
import type { Channel } from '../src/domain/schemas';
import { loadConfig, type Config } from '../src/config';
import { buildApp } from '../src/http/app';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;

/** A valid portal intake body; pass overrides for the case under test. */
export function buildIntake(overrides: Record<string, unknown> = {}) {
  return {
    customer: { name: 'Nguyễn Thị Hương', phone: '0912 345 678', email: 'huong.nguyen@example.com' },
    subject: 'Đồng hồ bị nứt mặt kính sau 3 ngày',
    description: 'Tôi mua đồng hồ Casio mã MTP-1374 ngày 02/11, đến ngày 05/11 mặt kính bị nứt.',
    orderRef: 'DH-88123',
    consent: true,
    ...overrides,
  };
}

/** A random valid Vietnamese mobile number, so tests don't share customers by accident. */
export function randomPhone(): string {
  const prefixes = ['090', '091', '093', '094', '096', '097', '098', '086', '088', '032', '035', '070', '077', '083'];
  const prefix = prefixes[Math.floor(Math.random() * prefixes.length)];
  return `${prefix}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}

export const TEST_PASSWORD = 'mat-khau-dai-123';

export async function createStaff(database: Database, role: StaffRole, name = `Nhân viên ${role}`): Promise<StaffUser> {
  // A department member belongs to a department (a team of their own here).
  const teamId =
    role === 'department'
      ? (await database.pool.query<{ id: string }>('insert into teams (name) values ($1) returning id', [`Phòng ban ${unique()}`])).rows[0].id
      : null;
  return addStaffUser({ database, email: `${role}-${unique()}@sen.test`, name, role, password: TEST_PASSWORD, teamId });
}

/** A staff user with an API token, for calling the API from tests. */
export async function staffWithToken(database: Database, role: StaffRole) {
  const user = await createStaff(database, role);
  const token = await createApiToken(database, user.id, 'test');
  return { user, token, headers: { authorization: `Bearer ${token}` } };
}

export async function seedComplaint(
  database: Database,
  overrides: { channel?: Channel; input?: Record<string, unknown>; now?: Date } = {},
) {
  return createComplaint({
    database,
    actor: { kind: 'customer', id: null, channel: 'web' },
    channel: overrides.channel ?? 'web',
    input: { ...buildIntake({ customer: { name: 'Trần Văn Minh', phone: randomPhone() } }), ...overrides.input } as never,
    requireConsent: true,
    now: overrides.now,
  });
}

/**
 * Drives a complaint the policy's way to `resolved` at `at` (default now): acknowledged and
 * investigated if it is not yet, a proposal offered, accepted by the customer on the portal and
 * carried out, with `rootCauseId` (or the root cause on file).
 */
export async function resolveThroughProposal(database: Database, code: string, opts: { at?: Date; rootCauseId?: string } = {}) {
  const agent = { kind: 'agent' as const, id: null, channel: 'console' as const };
  // Resolved in the past: the steps a few minutes apart before it; resolved now: each step as it happens.
  const step = (minutesBefore: number) => (opts.at ? new Date(opts.at.getTime() - minutesBefore * 60_000) : new Date());
  const status = (await findComplaint(database, code))?.status;
  if (status === 'received') await transitionComplaint({ database, actor: agent, code, to: 'acknowledged', now: step(5) });
  if (status === 'received' || status === 'acknowledged') await transitionComplaint({ database, actor: agent, code, to: 'investigating', now: step(4) });
  const { proposal } = await proposeResolution({ database, actor: agent, code, kind: 'other', description: 'Kiểm tra, giải thích và hướng dẫn sử dụng.', now: step(3) });
  const customer = { kind: 'customer' as const, id: null, channel: 'portal' as const };
  await decideProposal({ database, actor: customer, code, proposalId: proposal.id, decision: 'accept', channel: 'portal', at: step(2), now: step(2) });
  await implementProposal({ database, actor: agent, code, proposalId: proposal.id, doneAt: step(1), rootCauseId: opts.rootCauseId, now: step(0) });
  return proposal;
}

/** One data folder per test process, so evidence files never land in the project's ./data. */
export const TEST_DATA_DIR = mkdtempSync(path.join(tmpdir(), 'sen-test-data-'));

export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({ PORT: '0', RATE_LIMIT_LOGIN: '1000', RATE_LIMIT_PUBLIC_INTAKE: '100000', RATE_LIMIT_PUBLIC_LOOKUP: '100000', RATE_LIMIT_FAILED_CHECKS_PER_CONTACT: '100000', RATE_LIMIT_FAILED_CHECKS_PER_ADDRESS: '100000', RATE_LIMIT_FAILED_LOGINS_PER_ACCOUNT: '100000' });
  return { ...base, dataDir: TEST_DATA_DIR, ...overrides };
}

/** A multipart/form-data body: text fields and files, as a browser would send it. */
export function multipart(fields: Record<string, string>, files: { name?: string; filename: string; type: string; content: Buffer }[]) {
  const boundary = `----sen${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${f.name ?? 'files'}"; filename="${f.filename}"; filename*=UTF-8''${encodeURIComponent(f.filename)}\r\ncontent-type: ${f.type}\r\n\r\n`,
      ),
      f.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function buildTestApp(database: Database, config: Partial<Config> = {}): Promise<FastifyInstance> {
  return buildApp({ database, config: testConfig(config) });
}

/** A 1×1 PNG: the smallest evidence photo the upload checks accept. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
