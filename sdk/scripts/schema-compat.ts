/**
 * The SDK's contract with the API's schema: `schema/` compared with the schema the SDK's
 * current version was released against (sdk/schema-baseline.graphql), by
 * `@graphql-inspector/core`, which classifies each change as breaking, dangerous or safe.
 * A breaking change needs a new major version of the SDK; `acceptSchema` records one.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Change, CriticalityLevel, diff, type TypeOfChangeType } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

export type Bump = 'major' | 'minor' | 'patch';

/** graphql-inspector's change with its `type` spelled out (the library defaults it to any). */
export type SchemaChange = Change<TypeOfChangeType>;

export interface SchemaComparison {
  readonly changes: readonly SchemaChange[];
  readonly breaking: readonly SchemaChange[];
  /** The SDK version bump these changes call for; undefined when the schemas are the same. */
  readonly bump: Bump | undefined;
}

export const BASELINE_FILE = 'schema-baseline.graphql';
/** The CHANGELOG lists what a consumer must act on first. */
const SEVERITY = [CriticalityLevel.Breaking, CriticalityLevel.Dangerous, CriticalityLevel.NonBreaking];

/** The schema as its files say it, in name order (the same files codegen reads). */
export async function readSchemaDir(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.graphql')).sort();
  if (files.length === 0) throw new Error(`no .graphql files in ${dir}`);
  return (await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')))).join('\n');
}

export async function compareSchemas(baselineSdl: string, currentSdl: string): Promise<SchemaComparison> {
  const changes = await diff(buildSchema(baselineSdl), buildSchema(currentSdl));
  const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
  return { changes, breaking, bump: bumpFor(changes, breaking) };
}

function bumpFor(changes: readonly SchemaChange[], breaking: readonly SchemaChange[]): Bump | undefined {
  if (changes.length === 0) return undefined;
  if (breaking.length > 0) return 'major';
  // Wording alone (descriptions, deprecation reasons) changes no type a consumer compiles against.
  return changes.every((change) => /DESCRIPTION|DEPRECATION_REASON/.test(change.type)) ? 'patch' : 'minor';
}

export interface AcceptOptions {
  /** The SDK package: its package.json, CHANGELOG.md and the baseline. */
  readonly sdkDir: string;
  readonly schemaDir: string;
  /** Why, for the CHANGELOG entry. */
  readonly note?: string;
  readonly today: string;
}

/**
 * Makes the current schema the SDK's baseline on purpose: bumps the SDK's version as the
 * changes require (with npm's own `npm version`), adds a CHANGELOG entry listing them, and
 * writes the baseline. Returns the new version, or undefined when nothing changed.
 */
export async function acceptSchema(
  options: AcceptOptions,
): Promise<{ version: string; comparison: SchemaComparison } | undefined> {
  const baselinePath = join(options.sdkDir, BASELINE_FILE);
  const current = await readSchemaDir(options.schemaDir);
  const comparison = await compareSchemas(await readFile(baselinePath, 'utf8'), current);
  if (!comparison.bump) return undefined;
  const { stdout } = await promisify(execFile)('npm', ['version', comparison.bump, '--no-git-tag-version'], {
    cwd: options.sdkDir,
  });
  const version = stdout.trim().replace(/^v/, '');
  await addChangelogEntry(join(options.sdkDir, 'CHANGELOG.md'), version, options.today, [
    ...(options.note ? [options.note] : []),
    ...[...comparison.changes]
      .sort((a, b) => SEVERITY.indexOf(a.criticality.level) - SEVERITY.indexOf(b.criticality.level))
      .map(
        (change) =>
          `${change.criticality.level === CriticalityLevel.NonBreaking ? '' : `${change.criticality.level}: `}${change.message}`,
      ),
  ]);
  await writeFile(baselinePath, current);
  return { version, comparison };
}

/** Newest first: the entry goes above the previous release's. */
async function addChangelogEntry(
  path: string,
  version: string,
  today: string,
  lines: readonly string[],
): Promise<void> {
  const changelog = await readFile(path, 'utf8');
  const entry = `## ${version} (${today})\n\n${lines.map((line) => `- ${line}`).join('\n')}\n\n`;
  const firstRelease = changelog.indexOf('\n## ');
  await writeFile(
    path,
    firstRelease === -1
      ? `${changelog.trimEnd()}\n\n${entry}`
      : `${changelog.slice(0, firstRelease + 1)}${entry}${changelog.slice(firstRelease + 1)}`,
  );
}
