import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    reporters: ['default'],
    // Vite puts its own BASE_URL ('/') in the environment; Sen's BASE_URL is an absolute address.
    env: { BASE_URL: 'http://localhost:3000' },
  },
});
