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
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.unit.spec.ts'] } },
      // The CDK app, synthesized offline (no AWS account) and asserted on its template.
      { test: { name: 'infra', include: ['test/infra/**/*.infra.spec.ts'], testTimeout: 60_000, hookTimeout: 120_000 } },
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
