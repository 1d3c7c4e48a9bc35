/**
 * Stop reasons and failure flags: the names used in run logs, JSON output and docs.
 */
import { z } from 'zod';

export const STOP_REASONS = [
  'converged:no-delta', 'converged:trivial-delta', 'converged:self-consistent',
  'max-rounds', 'negative-delta', 'oscillation', 'budget', 'interrupted', 'error',
] as const;
export const StopReason = z.enum(STOP_REASONS);
export type StopReason = z.infer<typeof StopReason>;

export const FLAGS = [
  'ECHO', 'REGRESSION', 'OSCILLATION', 'PREMATURE_STOP', 'DRIFT',
  'CONFLICTING_CONSTRAINTS', 'UNRESOLVED', 'CODA_INCONSISTENT', 'SUBAGENT_FAILED',
] as const;
export const Flag = z.enum(FLAGS);
export type Flag = z.infer<typeof Flag>;

export function isConvergence(reason: StopReason): boolean {
  return reason.startsWith('converged:');
}
