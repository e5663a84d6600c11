/**
 * `npm run schema:check`: lists how schema/ differs from the SDK's baseline; exit 1 on a
 * breaking change. `npm run schema:accept -- [note]`: records the differences on purpose
 * (version bump, CHANGELOG entry, new baseline). npm test runs the check as a unit test.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acceptSchema, BASELINE_FILE, compareSchemas, readSchemaDir } from './schema-compat.js';

const sdkDir = join(import.meta.dirname, '..');
const schemaDir = join(sdkDir, '../schema');
const [command, note] = process.argv.slice(2);

if (command === 'check') {
  const { changes, breaking, bump } = await compareSchemas(
    await readFile(join(sdkDir, BASELINE_FILE), 'utf8'),
    await readSchemaDir(schemaDir),
  );
  for (const change of changes) console.log(`${change.criticality.level.padEnd(12)} ${change.message}`);
  if (!bump) console.log('schema/ is the SDK baseline.');
  else if (breaking.length > 0) {
    console.error(
      `${breaking.length} breaking change(s) for SDK consumers: keep the old shape, or run \`npm run schema:accept -- "why"\` to release a new major version.`,
    );
    process.exitCode = 1;
  } else console.log(`No breaking change; \`npm run schema:accept\` records these as a ${bump} version.`);
} else if (command === 'accept') {
  const accepted = await acceptSchema({
    sdkDir,
    schemaDir,
    today: new Date().toISOString().slice(0, 10),
    ...(note ? { note } : {}),
  });
  console.log(
    accepted
      ? `@visitplannr/sdk ${accepted.version}: ${accepted.comparison.changes.length} change(s) recorded in CHANGELOG.md and ${BASELINE_FILE}.`
      : 'schema/ is already the SDK baseline.',
  );
} else {
  console.error('usage: schema.ts check | accept [note]');
  process.exitCode = 2;
}
