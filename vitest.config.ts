import { defineConfig } from 'vitest/config';

// Tests are named by kind: *.unit.spec.ts (pure, no network), *.int.spec.ts (DynamoDB
// Local and Redis), *.e2e.spec.ts (the running local stack over HTTP).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.unit.spec.ts'] } },
      {
        test: {
          name: 'int',
          include: ['test/int/**/*.int.spec.ts', 'test/e2e/**/*.e2e.spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
