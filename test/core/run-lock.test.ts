import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunInUseError } from '../../src/core/errors.js';
import { acquireRunLock } from '../../src/runlog/run-lock.js';
import { listRunsFolder, makeFolders } from '../../src/runlog/runs-folder.js';
import { tempHome } from '../helpers/run-cli.js';

const ID = '20261205-115501-ab12';

describe('run lock', () => {
  it('is private, names its process, refuses a second holder, and is released', () => {
    const home = tempHome();
    const lock = acquireRunLock(home, ID);
    expect(statSync(lock.path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => acquireRunLock(home, ID)).toThrow(new RunInUseError(ID, `process ${process.pid}`, lock.path));
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    acquireRunLock(home, ID).release();
    // No drafts or set-aside locks are left behind.
    expect(readdirSync(join(home, 'runs'))).toEqual([]);
  });

  it('takes over a lock whose process is gone, or that holds no owner', () => {
    const home = tempHome();
    const first = acquireRunLock(home, ID);
    first.release();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(first.path, JSON.stringify({ pid: dead, host: hostname() }));
    const afterDeath = acquireRunLock(home, ID);
    expect(afterDeath.tookOverFrom?.pid).toBe(dead);
    afterDeath.release();
    writeFileSync(first.path, '{"pid":');
    const afterCrash = acquireRunLock(home, ID);
    expect(afterCrash.tookOverFrom).not.toBeNull();
    expect(JSON.parse(readFileSync(afterCrash.path, 'utf8')).pid).toBe(process.pid);
    afterCrash.release();
  });

  it('treats a lock from another host as live: it cannot tell', () => {
    const home = tempHome();
    acquireRunLock(home, ID).release();
    writeFileSync(join(home, 'runs', `${ID}.lock`), JSON.stringify({ pid: 1, host: 'elsewhere.example' }));
    expect(() => acquireRunLock(home, ID)).toThrow(`run ${ID} is in use by process 1 on elsewhere.example`);
  });

  it('release leaves a lock some other process now holds', () => {
    const home = tempHome();
    const lock = acquireRunLock(home, ID);
    writeFileSync(lock.path, JSON.stringify({ pid: 1, host: hostname() }));
    lock.release();
    expect(existsSync(lock.path)).toBe(true);
  });
});

describe('runs folder', () => {
  it('gives up where a parent exists but refuses children (/proc), instead of looping', () => {
    expect(() => makeFolders('/proc/mythos-test/runs')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('makes what is missing, private, and undoes it when a later folder fails', () => {
    const base = mkdtempSync(join(tmpdir(), 'mythos-folders-'));
    expect(makeFolders(join(base, 'a', 'b'))).toEqual([join(base, 'a'), join(base, 'a', 'b')]);
    expect(statSync(join(base, 'a', 'b')).mode & 0o777).toBe(0o700);
    expect(makeFolders(join(base, 'a', 'b'))).toEqual([]);
    writeFileSync(join(base, 'file'), '');
    expect(() => makeFolders(join(base, 'file', 'c'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it('lists run ids newest first, ignores locks and hidden files, and counts other files', () => {
    const home = tempHome();
    makeFolders(join(home, 'runs'));
    for (const name of ['20260101-000000-aaaa.jsonl', '20270101-000000-bbbb.jsonl', '20270101-000000-bbbb.lock', '.draft', 'notes.jsonl', 'x.txt']) {
      writeFileSync(join(home, 'runs', name), '');
    }
    expect(listRunsFolder(home)).toEqual({ ids: ['20270101-000000-bbbb', '20260101-000000-aaaa'], foreign: expect.arrayContaining(['notes.jsonl', 'x.txt']) });
    expect(listRunsFolder(join(home, 'missing'))).toEqual({ ids: [], foreign: [] });
  });
});
