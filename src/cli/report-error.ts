/**
 * The one place errors become words on stderr and an exit code. One line and a hint for the
 * user; the stack only with --verbose or MYTHOS_DEBUG. With --json (or --stream-json) stdout
 * also gets the error as JSON, so a script reading stdout never gets nothing.
 */
import { CommanderError } from 'commander';
import { EXIT_CODES, isMythosError } from '../core/errors.js';
import type { RunEvent } from '../core/events.js';
import { serializeEvent } from '../runlog/run-log.js';
import type { CliIO } from './io.js';

export type ErrorOutput = 'text' | 'json' | 'stream-json';

/** Errors a run already described on stdout (with its partial record): not printed twice. */
export const reportedOnStdout = new WeakSet<object>();

/** The output format the command line asked for, read before any parsing could fail. */
export function errorOutputOf(argv: readonly string[]): ErrorOutput {
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  return options.includes('--json') ? 'json' : options.includes('--stream-json') ? 'stream-json' : 'text';
}

export interface ErrorSummary {
  message: string;
  hint: string | null;
  exitCode: number;
}

/** The `--json` document for a failure; `record` is the partial run when one had started. */
export function errorDocument(runId: string | null, error: ErrorSummary, record?: unknown) {
  return { schema_version: 1, runId, error, ...(record === undefined ? {} : { record }) };
}

export function summarizeError(error: unknown): ErrorSummary {
  if (isMythosError(error)) return { message: error.message, hint: error.hint ?? null, exitCode: error.exitCode };
  if (error instanceof CommanderError) {
    return { message: error.message.replace(/^error: /, ''), hint: 'run mythos --help for usage', exitCode: EXIT_CODES.usage };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `unexpected error: ${message.split('\n')[0]}`, hint: 'run again with --verbose for details', exitCode: EXIT_CODES.runtime };
}

export function reportError(error: unknown, io: CliIO, verbose: boolean, output: ErrorOutput = 'text', options: { printed?: boolean } = {}): number {
  const debug = verbose || Boolean(io.env.MYTHOS_DEBUG);
  const summary = summarizeError(error);
  if (!options.printed) {
    io.stderr.write(`mythos: ${summary.message}\n`);
    const stack = debug && error instanceof Error ? error.stack : undefined;
    // An unexpected error's stack replaces its generic hint; a known error keeps its hint.
    if (summary.hint && (isMythosError(error) || !stack)) io.stderr.write(`hint: ${summary.hint}\n`);
    if (stack) io.stderr.write(`${stack}\n`);
  }
  const described = typeof error === 'object' && error !== null && reportedOnStdout.has(error);
  if (output === 'json' && !described) io.stdout.write(`${JSON.stringify(errorDocument(null, summary), null, 2)}\n`);
  if (output === 'stream-json' && !described) {
    const event: RunEvent = { type: 'run.error', message: summary.message, exitCode: summary.exitCode, ...(summary.hint ? { hint: summary.hint } : {}) };
    io.stdout.write(`${serializeEvent(event)}\n`);
  }
  return summary.exitCode;
}
