/** Sen's settings, read once from the environment (and `.env`), with the defaults of DESIGN.md. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  baseUrl: string;
  adminEmail?: string;
  adminPassword?: string;
  /** Requests per minute per IP on the public intake and login; tests and benchmarks raise them. */
  rateLimits: { login: number; publicIntake: number; publicLookup: number };
  secureCookies: boolean;
  webDir: string;
}

const int = (v: string | undefined, fallback: number) => (v && /^\d+$/.test(v) ? Number(v) : fallback);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int(env.PORT, 3000);
  const baseUrl = env.BASE_URL ?? `http://localhost:${port}`;
  return {
    port,
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
    },
    secureCookies: baseUrl.startsWith('https://'),
    webDir: env.WEB_DIR ?? 'dist/web',
  };
}
