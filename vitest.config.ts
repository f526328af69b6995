import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['lib/**/*.test.ts', 'components/**/*.test.ts', 'server/**/*.test.ts', 'app/**/*.test.ts', 'bench/**/*.test.ts', 'deploy/**/*.test.ts'],
    setupFiles: ['vitest.setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share one Postgres database and bind loopback ports: run files one at a time.
    fileParallelism: false,
  },
});
