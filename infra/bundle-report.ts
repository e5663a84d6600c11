/**
 * `npm run bundle-report`: after `npm run synth`, measures each Lambda bundle in cdk.out
 * (size, deflated size ≈ the zip Lambda stores, cold import time in a fresh node
 * process) and rewrites the table between the bundle-report markers in README.md.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { REPO_ROOT } from './constructs/paths.js';

const OUT = join(REPO_ROOT, 'cdk.out');
const RUNS = 9;
// Enough configuration for the entry points to load; nothing is contacted during the import
// (connections open in the background).
const ENVIRONMENT = {
  EVENT_TABLE_NAME: 'events',
  READ_MODEL_TABLE_NAME: 'read-models',
  EVENT_BUS_NAME: 'bus',
  HANDLER_NAME: 'validate-geolocation',
  REDIS_URL: 'redis://127.0.0.1:1',
  AUTH_MODE: 'api-key',
  API_KEY_SHA256: '0'.repeat(64),
  SITE_BUCKET_NAME: 'site',
  DISTRIBUTION_ID: 'E000000000000',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bundle-report',
  AWS_SECRET_ACCESS_KEY: 'bundle-report',
  LOG_LEVEL: 'ERROR',
};

interface Bundle {
  readonly functions: string[];
  readonly file: string;
}

function bundles(): Bundle[] {
  const template = JSON.parse(readFileSync(join(OUT, 'Visitplannr.template.json'), 'utf8')) as {
    Resources: Record<
      string,
      { Type: string; Properties: { Description?: string }; Metadata?: Record<string, string> }
    >;
  };
  const byAsset = new Map<string, string[]>();
  for (const resource of Object.values(template.Resources)) {
    const asset = resource.Metadata?.['aws:asset:path'];
    // Ours only: CDK adds deploy-time functions of its own (bucket notifications, asset copy).
    if (
      resource.Type !== 'AWS::Lambda::Function' ||
      !asset ||
      !resource.Properties.Description?.startsWith('visitplannr ')
    )
      continue;
    byAsset.set(asset, [
      ...(byAsset.get(asset) ?? []),
      (resource.Properties.Description ?? '?').replace(/^visitplannr /, '').replace(/ \(.*\)$/, ''),
    ]);
  }
  return [...byAsset].map(([asset, functions]) => ({ functions, file: join(OUT, asset, 'index.mjs') }));
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** Minimum and median: the machines are shared, so the minimum is the better estimate of the cost itself. */
function coldImportMs(file: string, nodeOptions: string): string {
  const code = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t0); process.exit(0);`;
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      env: { ...process.env, ...ENVIRONMENT, NODE_OPTIONS: nodeOptions },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`importing ${file} failed: ${result.stderr}`);
    times.push(Number(result.stdout.trim().split('\n').at(-1)));
  }
  times.sort((a, b) => a - b);
  return `${times[0]!.toFixed(0)} / ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms`;
}

const rows = bundles().map(({ functions, file }) => {
  const code = readFileSync(file);
  const map = readFileSync(`${file}.map`);
  return [
    functions.join(', '),
    kib(statSync(file).size),
    kib(deflateRawSync(code).length + deflateRawSync(map).length),
    coldImportMs(file, ''),
    coldImportMs(file, '--enable-source-maps'),
  ];
});

const table = [
  `| function(s) | index.mjs | zipped (with map) | cold import, min / median | the same with --enable-source-maps (as deployed) |`,
  `|---|---:|---:|---:|---:|`,
  ...rows.map((row) => `| ${row.join(' | ')} |`),
  '',
  `${RUNS} fresh \`node\` processes importing each bundle (${process.version}, ${process.arch}, this machine; Lambda adds its own init). Regenerate with \`npm run bundle-report\`.`,
].join('\n');

const readmePath = join(REPO_ROOT, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- bundle-report:start -->';
const end = '<!-- bundle-report:end -->';
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} … ${end} markers`);
writeFileSync(readmePath, `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`);
console.log(table);
