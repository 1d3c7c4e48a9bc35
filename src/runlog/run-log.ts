/**
 * The run log: one JSONL file per run under $MYTHOS_HOME/runs, one line per event, written and
 * fsynced as it happens so a crash or Ctrl-C never loses a completed step.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
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

  constructor(home: string, runId: string) {
    const dir = runsDir(home);
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, `${runId}.jsonl`);
    this.fd = openSync(this.path, 'a', 0o600);
  }

  write(event: RunEvent): void {
    if (this.fd === null) return;
    writeSync(this.fd, `${serializeEvent(event)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

/** Reads a run log back; a torn last line (power cut mid-write) is dropped, not fatal. */
export function readRunLog(path: string): LoggedEvent[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const events: LoggedEvent[] = [];
  for (const [i, line] of lines.entries()) {
    try {
      events.push(JSON.parse(line) as LoggedEvent);
    } catch (error) {
      if (i !== lines.length - 1) throw error;
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
