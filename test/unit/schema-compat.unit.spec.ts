/**
 * The SDK's schema check: schema/ against the baseline its current version was released
 * with (a breaking change fails here until `npm run schema:accept` records it), and the
 * checker itself against a deliberately breaking fixture, an addition and a rewording.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptSchema, BASELINE_FILE, compareSchemas, readSchemaDir } from '../../sdk/scripts/schema-compat.js';

const root = resolve(import.meta.dirname, '../..');
const sdkDir = join(root, 'sdk');
const breakingDir = join(root, 'test/fixtures/schema-breaking');
const baseline = () => readFile(join(sdkDir, BASELINE_FILE), 'utf8');
const messages = (changes: readonly { message: string }[]) => changes.map((change) => change.message);

describe('schema/ against the SDK baseline', () => {
  it('has no change that breaks SDK consumers (otherwise: keep the old shape, or `npm run schema:accept -- "why"`)', async () => {
    const { breaking } = await compareSchemas(await baseline(), await readSchemaDir(join(root, 'schema')));
    expect(messages(breaking)).toEqual([]);
  });
});

describe('the schema check', () => {
  it('given a renamed output field and a new required input field, then both are breaking and call for a major version', async () => {
    const { breaking, bump } = await compareSchemas(await baseline(), await readSchemaDir(breakingDir));
    expect(messages(breaking)).toEqual(
      expect.arrayContaining([
        "Field 'country' was removed from object type 'Destination'",
        "Input field 'proposer' of type 'String!' was added to input object type 'ProposeDestinationInput'",
      ]),
    );
    expect(bump).toBe('major');
  });

  it('given a new optional field, then nothing breaks and it is a minor version', async () => {
    const { changes, breaking, bump } = await compareSchemas(
      await baseline(),
      `${await baseline()}\nextend type Destination { rating: Int }\n`,
    );
    expect(messages(changes)).toEqual(["Field 'rating' was added to object type 'Destination'"]);
    expect(breaking).toEqual([]);
    expect(bump).toBe('minor');
  });

  it('given a reworded description only, then it is a patch', async () => {
    const reworded = (await baseline()).replace(
      '"One destination, or null when the id is unknown."',
      '"One destination by id; null when unknown."',
    );
    expect((await compareSchemas(await baseline(), reworded)).bump).toBe('patch');
  });

  it('given the same schema, then there is nothing to record', async () => {
    expect(await compareSchemas(await baseline(), await baseline())).toEqual({
      changes: [],
      breaking: [],
      bump: undefined,
    });
  });
});

describe('accepting a breaking schema', () => {
  let workDir: string | undefined;
  afterEach(() => (workDir ? rm(workDir, { recursive: true, force: true }) : undefined));

  it('bumps the major version, lists the changes in the CHANGELOG, and makes it the baseline', async () => {
    workDir = await mkdtemp(join(tmpdir(), 'visitplannr-sdk-accept-'));
    for (const file of ['package.json', 'CHANGELOG.md', BASELINE_FILE])
      await cp(join(sdkDir, file), join(workDir, file));
    const { version: before } = JSON.parse(await readFile(join(sdkDir, 'package.json'), 'utf8')) as { version: string };
    const major = `${Number(before.split('.')[0]) + 1}.0.0`;

    const accepted = await acceptSchema({
      sdkDir: workDir,
      schemaDir: breakingDir,
      note: 'Destination.country is now countryCode.',
      today: '2026-12-01',
    });

    expect(accepted?.version).toBe(major);
    expect(JSON.parse(await readFile(join(workDir, 'package.json'), 'utf8'))).toMatchObject({
      name: '@visitplannr/sdk',
      version: major,
    });
    const changelog = await readFile(join(workDir, 'CHANGELOG.md'), 'utf8');
    const start = changelog.indexOf(`## ${major} (2026-12-01)\n\n- Destination.country is now countryCode.\n`);
    expect(start).toBeGreaterThan(-1);
    const entry = changelog.slice(start, changelog.indexOf(`## ${before}`));
    // Breaking changes first, then the rest (the new field countryCode).
    expect(entry.split('\n').slice(3, 5).sort()).toEqual([
      "- BREAKING: Field 'country' was removed from object type 'Destination'",
      "- BREAKING: Input field 'proposer' of type 'String!' was added to input object type 'ProposeDestinationInput'",
    ]);
    expect(entry).toContain("- Field 'countryCode' was added to object type 'Destination'");
    // Newest first: above the release it replaces.
    expect(changelog.indexOf(`## ${major}`)).toBeLessThan(changelog.indexOf(`## ${before}`));
    expect(await readFile(join(workDir, BASELINE_FILE), 'utf8')).toBe(await readSchemaDir(breakingDir));
    expect(await acceptSchema({ sdkDir: workDir, schemaDir: breakingDir, today: '2026-12-02' })).toBeUndefined();
  });
});
