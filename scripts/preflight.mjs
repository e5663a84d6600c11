// @ts-check
/**
 * The npm pre-script of every script that needs the project's packages:
 * `node scripts/preflight.mjs [start|test]`.
 * 1. Runs `npm ci` when node_modules is missing or older than package-lock.json.
 * 2. For `start` and `test`, checks the machine (scripts/prerequisites.mjs); as root on
 *    Debian it installs a missing Java, redis-server or Chromium with apt-get; anything still
 *    missing stops the run at once, with one line saying what to install.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { canAptInstall, checksFor, dependencyState, missingLine } from './prerequisites.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const task = process.argv[2];

/** @param {string} command @param {string[]} args */
const run = (command, args) => {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    process.stderr.write(`preflight: ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(1);
  }
};

const dependencies = dependencyState(root);
if (dependencies.install) {
  process.stderr.write(`preflight: ${dependencies.reason}: npm ci\n`);
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

if (task === 'start' || task === 'test') {
  let missing = (await checksFor(task)).filter((finding) => !finding.found);
  const packages = missing.flatMap((finding) => (finding.apt ? [finding.apt] : []));
  if (packages.length > 0 && canAptInstall()) {
    process.stderr.write(`preflight: installing ${packages.join(' ')} with apt-get (root on Debian)\n`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', ...packages]);
    missing = (await checksFor(task)).filter((finding) => !finding.found);
  }
  if (missing.length > 0) {
    process.stderr.write(`${missingLine(`npm ${task}`, missing)}\n`);
    process.exit(1);
  }
}
