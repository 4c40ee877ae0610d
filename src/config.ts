import { PRESENCE_HEARTBEAT_MS } from './domain/presence';
/** Sen's settings, read once from the environment (and `.env`), with the defaults of DESIGN.md. */
export interface Config {
  port: number;
  /**
   * Whether this process serves HTTP (the API, the console, the portal): PORT=off runs a worker only —
   * background jobs, the SMTP listener and the IMAP poll — beside API processes on the same PostgreSQL.
   */
  serveHttp: boolean;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  baseUrl: string;
  adminEmail?: string;
  adminPassword?: string;
  /** Requests per minute per IP on the public intake and login; tests and benchmarks raise them. */
  rateLimits: {
    login: number;
    publicIntake: number;
    publicLookup: number;
    /**
     * Failed checks of a complaint code with a customer's phone or email, per hour, after which the portal refuses
     * that contact (RATE_LIMIT_FAILED_CHECKS_PER_CONTACT, 10) and that address (…_PER_ADDRESS, 30) for the rest of the
     * hour (http/contact-guard.ts): the codes run in sequence, so they are guessed against a phone number known.
     */
    failedChecksPerContact: number;
    failedChecksPerAddress: number;
    /**
     * Wrong passwords per staff account per hour (RATE_LIMIT_FAILED_LOGINS_PER_ACCOUNT, 10), counted in the database
     * whatever the address: past it the account cannot log in for the rest of the hour, or until an admin resets its
     * password (`sen user password` on the server, for the last admin).
     */
    failedLoginsPerAccount: number;
  };
  /**
   * Which hops in X-Forwarded-For to believe (TRUST_PROXY): false (default) none; a number, that many proxies in front
   * (1 for one nginx); or their addresses. Never every hop: a client writes the left-most entries itself.
   */
  trustProxy: false | number | string[];
  secureCookies: boolean;
  webDir: string;
  /** Outbound mail: smtp:// URL; unset, messages are written to DATA_DIR/outbox. */
  mailUrl?: string;
  mailFrom: string;
  /**
   * Reply-To of Sen's mail (MAIL_REPLY_TO): where customers' replies go. Default: the first intake
   * address when the operator set SMTP_PORT (the listener on purpose) or INTAKE_ADDRESSES; else none,
   * and replies go to MAIL_FROM.
   */
  mailReplyTo?: string;
  /**
   * Sen's SMTP listener: SMTP_PORT (default 2525, as DESIGN.md's stable interfaces say; `off` for none),
   * whether the operator chose the port, the intake addresses, the size limit.
   */
  smtp: { port: number | null; portChosen: boolean; host: string; intakeAddresses: string[]; maxBytes: number; maxClients: number };
  /** Shared secret of the call-centre webhook (CALL_CENTER_WEBHOOK_SECRET); unset: the webhook is off. */
  callCenterSecret?: string;
  /** The company's name on receipts and mail (COMPANY_NAME). */
  companyName: string;
  /** Background jobs (SLA sweep, mail delivery, the embedded database's upkeep) in this process; JOBS=0 turns them off. */
  jobs: { enabled: boolean; slaSweepMs: number; mailMs: number; maintenanceMs: number; routingMs: number };
  /** Backups of the embedded database into DATA_DIR/backups (BACKUPS=0: none): nightly at `hour` (Vietnam time), how many kept. */
  backup: { enabled: boolean; hour: number; keep: number };
  /**
   * Personal data kept `months` after a customer's last complaint closed, then erased
   * (PERSONAL_DATA_RETENTION_MONTHS, default 60; 0 = kept for ever); checked every `intervalMs`.
   */
  retention: { months: number; intervalMs: number };
  /** A mailbox polled for complaint mail (IMAP_URL, imap:// or imaps://; unset: none), how often, and where imported mail is moved. */
  imap: { url?: string; intervalMs: number; moveTo?: string };
  /** How often an open complaint page reports who is on it (PRESENCE_HEARTBEAT_MS, 15 s; domain/presence.ts). */
  presenceHeartbeatMs: number;
  /** Evidence files in an S3-compatible object store (S3_URL) instead of DATA_DIR/files; null: on local disk. */
  s3: S3Settings | null;
  /**
   * Tin nhắn SMS: the gateway receipts are texted through to customers who gave a phone and no email (SMS_URL, an
   * http(s) address taking `POST {"to","text","sender","reference"}` as JSON; SMS_TOKEN sent as a bearer token; SMS_SENDER
   * the brand name); null: no SMS.
   */
  sms: { url: string; token?: string; sender?: string } | null;
}

/** An S3-compatible bucket for evidence files, from S3_URL (parseS3Url). */
export interface S3Settings {
  /** http(s)://host[:port] of the S3 API. */
  endpoint: string;
  region: string;
  bucket: string;
  /** Key prefix inside the bucket: "" or ending in "/". */
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style addresses (host/bucket/key), which every S3-compatible store takes; `?style=virtual` for bucket.host/key. */
  pathStyle: boolean;
}

/** SMS_URL checked at start: an http(s) address, or Sen does not start (a typo would lose every SMS receipt silently). */
function smsUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`SMS_URL is not a URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('SMS_URL must be an http:// or https:// address');
  return url.toString();
}

/** Where evidence files are kept, for messages and backups' manifests (no credentials): `s3://bucket/prefix`. */
export function s3Location(s3: S3Settings): string {
  return `s3://${s3.bucket}/${s3.prefix}`;
}

/**
 * S3_URL: `https://ACCESS_KEY:SECRET_KEY@host[:port]/bucket[/prefix][?region=ap-southeast-1&style=virtual]`, the keys
 * percent-encoded (a secret's "/" as %2F). The region defaults to us-east-1, which MinIO and Ceph accept.
 */
export function parseS3Url(value: string): S3Settings {
  const fail = (why: string): never => {
    throw new Error(`S3_URL ${why}: https://ACCESS_KEY:SECRET_KEY@host/bucket[/prefix][?region=…] (keys percent-encoded)`);
  };
  if (!URL.canParse(value)) fail('is not a URL');
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('must start with https:// (or http:// for a store on the same network)');
  if (!url.username || !url.password) fail('must carry the access key and secret key');
  const [bucket = '', ...rest] = url.pathname.split('/').filter(Boolean);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) fail('must name a bucket (3–63 lower-case letters, digits, dots, hyphens)');
  const style = url.searchParams.get('style') ?? 'path';
  if (style !== 'path' && style !== 'virtual') fail('style must be path or virtual');
  return {
    endpoint: `${url.protocol}//${url.host}`,
    region: url.searchParams.get('region') || 'us-east-1',
    bucket,
    prefix: rest.length ? `${rest.map((p) => decodeURIComponent(p)).join('/')}/` : '',
    accessKeyId: decodeURIComponent(url.username),
    secretAccessKey: decodeURIComponent(url.password),
    pathStyle: style === 'path',
  };
}

const int = (v: string | undefined, fallback: number) => (v && /^\d+$/.test(v) ? Number(v) : fallback);

/** TRUST_PROXY: unset, 0 or false: none; a number: that many proxies; else a comma-separated list of their addresses or CIDRs. */
function trustProxy(v: string | undefined): false | number | string[] {
  const t = (v ?? '').trim().toLowerCase();
  if (t === '' || t === '0' || t === 'false') return false;
  if (/^\d+$/.test(t)) return Number(t);
  return t.split(',').map((a) => a.trim()).filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int(env.PORT, 3000);
  const baseUrl = (env.BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(baseUrl) || !URL.canParse(baseUrl)) {
    throw new Error(`BASE_URL must be the absolute address customers use, e.g. https://khieunai.example.vn (got "${env.BASE_URL}")`);
  }
  const intakeAddresses = (env.INTAKE_ADDRESSES ?? `khieunai@${new URL(baseUrl).hostname}`)
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  const smtpPort = (env.SMTP_PORT ?? '').trim().toLowerCase();
  const smtpOff = smtpPort === 'off' || smtpPort === '0';
  // Replies go to an intake address only where Sen surely reads it: the operator ran the SMTP listener on
  // purpose, or named the addresses (a polled mailbox's own address is not known from IMAP_URL).
  const repliesReach = (smtpPort !== '' && !smtpOff) || !!env.INTAKE_ADDRESSES;
  return {
    port,
    serveHttp: (env.PORT ?? '').trim().toLowerCase() !== 'off',
    host: env.HOST ?? '0.0.0.0',
    dataDir: env.DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || undefined,
    baseUrl,
    adminEmail: env.ADMIN_EMAIL || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    rateLimits: {
      login: int(env.RATE_LIMIT_LOGIN, 10),
      publicIntake: int(env.RATE_LIMIT_PUBLIC_INTAKE, 20),
      publicLookup: int(env.RATE_LIMIT_PUBLIC_LOOKUP, 60),
      failedChecksPerContact: int(env.RATE_LIMIT_FAILED_CHECKS_PER_CONTACT, 10),
      failedChecksPerAddress: int(env.RATE_LIMIT_FAILED_CHECKS_PER_ADDRESS, 30),
      failedLoginsPerAccount: int(env.RATE_LIMIT_FAILED_LOGINS_PER_ACCOUNT, 10),
    },
    trustProxy: trustProxy(env.TRUST_PROXY),
    secureCookies: baseUrl.startsWith('https://'),
    webDir: env.WEB_DIR ?? 'dist/web',
    mailUrl: env.MAIL_URL || undefined,
    presenceHeartbeatMs: Math.max(1000, int(env.PRESENCE_HEARTBEAT_MS, PRESENCE_HEARTBEAT_MS)),
    mailFrom: env.MAIL_FROM ?? `Sen <no-reply@${new URL(baseUrl).hostname}>`,
    mailReplyTo: env.MAIL_REPLY_TO || (repliesReach ? intakeAddresses.find((a) => !a.startsWith('@')) : undefined),
    companyName: env.COMPANY_NAME || 'Sen',
    callCenterSecret: env.CALL_CENTER_WEBHOOK_SECRET || undefined,
    smtp: {
      port: smtpOff ? null : int(smtpPort, 2525),
      portChosen: smtpPort !== '',
      host: env.SMTP_HOST ?? '0.0.0.0',
      intakeAddresses,
      maxBytes: int(env.SMTP_MAX_BYTES, 25 * 1024 * 1024),
      maxClients: int(env.SMTP_MAX_CLIENTS, 32),
    },
    jobs: {
      enabled: env.JOBS !== '0',
      slaSweepMs: int(env.SLA_SWEEP_INTERVAL_MS, 30_000),
      mailMs: int(env.MAIL_INTERVAL_MS, 5_000),
      maintenanceMs: int(env.DB_MAINTENANCE_INTERVAL_MS, 300_000),
      // Phân công tự động: how soon after it came in a complaint is given to its rule's team.
      routingMs: int(env.ROUTING_INTERVAL_MS, 5_000),
    },
    retention: {
      months: Math.max(0, int(env.PERSONAL_DATA_RETENTION_MONTHS, 60)),
      intervalMs: int(env.RETENTION_INTERVAL_MS, 3_600_000),
    },
    backup: {
      enabled: env.BACKUPS !== '0',
      hour: Math.min(23, int(env.BACKUP_HOUR, 2)),
      keep: Math.max(1, int(env.BACKUP_KEEP, 7)),
    },
    s3: env.S3_URL ? parseS3Url(env.S3_URL) : null,
    sms: env.SMS_URL ? { url: smsUrl(env.SMS_URL), token: env.SMS_TOKEN || undefined, sender: env.SMS_SENDER || undefined } : null,
    imap: {
      url: env.IMAP_URL || undefined,
      intervalMs: int(env.IMAP_POLL_INTERVAL_MS, 60_000),
      moveTo: env.IMAP_MOVE_TO || undefined,
    },
  };
}
