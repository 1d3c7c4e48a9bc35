/**
 * The run log: one JSONL file per run under $MYTHOS_HOME/runs, one line per event, written as it
 * happens (and fsynced right behind) so a crash or Ctrl-C never loses a completed step.
 */
import { closeSync, fstatSync, fsync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RunLogError, UnreadableRunLogError } from '../core/errors.js';
import type { RunEvent } from '../core/events.js';
import { ensureRunsDir, listRunsFolder } from './runs-folder.js';
import { writeWhole, type SpaceLimit } from './write-whole.js';

export { runsDir } from './runs-folder.js';

export interface LoggedEvent {
  at: string;
  event: RunEvent;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0');
  return `${stamp}-${suffix}`;
}

/** The one serializer for events: the log and `--stream-json` print exactly this. */
export function serializeEvent(event: RunEvent, at = new Date()): string {
  return JSON.stringify({ at: at.toISOString(), event } satisfies LoggedEvent);
}

export interface RunLogOptions {
  /** Called once, on the first write that fails: the run must stop, since what follows cannot be logged. */
  onFailure?: (error: RunLogError) => void;
  /** The test hook that stands in for a nearly full disk (see write-whole.ts). */
  space?: SpaceLimit | undefined;
}

export class RunLogWriter {
  readonly path: string;
  private fd: number | null;
  /** Bytes of whole lines in the file: a failed write is cut back to this, so no torn line is left. */
  private size: number;
  /** An fsync is running in the background; `dirty` asks for one more when it ends. */
  private syncing = false;
  private dirty = false;
  /** The first background fsync failure: an error the kernel may report only once, kept for close(). */
  private syncError: unknown = null;
  /** The first failed write: nothing is written after it. */
  private writeError: RunLogError | null = null;

  constructor(home: string, runId: string, private readonly options: RunLogOptions = {}) {
    const { dir } = ensureRunsDir(home);
    this.path = join(dir, `${runId}.jsonl`);
    try {
      this.fd = openSync(this.path, 'a', 0o600);
      this.size = fstatSync(this.fd).size;
    } catch (error) {
      throw new RunLogError(this.path, error, 'write');
    }
    // A line torn by a crash must not swallow the first event of a resumed attempt.
    if (this.size > 0) {
      const last = Buffer.alloc(1);
      const fd = openSync(this.path, 'r');
      readSync(fd, last, 0, 1, this.size - 1);
      closeSync(fd);
      if (last[0] !== 0x0a) this.append('\n');
      // Before any call: a log that cannot take one more byte stops a resume here.
      if (this.writeError) {
        this.closeQuietly();
        throw this.writeError;
      }
    }
  }

  /** The write that failed, if one did: the run it belongs to must stop and say so. */
  get failure(): RunLogError | null {
    return this.writeError;
  }

  /**
   * Each event is written whole before the run goes on, so a crash or kill of the process loses
   * nothing. The fsync that guards against a power cut runs in the background, one at a time,
   * so the disk is never on the path to the next model call. A write that fails (a full disk)
   * never throws into the run: it is cut back, kept, and reported through `onFailure`.
   */
  write(event: RunEvent): void {
    if (this.fd === null || this.writeError) return;
    this.append(`${serializeEvent(event)}\n`);
    if (!this.writeError) this.syncSoon();
  }

  private append(text: string): void {
    const fd = this.fd!;
    try {
      this.size += writeWhole(fd, text, this.options.space);
    } catch (error) {
      try {
        ftruncateSync(fd, this.size);
      } catch {
        // The reader drops a torn last line.
      }
      this.writeError = new RunLogError(this.path, error, this.size === 0 ? 'start' : 'write');
      this.options.onFailure?.(this.writeError);
    }
  }

  private syncSoon(): void {
    if (this.syncing) {
      this.dirty = true;
      return;
    }
    const fd = this.fd;
    if (fd === null) return;
    this.syncing = true;
    fsync(fd, (error) => {
      this.syncing = false;
      if (error && this.syncError === null) this.syncError = error;
      if (this.dirty && this.fd !== null) {
        this.dirty = false;
        this.syncSoon();
      }
    });
  }

  private closeQuietly(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    // A log that never got its first line is no run: it must not become `last`.
    if (this.size === 0) rmSync(this.path, { force: true });
  }

  /**
   * Flushes and closes; throws RunLogError when a write failed, or any flush of this run failed,
   * now or earlier.
   */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    try {
      fsyncSync(fd);
    } catch (error) {
      this.syncError ??= error;
    } finally {
      this.closeQuietly();
    }
    if (this.writeError) throw this.writeError;
    if (this.syncError !== null) throw new RunLogError(this.path, this.syncError);
  }
}

/** A line as this module writes it: `{"at": "...", "event": {"type": "...", ...}}`. */
function asLoggedEvent(value: unknown): LoggedEvent | null {
  if (typeof value !== 'object' || value === null) return null;
  const { at, event } = value as { at?: unknown; event?: unknown };
  if (typeof at !== 'string' || typeof event !== 'object' || event === null) return null;
  return typeof (event as { type?: unknown }).type === 'string' ? (value as LoggedEvent) : null;
}

function parseLine(line: string): LoggedEvent | null {
  try {
    return asLoggedEvent(JSON.parse(line));
  } catch {
    return null;
  }
}

/**
 * Reads a run log back. A line torn by a crash or a full disk (the last one, or one a resumed
 * attempt started after) is dropped; any other line that is not an event makes the file unreadable, by line.
 */
export function readRunLog(path: string): LoggedEvent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UnreadableRunLogError(path, (error as NodeJS.ErrnoException).code ?? 'unknown error');
  }
  const lines = text.split('\n');
  const events: LoggedEvent[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const parsed = parseLine(line);
    if (parsed) {
      events.push(parsed);
      continue;
    }
    // Every line is written with its newline, so one without (the file's end) never finished; a
    // line that starts like an event and is followed by a resumed attempt's run.start was cut short too.
    const unterminated = i === lines.length - 1;
    const rest = lines.slice(i + 1).filter(Boolean);
    const startsLikeEvent = line.startsWith('{"at":"') || '{"at":"'.startsWith(line);
    const torn = unterminated || (startsLikeEvent && (rest.length === 0 || parseLine(rest[0]!)?.event.type === 'run.start'));
    if (!torn) throw new UnreadableRunLogError(path, `line ${i + 1} is not a mythos event`);
  }
  return events;
}

/** Run ids, newest first (ids start with a UTC timestamp). */
export function listRunIds(home: string): string[] {
  return listRunsFolder(home).ids;
}
