/**
 * What a run (or a calibration case) writes about itself for a later `mythos resume`: the options
 * it started with, how it was stopped, and the command that continues it.
 */
import type { EventBus } from '../../core/events.js';
import type { ModeKeyword } from '../../core/prelude/keywords.js';
import type { RunConfig } from '../config.js';
import { describeStop, stopExitCode, type StopCause } from '../run-stops.js';

/** What a run logs as its options: what `mythos resume` reads back to go on as it started. */
export function runStartOptions(config: RunConfig, keyword: ModeKeyword | null | undefined): Record<string, unknown> {
  return {
    mode: config.mode ?? null, keyword: keyword ?? null, maxRounds: config.maxRounds ?? null, concurrency: config.concurrency,
    maxCostUsd: config.maxCostUsd ?? null, maxTokens: config.maxTokens ?? null, dryRun: config.dryRun,
    timeoutMs: config.timeoutMs, retries: config.retries, effort: config.effort ?? null,
  };
}

/** Logs a stop by signal or closed output (the stop and the error a resume reads); returns the hint to show. */
export function logInterruption(bus: EventBus, runId: string, cause: StopCause): string {
  const hint = `continue with: mythos resume ${runId}`;
  bus.emit({ type: 'stop', reason: 'interrupted', detail: describeStop(cause) });
  bus.emit({ type: 'run.error', message: `run ${runId} ${describeStop(cause)}`, exitCode: stopExitCode(cause), hint });
  return hint;
}

/** Any hint that says to resume names the command; errors raised below the CLI cannot. */
export function withResumeCommand(hint: string | undefined, runId: string): string {
  const command = `mythos resume ${runId}`;
  if (!hint) return `continue with: ${command}`;
  if (hint.includes('resume the run')) return hint.replace('resume the run', `continue with: ${command}`);
  return `${hint}; then continue with: ${command}`;
}
