/**
 * One writer per run. A run, new or resumed, holds `<runs>/<id>.lock` while it writes its log:
 * a second `mythos resume` of the same run would pay for the same calls again and interleave
 * the log. The lock appears atomically (a hard link fails if one exists, as O_EXCL would) and
 * names its process; a lock whose process is gone is stale and taken over.
 */
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunInUseError, UsageError } from '../core/errors.js';
import { ensureRunsDir, removeFolders } from './runs-folder.js';

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface RunLock {
  readonly path: string;
  /** Set when a stale lock was taken over: who had left it. */
  readonly tookOverFrom: LockOwner | null;
  release(): void;
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function parseOwner(text: string): LockOwner | null {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.host === 'string') return { pid: owner.pid, host: owner.host, startedAt: String(owner.startedAt ?? '') };
  } catch {
    // A lock cut short by a crash while it was written: nobody can own it.
  }
  return null;
}

/** A process on this host that still exists (EPERM: it exists but belongs to someone else). */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // cannot tell from here: assume it is
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
}

function describe(owner: LockOwner): string {
  return owner.host === hostname() ? `process ${owner.pid}` : `process ${owner.pid} on ${owner.host}`;
}

/**
 * Removes a stale lock only if it is still the one judged stale: it is first renamed aside (one
 * process wins the rename), then compared. A live lock caught by mistake is linked back.
 */
function removeStale(path: string, seen: string): boolean {
  const aside = join(path, '..', `.${process.pid}-${Date.now()}.stale-lock`);
  try {
    renameSync(path, aside);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return false;
    throw error;
  }
  const text = readFileSync(aside, 'utf8');
  if (text !== seen) {
    try {
      linkSync(aside, path);
    } catch {
      // Someone else holds a lock there now; theirs stands.
    }
  }
  unlinkSync(aside);
  return text === seen;
}

/** Puts the lock in place unless one is there; false when one is. */
function place(draft: string, path: string, text: string): boolean {
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(codeOf(error) ?? '')) throw error;
  }
  // A file system without hard links: O_EXCL, with the text written straight after.
  try {
    writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw error;
  }
}

/** Takes the run's lock before its first call, or refuses with exit 2 naming the holder. */
export function acquireRunLock(home: string, runId: string): RunLock {
  const { dir, made } = ensureRunsDir(home);
  const path = join(dir, `${runId}.lock`);
  const mine: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const text = `${JSON.stringify(mine)}\n`;
  // Written whole under a private name, then linked into place: a lock is never seen half-written.
  const draft = join(dir, `.${runId}.${process.pid}.lock-draft`);
  try {
    writeFileSync(draft, text, { mode: 0o600 });
  } catch (error) {
    removeFolders(made);
    throw new UsageError(`MYTHOS_HOME ${home}: cannot write in the runs folder ${dir} (${codeOf(error) ?? 'unknown error'})`, 'set MYTHOS_HOME to a folder you can write, or unset it to use the default');
  }
  let tookOverFrom: LockOwner | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      if (place(draft, path, text)) break;
      let seen: string;
      try {
        seen = readFileSync(path, 'utf8');
      } catch {
        continue; // released meanwhile: try again
      }
      const owner = parseOwner(seen);
      if (owner && isAlive(owner)) throw new RunInUseError(runId, describe(owner), path);
      if (attempt > 5) throw new RunInUseError(runId, 'another mythos process', path);
      if (removeStale(path, seen)) tookOverFrom = owner ?? { pid: 0, host: '', startedAt: '' };
    }
  } finally {
    unlinkSync(draft);
  }

  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      // Only our own lock: never one a later process took over.
      if (readFileSync(path, 'utf8') === text) unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
  // process.exit() (a second Ctrl-C) skips finally blocks; the exit event still runs.
  process.on('exit', release);
  return { path, tookOverFrom, release };
}
