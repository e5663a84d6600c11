import { emitWarningIfUnsupportedVersion } from '@aws-sdk/core/client';
import { defineConfig } from 'vitest/config';

// On Node < 22 the AWS SDK warns once per process, and every test process loads it: warn once
// here, then turn the warning off (the SDK's own switch) for the test processes forked from here.
emitWarningIfUnsupportedVersion(process.version);
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

// Tests are named by kind: *.unit.spec.ts (pure, no network), *.int.spec.ts (DynamoDB
// Local and Redis), *.e2e.spec.ts (the running local stack over HTTP), *.infra.spec.ts
// (the CDK app's synthesized template).
export default defineConfig({
  // `@visitplannr/sdk` resolves to the SDK's sources through tsconfig.json's paths, as it
  // does for tsc, tsx and esbuild; each project extends this.
  resolve: { tsconfigPaths: true },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.unit.spec.ts'],
          // Loaded through Vite like the code that hands it schemas, so both use graphql's ESM
          // build: graphql refuses objects made by its other (CommonJS) copy.
          server: { deps: { inline: ['@graphql-inspector/core'] } },
        },
      },
      // The CDK app, synthesized offline (no AWS account) and asserted on its template.
      {
        extends: true,
        test: { name: 'infra', include: ['test/infra/**/*.infra.spec.ts'], testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
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
