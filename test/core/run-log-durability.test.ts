/**
 * A failed background fsync must not vanish: the kernel may report an I/O error only once, so the
 * writer keeps it and close() raises it. fs is wrapped here to inject the failure.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const failures = vi.hoisted(() => ({ background: 0, final: 0 }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const eio = () => Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
  return {
    ...fs,
    fsync: (fd: number, done: (error: NodeJS.ErrnoException | null) => void) =>
      failures.background-- > 0 ? setImmediate(() => done(eio())) : fs.fsync(fd, done),
    fsyncSync: (fd: number) => {
      if (failures.final-- > 0) throw eio();
      fs.fsyncSync(fd);
    },
  };
});

const { RunLogError } = await import('../../src/core/errors.js');
const { readRunLog, RunLogWriter } = await import('../../src/runlog/run-log.js');
const { tempHome } = await import('../helpers/run-cli.js');

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

beforeEach(() => {
  failures.background = 0;
  failures.final = 0;
});

describe('run log durability', () => {
  it('raises a background fsync failure at close, after the events are written', async () => {
    failures.background = 1;
    const log = new RunLogWriter(tempHome(), 'eio-1');
    log.write({ type: 'stage', stage: 'prelude', label: 'x' });
    await turn();
    await turn();
    log.write({ type: 'stage', stage: 'coda', label: 'y' });
    await turn();
    expect(() => log.close()).toThrow(RunLogError);
    expect(readRunLog(log.path).map((e) => e.event.type)).toEqual(['stage', 'stage']);
  });

  it('names the path and the error code, and does not throw twice', () => {
    failures.final = 1;
    const log = new RunLogWriter(tempHome(), 'eio-2');
    log.write({ type: 'stage', stage: 'prelude', label: 'x' });
    let caught: unknown;
    try {
      log.close();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RunLogError);
    expect((caught as Error).message).toBe(`the run log ${log.path} could not be flushed to disk (EIO)`);
    expect(() => log.close()).not.toThrow();
  });

  it('closes quietly when every flush succeeded', () => {
    const log = new RunLogWriter(tempHome(), 'ok-1');
    log.write({ type: 'stage', stage: 'prelude', label: 'x' });
    expect(() => log.close()).not.toThrow();
  });
});
