/**
 * The run log: one JSONL file per run under $MYTHOS_HOME/runs, one line per event, written as it
 * happens (and fsynced right behind) so a crash or Ctrl-C never loses a completed step.
 */
import { closeSync, fstatSync, fsync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RunLogError } from '../core/errors.js';
import type { RunEvent } from '../core/events.js';

export interface LoggedEvent {
  at: string;
  event: RunEvent;
}

export function runsDir(home: string): string {
  return join(home, 'runs');
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

export class RunLogWriter {
  readonly path: string;
  private fd: number | null;
  /** An fsync is running in the background; `dirty` asks for one more when it ends. */
  private syncing = false;
  private dirty = false;
  /** The first background fsync failure: an error the kernel may report only once, kept for close(). */
  private syncError: unknown = null;

  constructor(home: string, runId: string) {
    const dir = runsDir(home);
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, `${runId}.jsonl`);
    this.fd = openSync(this.path, 'a', 0o600);
    // A line torn by a crash must not swallow the first event of a resumed attempt.
    const size = fstatSync(this.fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      const fd = openSync(this.path, 'r');
      readSync(fd, last, 0, 1, size - 1);
      closeSync(fd);
      if (last[0] !== 0x0a) writeSync(this.fd, '\n');
    }
  }

  /**
   * Each event is written whole before the run goes on, so a crash or kill of the process loses
   * nothing. The fsync that guards against a power cut runs in the background, one at a time,
   * so the disk is never on the path to the next model call.
   */
  write(event: RunEvent): void {
    if (this.fd === null) return;
    writeSync(this.fd, `${serializeEvent(event)}\n`);
    this.syncSoon();
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

  /** Flushes and closes; throws RunLogError when any flush of this run failed, now or earlier. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      fsyncSync(fd);
    } catch (error) {
      this.syncError ??= error;
    } finally {
      closeSync(fd);
    }
    if (this.syncError !== null) throw new RunLogError(this.path, this.syncError);
  }
}

/** Reads a run log back; a torn last line (power cut mid-write) is dropped, not fatal. */
export function readRunLog(path: string): LoggedEvent[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const events: LoggedEvent[] = [];
  for (const line of lines) {
    try {
      events.push(JSON.parse(line) as LoggedEvent);
    } catch {
      // A line torn by a crash (the last one, or one a resumed attempt started after) is skipped.
    }
  }
  return events;
}

/** Run ids, newest first (ids start with a UTC timestamp). */
export function listRunIds(home: string): string[] {
  try {
    return readdirSync(runsDir(home))
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => name.slice(0, -'.jsonl'.length))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}
