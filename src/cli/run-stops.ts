/**
 * What stops a run from outside: Ctrl-C (SIGINT), SIGTERM, SIGHUP, and a reader that closed
 * stdout (`mythos … | head`). Each aborts the run, which then writes its stop event, releases
 * its lock and says how to continue. A second signal ends the process at once.
 */
import { STOP_SIGNALS, type StopSignal } from '../core/errors.js';

export type StopCause = { kind: 'signal'; signal: StopSignal } | { kind: 'output-closed' };

let activeRun: ((cause: StopCause) => void) | null = null;

/** For the entry point when stdout fails with EPIPE; false when no run is there to stop. */
export function stopForClosedOutput(): boolean {
  if (!activeRun) return false;
  activeRun({ kind: 'output-closed' });
  return true;
}

export function describeStop(cause: StopCause): string {
  return cause.kind === 'signal' ? `interrupted by ${cause.signal}` : 'its output was closed (the reader of stdout went away)';
}

/** The exit code a stopped run leaves: 128 + the signal, or 0 when only the reader left. */
export function stopExitCode(cause: StopCause): number {
  return cause.kind === 'signal' ? STOP_SIGNALS[cause.signal] : 0;
}

/**
 * Watches for stops while a run is in progress. `onStop` runs once, for the first; `onForce`
 * runs on a second signal, just before the process exits. Returns the function that stops watching.
 */
export function watchStops(onStop: (cause: StopCause) => void, onForce: (cause: StopCause) => void): () => void {
  let stopped = false;
  const stop = (cause: StopCause) => {
    if (stopped) return;
    stopped = true;
    onStop(cause);
  };
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((signal) => {
    const handler = () => {
      if (!stopped) return stop({ kind: 'signal', signal });
      onForce({ kind: 'signal', signal });
      process.exit(STOP_SIGNALS[signal]);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  activeRun = stop;
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    if (activeRun === stop) activeRun = null;
  };
}
