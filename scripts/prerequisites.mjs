// @ts-check
/**
 * What the project needs on the machine, each check giving found / missing and the fix.
 * Shared by `npm run doctor` and the npm pre-scripts (`scripts/preflight.mjs`). Plain Node
 * with no dependencies: it runs before node_modules exists.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * @typedef {object} Finding
 * @property {string} name what is needed
 * @property {boolean} found
 * @property {string} detail what was found, or what is missing
 * @property {string} [fix] what to do when it is missing (or, when found, advice)
 * @property {string} [apt] the Debian package that provides it
 */

export const MINIMUM_NODE = 20;
export const RECOMMENDED_NODE = 22;
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * The executable `command` resolves to on `path` (a PATH string), as a shell would find it.
 * @param {string} command
 * @param {string} [path]
 * @returns {string | undefined}
 */
export function onPath(command, path = process.env['PATH'] ?? '') {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}

/**
 * @param {string} [version] e.g. `v20.20.2`
 * @returns {Finding}
 */
export function checkNode(version = process.version) {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  if (major < MINIMUM_NODE)
    return {
      name: 'Node',
      found: false,
      detail: `${version}, older than ${MINIMUM_NODE}`,
      fix: `install Node ${RECOMMENDED_NODE} (nvm install, reads .nvmrc)`,
    };
  if (major < RECOMMENDED_NODE)
    return {
      name: 'Node',
      found: true,
      detail: `${version} works`,
      fix: `Node ${RECOMMENDED_NODE} is recommended (the Lambda runtime; the AWS SDK needs it for versions after January 2027): nvm install`,
    };
  return { name: 'Node', found: true, detail: version };
}

/**
 * DynamoDB Local 3 runs on Java 17 or newer.
 * @param {string} [path]
 * @returns {Finding}
 */
export function checkJava(path) {
  const fix = 'apt-get install openjdk-17-jre-headless';
  const java = onPath('java', path);
  if (!java)
    return {
      name: 'Java 17',
      found: false,
      detail: 'no java on PATH (DynamoDB Local needs it)',
      fix,
      apt: 'openjdk-17-jre-headless',
    };
  // `java -version` prints e.g. `openjdk version "17.0.15" 2025-04-15` on stderr.
  const printed = spawnSync(java, ['-version'], { encoding: 'utf8' }).stderr ?? '';
  const version = /version "(\d+)(?:\.(\d+))?/.exec(printed);
  const major = version ? Number(version[1] === '1' ? version[2] : version[1]) : NaN;
  if (!(major >= 17))
    return {
      name: 'Java 17',
      found: false,
      detail: `${java} is ${version ? `Java ${major}` : 'of an unknown version'}; DynamoDB Local needs 17+`,
      fix,
      apt: 'openjdk-17-jre-headless',
    };
  return { name: 'Java 17', found: true, detail: `Java ${major} (${java})` };
}

/**
 * True when a Redis server answers PING at `url` (redis:// only) within `timeoutMs`.
 * @param {string} url
 * @param {number} [timeoutMs]
 * @returns {Promise<boolean>}
 */
export function redisAnswers(url, timeoutMs = 500) {
  const { hostname, port, protocol } = new URL(url);
  if (protocol !== 'redis:') return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (/** @type {boolean} */ answered) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    // +PONG, or -NOAUTH from a server that wants a password: either way a Redis is there.
    socket.on('data', (data) => done(/^[+-]/.test(data.toString())));
  });
}

/**
 * A Redis the local stack can use: one answering at `url`, or `redis-server` on PATH to start
 * (the tests always start their own, so they need the binary: `serverRequired`).
 * @param {{ url?: string, path?: string, serverRequired?: boolean }} [options]
 * @returns {Promise<Finding>}
 */
export async function checkRedis({
  url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  path,
  serverRequired = false,
} = {}) {
  if (!serverRequired && (await redisAnswers(url))) return { name: 'Redis', found: true, detail: `answers at ${url}` };
  const server = onPath('redis-server', path);
  if (server) return { name: 'Redis', found: true, detail: `redis-server (${server})` };
  const fix = 'apt-get install redis-server';
  if (serverRequired)
    return {
      name: 'Redis',
      found: false,
      detail: 'no redis-server on PATH (the tests start their own)',
      fix,
      apt: 'redis-server',
    };
  return {
    name: 'Redis',
    found: false,
    detail: `nothing answers at ${url} and no redis-server on PATH`,
    fix: `${fix}, or set REDIS_URL`,
    apt: 'redis-server',
  };
}

/**
 * The Chromium the browser tests drive (playwright-core downloads none).
 * @param {string} [executable]
 * @returns {Finding}
 */
export function checkChromium(executable = process.env['CHROMIUM_PATH'] ?? DEFAULT_CHROMIUM) {
  try {
    accessSync(executable, constants.X_OK);
    return { name: 'Chromium', found: true, detail: executable };
  } catch {
    return {
      name: 'Chromium',
      found: false,
      detail: `no ${executable} (the browser tests need it)`,
      fix: 'apt-get install chromium',
      apt: 'chromium',
    };
  }
}

/**
 * Whether `npm start` can listen on `port`.
 * @param {number} port
 * @param {string} [host]
 * @returns {Promise<Finding>}
 */
export function checkPort(port, host = '127.0.0.1') {
  const name = `Port ${port}`;
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (/** @type {NodeJS.ErrnoException} */ error) =>
      resolve({
        name,
        found: false,
        detail: error.code === 'EADDRINUSE' ? `in use on ${host}` : `cannot listen on ${host}: ${error.message}`,
        fix: 'stop what holds it, or set PORT',
      }),
    );
    server.listen(port, host, () => server.close(() => resolve({ name, found: true, detail: `free on ${host}` })));
  });
}

/**
 * Whether `npm ci` must run: node_modules is missing, or older than package-lock.json (npm
 * writes node_modules/.package-lock.json at every install, so its time is the install's).
 * @param {string} root the project folder
 * @returns {{ install: boolean, reason: string }}
 */
export function dependencyState(root) {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return { install: true, reason: 'node_modules is missing' };
  if (statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs)
    return { install: true, reason: 'package-lock.json changed since the last install' };
  return { install: false, reason: 'installed, as package-lock.json says' };
}

/** @param {string} root @returns {Finding} */
export function checkDependencies(root) {
  const state = dependencyState(root);
  return state.install
    ? { name: 'npm packages', found: false, detail: state.reason, fix: 'npm ci (every npm script does it first)' }
    : { name: 'npm packages', found: true, detail: state.reason };
}

/** Root on Debian: missing system packages can be installed with apt-get, unasked. */
export const canAptInstall = () =>
  process.getuid?.() === 0 && existsSync('/etc/debian_version') && onPath('apt-get') !== undefined;

/**
 * One line naming what is missing and how to get it.
 * @param {string} task e.g. `npm start`
 * @param {readonly Finding[]} missing
 */
export const missingLine = (task, missing) =>
  `${task} needs: ${missing.map((finding) => `${finding.name} (${finding.fix})`).join('; ')}. Details: npm run doctor`;

/**
 * What `npm start` and `npm test` each need, checked against `env`.
 * @param {'start' | 'test'} task
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<Finding[]>}
 */
export async function checksFor(task, env = process.env) {
  const path = env['PATH'];
  if (task === 'test')
    return [
      checkNode(),
      checkJava(path),
      await checkRedis({ path, serverRequired: true }),
      checkChromium(env['CHROMIUM_PATH']),
    ];
  return [
    checkNode(),
    // DYNAMODB_ENDPOINT names a running DynamoDB: no DynamoDB Local, no Java.
    ...(env['DYNAMODB_ENDPOINT'] ? [] : [checkJava(path)]),
    // A cluster without REDIS_URL is started from redis-server.
    await checkRedis({
      path,
      serverRequired: env['REDIS_MODE'] === 'cluster' && !env['REDIS_URL'],
      ...(env['REDIS_URL'] ? { url: env['REDIS_URL'] } : {}),
    }),
    await checkPort(Number(env['PORT'] ?? 4000), env['HOST'] ?? '127.0.0.1'),
  ];
}
