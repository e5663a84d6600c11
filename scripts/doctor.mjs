// @ts-check
/**
 * `npm run doctor`: every prerequisite of `npm start` and `npm test`, found or missing, with
 * the fix. Exits 1 when something is missing. Plain Node: it works before `npm ci`.
 */
import { fileURLToPath } from 'node:url';
import { checkChromium, checkDependencies, checkJava, checkNode, checkPort, checkRedis } from './prerequisites.mjs';

const env = process.env;
const root = fileURLToPath(new URL('..', import.meta.url));
const findings = [
  checkNode(),
  checkDependencies(root),
  checkJava(env['PATH']),
  await checkRedis({ path: env['PATH'] }),
  checkChromium(),
  await checkPort(Number(env['PORT'] ?? 4000), env['HOST'] ?? '127.0.0.1'),
];

const width = Math.max(...findings.map((finding) => finding.name.length));
for (const finding of findings) {
  const advice = finding.fix ? `  ${finding.found ? 'note' : 'fix'}: ${finding.fix}` : '';
  process.stdout.write(
    `${finding.found ? 'found  ' : 'MISSING'}  ${finding.name.padEnd(width)}  ${finding.detail}${advice}\n`,
  );
}
const missing = findings.filter((finding) => !finding.found).length;
process.stdout.write(missing === 0 ? 'All set: npm start, npm test.\n' : `${missing} missing.\n`);
process.exitCode = missing === 0 ? 0 : 1;
