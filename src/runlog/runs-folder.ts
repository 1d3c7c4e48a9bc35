/**
 * The runs folder under MYTHOS_HOME: made before a run's first call, listed by `mythos runs`.
 * Every failure names MYTHOS_HOME, since that is what the user can change.
 */
import { accessSync, constants, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

/** Run ids are a UTC timestamp and four hex digits: 20261205-115501-ab12. */
export const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

export function runsDir(home: string): string {
  return join(home, 'runs');
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
}

function homeError(home: string, what: string, error: unknown): UsageError {
  return new UsageError(`MYTHOS_HOME ${home}: ${what} (${codeOf(error)})`, 'set MYTHOS_HOME to a folder you can write, or unset it to use the default');
}

/**
 * `mkdir -p` that gives up. Node's recursive mkdir retries forever when a parent exists but
 * refuses a child with ENOENT, as /proc does (`MYTHOS_HOME=/proc/x` hung). Each missing folder
 * is made once, top down; on a failure the folders made so far are removed again.
 */
export function makeFolders(target: string): string[] {
  const missing: string[] = [];
  for (let dir = resolve(target); ; dir = dirname(dir)) {
    try {
      if (statSync(dir).isDirectory()) break;
      throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR' });
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw error;
    }
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  const made: string[] = [];
  try {
    for (const dir of missing) {
      try {
        mkdirSync(dir, { mode: 0o700 });
      } catch (error) {
        // Another process may have made it in the meantime; anything else is final.
        if (codeOf(error) !== 'EEXIST' || !statSync(dir).isDirectory()) throw error;
        continue;
      }
      made.push(dir);
    }
  } catch (error) {
    for (const dir of made.reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        // Left behind only if something else already wrote into it.
      }
    }
    throw error;
  }
  return made;
}

/**
 * Makes $MYTHOS_HOME/runs if needed; returns the folders it made (to undo) and the path. The
 * folder must be readable as well as writable: a run that can be logged but never listed, shown
 * or resumed is paid for and lost.
 */
export function ensureRunsDir(home: string): { dir: string; made: string[] } {
  const dir = runsDir(home);
  let made: string[];
  try {
    made = makeFolders(dir);
  } catch (error) {
    throw homeError(home, `cannot make the runs folder ${dir}`, error);
  }
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    removeFolders(made);
    throw new UsageError(
      `MYTHOS_HOME ${home}: the runs folder ${dir} must be readable and writable by you; it is ${modeOf(dir)} (${codeOf(error)})`,
      `chmod u+rwx ${dir} (as its owner), or set MYTHOS_HOME to a folder you can read and write`,
    );
  }
  return { dir, made };
}

/** `mode 333`, to say what is wrong with a folder's permissions. */
function modeOf(dir: string): string {
  try {
    return `mode ${(statSync(dir).mode & 0o777).toString(8)}`;
  } catch {
    return 'mode unknown';
  }
}

/** Removes folders `ensureRunsDir` made, deepest first, when nothing came of them. */
export function removeFolders(made: readonly string[]): void {
  for (const dir of [...made].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty or gone: leave it.
    }
  }
}

export interface RunsFolderListing {
  /** Run ids with a log, newest first (ids start with a UTC timestamp). */
  ids: string[];
  /** Entries that are neither a run log nor a run's lock: someone else's files. */
  foreign: string[];
}

/** What the runs folder holds. No folder yet means no runs; any other failure names MYTHOS_HOME. */
export function listRunsFolder(home: string): RunsFolderListing {
  let names: string[];
  try {
    names = readdirSync(runsDir(home));
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return { ids: [], foreign: [] };
    throw homeError(home, `cannot read the runs folder ${runsDir(home)}`, error);
  }
  const ids: string[] = [];
  const foreign: string[] = [];
  for (const name of names) {
    const match = /^(.*)\.(jsonl|lock)$/.exec(name);
    if (match && RUN_ID.test(match[1]!)) {
      if (match[2] === 'jsonl') ids.push(match[1]!);
    } else if (!name.startsWith('.')) {
      foreign.push(name);
    }
  }
  return { ids: ids.sort().reverse(), foreign };
}
