/**
 * `@visitplannr/sdk` as a consumer gets it: packed by npm (its prepack builds it), installed
 * from the tarball into an empty project, type-checked there by tsc and run by Node against
 * the local stack; and the README's graphql-request example, type-checked and run the same way.
 * The package's budgets (packed size, dependencies) fail the test when exceeded.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@visitplannr/sdk';
import { useTestStack } from '../support/stack.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const sdkDir = join(root, 'sdk');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const README_EXAMPLE = '<!-- example: graphql-request';
const MAX_PACKED_BYTES = 30 * 1024;
const MAX_INSTALLED_DEPENDENCIES = 2;

interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly files: readonly { readonly path: string }[];
}

const stack = useTestStack();
let project: string;
let packed: PackResult;
let installMs: number;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'visitplannr-sdk-consumer-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', project], {
    cwd: sdkDir,
    timeout: 90_000,
  });
  [packed] = JSON.parse(stdout) as [PackResult];
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }),
  );
  // From the npm cache when it holds the packages (the repository's own install put them there).
  const started = performance.now();
  await npm('install', `./${packed.filename}`);
  installMs = performance.now() - started;
  console.info(`@visitplannr/sdk: packed ${packed.size} bytes, installed in ${Math.round(installMs)} ms`);
}, 180_000);
afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

const npm = (...args: string[]) =>
  run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, timeout: 90_000 });

/** tsc in the consumer project; resolves to its diagnostics (empty when it compiles). */
async function typecheck(config: object): Promise<string> {
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify(config));
  return run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, timeout: 90_000 }).then(
    () => '',
    (error: { stdout: string }) => error.stdout,
  );
}

const consumerSource = () => readFile(join(root, 'test/fixtures/sdk-consumer/consumer.ts'), 'utf8');

/** What a consumer's strict tsconfig says, for the browser and Node alike (no Node types). */
const consumerConfig = (files: string[], noEmit = false) => ({
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM'],
    types: [],
    skipLibCheck: false,
    noEmit,
  },
  files,
});

describe('the packed @visitplannr/sdk', () => {
  it(`packs into at most ${MAX_PACKED_BYTES} bytes: the built JavaScript and declarations, no sources`, () => {
    expect(packed.size).toBeLessThanOrEqual(MAX_PACKED_BYTES);
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'CHANGELOG.md',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/documents.js',
        'dist/documents.d.ts',
      ]),
    );
    expect(paths.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);
  });

  it(`installs with at most ${MAX_INSTALLED_DEPENDENCIES} dependencies`, async () => {
    const lock = JSON.parse(await readFile(join(project, 'node_modules/.package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    const dependencies = Object.keys(lock.packages).filter((path) => path !== 'node_modules/@visitplannr/sdk');
    expect(dependencies.length).toBeLessThanOrEqual(MAX_INSTALLED_DEPENDENCIES);
  });

  it('type-checks a consumer with tsc and runs it on Node against the local stack', async () => {
    await writeFile(join(project, 'consumer.ts'), await consumerSource());
    expect(await typecheck(consumerConfig(['consumer.ts']))).toBe('');
    await writeFile(
      join(project, 'run.mjs'),
      "import { main } from './consumer.js';\nconsole.log(JSON.stringify(await main(process.argv[2])));\n",
    );
    const { stdout } = await run(process.execPath, ['run.mjs', stack.graphqlUrl], { cwd: project, timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({
      name: 'Leuven',
      status: 'LOCATION_VALIDATED',
      country: 'BE',
      listed: true,
      unreachable: 'NetworkError',
    });
  }, 90_000);

  it('refuses to compile the same consumer with a misspelt field or enum value', async () => {
    const consumer = await consumerSource();
    const misspelt = (from: string, to: string) => {
      expect(consumer).toContain(from);
      return consumer.replace(from, to);
    };
    await writeFile(join(project, 'wrong-field.ts'), misspelt('destination.country', 'destination.countryCode'));
    await writeFile(
      join(project, 'wrong-enum.ts'),
      misspelt("waitFor: 'LOCATION_CHECKED'", "waitFor: 'LOCATION_CHECK'"),
    );
    const diagnostics = await typecheck(consumerConfig(['wrong-field.ts', 'wrong-enum.ts'], true));
    expect(diagnostics).toMatch(/wrong-field\.ts\(\d+,\d+\): error TS\d+: Property 'countryCode' does not exist/);
    expect(diagnostics).toMatch(
      /wrong-enum\.ts\(\d+,\d+\): error TS\d+:[^]*?Type '"LOCATION_CHECK"' is not assignable to type 'WaitFor/,
    );
  }, 60_000);

  it("type-checks and runs the README's graphql-request example with the typed documents", async () => {
    const { devDependencies } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    await npm('install', `graphql-request@${devDependencies['graphql-request']}`);
    const readme = await readFile(join(sdkDir, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(README_EXAMPLE)))?.[1];
    expect(example).toContain("from '@visitplannr/sdk/documents'");
    await writeFile(join(project, 'example.ts'), example!.replace('http://localhost:4000/graphql', stack.graphqlUrl));
    expect(await typecheck(consumerConfig(['example.ts']))).toBe('');
    const { stdout } = await run(process.execPath, ['example.js'], { cwd: project, timeout: 30_000 });
    // The list it prints is the recent list at that moment, which folds the new proposal a batching window later.
    expect(stdout.split('\n')).toEqual(['BE', expect.stringMatching(/^[^,]+(, [^,]+)*$/), '']);
    await stack.settled();
    const recent = await createClient({ url: stack.graphqlUrl }).recentDestinations(5);
    expect(recent.map((destination) => destination.name)).toContain('Bruges');
  }, 90_000);
});
