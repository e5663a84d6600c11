/**
 * `npm run doctor` and the pre-scripts against the real machine: binaries looked up on a PATH
 * built for each case, a port someone holds, and log lines at a real terminal (`script` from
 * util-linux gives the child a pseudo-terminal) or in a pipe.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkPort, checkRedis } from '../../scripts/prerequisites.mjs';
import { freePort } from '../../local/net.js';

let bin: string;
let closedRedisUrl: string;
beforeAll(async () => {
  // A PATH holding node and nothing else the project needs.
  bin = mkdtempSync(join(tmpdir(), 'doctor-bin-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  closedRedisUrl = `redis://127.0.0.1:${await freePort()}`;
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

const run = (script: string, args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { PORT: '0', ...env } });

describe('npm run doctor', () => {
  it('names each missing binary with its fix, and exits 1', () => {
    const doctor = run('scripts/doctor.mjs', [], { PATH: bin, REDIS_URL: closedRedisUrl });
    expect(doctor.stdout).toMatch(
      /^MISSING +Java 17 +no java on PATH .*fix: apt-get install openjdk-17-jre-headless$/m,
    );
    expect(doctor.stdout).toMatch(
      /^MISSING +Redis +nothing answers at redis:\/\/127\.0\.0\.1:\d+ and no redis-server on PATH +fix: apt-get install redis-server, or set REDIS_URL$/m,
    );
    expect(doctor.stdout).toMatch(/^found +Node +v\d+/m);
    expect(doctor.stdout).toMatch(/^found +Port 0 +free/m);
    expect(doctor.status).toBe(1);
  });

  it('finds what the machine has, and exits 0', () => {
    const doctor = run('scripts/doctor.mjs', [], { PATH: process.env['PATH'] ?? '' });
    expect(doctor.stdout).toMatch(/^found +Java 17 +Java \d+ \(/m);
    expect(doctor.stdout).toContain('All set');
    expect(doctor.status).toBe(0);
  });
});

describe('finding a binary', () => {
  it('takes an executable on PATH, and not a file that cannot run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doctor-redis-'));
    try {
      writeFileSync(join(dir, 'redis-server'), '#!/bin/sh\n');
      const path = `${bin}:${dir}`;
      expect(await checkRedis({ url: closedRedisUrl, path })).toMatchObject({ found: false });
      chmodSync(join(dir, 'redis-server'), 0o755);
      expect(await checkRedis({ url: closedRedisUrl, path })).toEqual({
        name: 'Redis',
        found: true,
        detail: `redis-server (${join(dir, 'redis-server')})`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a Redis that answers at REDIS_URL when redis-server is not on PATH, except for the tests, which start their own', async () => {
    const url = inject('redisUrl');
    expect(await checkRedis({ url, path: bin })).toEqual({ name: 'Redis', found: true, detail: `answers at ${url}` });
    expect(await checkRedis({ url, path: bin, serverRequired: true })).toMatchObject({
      found: false,
      fix: 'apt-get install redis-server',
    });
  });
});

describe('a port', () => {
  let server: Server;
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('is in use while something listens on it, and free again after', async () => {
    server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    expect(await checkPort(port)).toEqual({
      name: `Port ${port}`,
      found: false,
      detail: 'in use on 127.0.0.1',
      fix: 'stop what holds it, or set PORT',
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await checkPort(port)).toMatchObject({ found: true });
  });
});

describe('the pre-script of npm start', () => {
  it('stops at once, with one line naming what to install', () => {
    const preflight = run('scripts/preflight.mjs', ['start'], { PATH: bin, REDIS_URL: closedRedisUrl });
    expect(preflight.status).toBe(1);
    expect(preflight.stderr).toBe(
      'npm start needs: Java 17 (apt-get install openjdk-17-jre-headless); Redis (apt-get install redis-server, or set REDIS_URL). Details: npm run doctor\n',
    );
  });
});

describe('the local stack’s log lines', () => {
  // The logger of a local handler, printing one entry, in a process of its own.
  const logOnce = `node --import tsx --input-type=module -e "const { createLocalLogger } = await import('./local/local-logger.ts'); createLocalLogger('visitplannr-decide', 'INFO').info('proposal accepted', { correlationId: '0618979d-0000' })"`;
  const env = (extra: Record<string, string> = {}) => {
    const { LOG_FORMAT: _ignored, ...rest } = process.env;
    return { ...rest, NO_COLOR: '1', ...extra };
  };
  const atTerminal = (extra?: Record<string, string>) =>
    spawnSync('script', ['-qec', logOnce, '/dev/null'], { encoding: 'utf8', env: env(extra) }).stdout.replace(
      /\r/g,
      '',
    );
  const inPipe = () => spawnSync('sh', ['-c', logOnce], { encoding: 'utf8', env: env() }).stdout;

  it('are readable at a terminal', () => {
    expect(atTerminal()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: 0618979d decide +proposal accepted\n$/);
  });

  it('are Powertools JSON in a pipe, and at a terminal with LOG_FORMAT=json', () => {
    for (const output of [inPipe(), atTerminal({ LOG_FORMAT: 'json' })]) {
      expect(JSON.parse(output)).toMatchObject({
        level: 'INFO',
        message: 'proposal accepted',
        service: 'visitplannr-decide',
        correlationId: '0618979d-0000',
      });
    }
  });
});
