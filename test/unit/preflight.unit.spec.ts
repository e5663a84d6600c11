/**
 * When the npm pre-script runs `npm ci`: node_modules missing, or older than package-lock.json
 * (npm stamps node_modules/.package-lock.json at every install).
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkNode, dependencyState } from '../../scripts/prerequisites.mjs';

let root: string;
const at = (path: string, isoTime: string) => utimesSync(path, new Date(isoTime), new Date(isoTime));
const install = () => {
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  writeFileSync(join(root, 'node_modules', '.package-lock.json'), '{}');
  return join(root, 'node_modules', '.package-lock.json');
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'preflight-'));
  writeFileSync(join(root, 'package-lock.json'), '{}');
  at(join(root, 'package-lock.json'), '2026-12-01T10:00:00Z');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the pre-script installs the packages', () => {
  it('on a fresh clone, where node_modules is missing', () => {
    expect(dependencyState(root)).toEqual({ install: true, reason: 'node_modules is missing' });
  });

  it('when node_modules exists but no install finished in it', () => {
    mkdirSync(join(root, 'node_modules'));
    expect(dependencyState(root).install).toBe(true);
  });

  it('when package-lock.json changed after the last install (a pull that changed dependencies)', () => {
    at(install(), '2026-12-01T09:59:59Z');
    expect(dependencyState(root)).toEqual({
      install: true,
      reason: 'package-lock.json changed since the last install',
    });
  });

  it('not when the last install is newer than package-lock.json', () => {
    at(install(), '2026-12-01T10:00:01Z');
    expect(dependencyState(root)).toEqual({ install: false, reason: 'installed, as package-lock.json says' });
  });

  it('not when both were written in the same instant (npm ci right after a clone on a coarse clock)', () => {
    at(install(), '2026-12-01T10:00:00Z');
    expect(dependencyState(root).install).toBe(false);
  });
});

describe('the Node version', () => {
  it('is fine from 22, works with advice on 20, and is missing below 20', () => {
    expect(checkNode('v22.23.3')).toEqual({ name: 'Node', found: true, detail: 'v22.23.3' });
    expect(checkNode('v20.20.2')).toMatchObject({
      found: true,
      fix: expect.stringContaining('Node 22 is recommended'),
    });
    expect(checkNode('v18.20.0')).toMatchObject({ found: false, detail: 'v18.20.0, older than 20' });
  });
});
