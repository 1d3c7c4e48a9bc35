/**
 * Failure flags, each derived from what the run recorded: the same function serves the live
 * run, `--json`, and `mythos residue` on a log read back from disk.
 */
import type { FlagRecord, RunRecord } from './state.js';
import { keptRounds } from './state.js';

export function runFlags(run: RunRecord): FlagRecord[] {
  const flags: FlagRecord[] = [];
  const conflicts = run.prelude?.reply.conflicting_instructions ?? [];
  if (conflicts.length) flags.push({ flag: 'CONFLICTING_CONSTRAINTS', evidence: conflicts.join('; ') });
  for (const round of run.rounds) {
    for (const flag of round.decision.flags) flags.push({ flag, round: round.index, evidence: round.decision.why });
  }
  for (const subagent of run.subagents) {
    if (subagent.error !== null) flags.push({ flag: 'SUBAGENT_FAILED', subagent: subagent.letter, evidence: subagent.error });
  }
  const merge = run.merge?.reply;
  if (merge?.unresolved) flags.push({ flag: 'UNRESOLVED', evidence: merge.competing_positions.join(' | ') || merge.synthesis });
  const score = run.prelude?.routing.score ?? 0;
  if (score >= 4 && run.stopReason?.startsWith('converged:') && run.mode !== 'direct' && keptRounds(run).length === 1) {
    flags.push({ flag: 'PREMATURE_STOP', evidence: `complexity ${score} but the block converged after one round` });
  }
  if (run.coda && 'consistent_with_trajectory' in run.coda && !run.coda.consistent_with_trajectory) {
    flags.push({ flag: 'CODA_INCONSISTENT', evidence: run.coda.inconsistencies.join('; ') || 'the Coda reported an inconsistency' });
  }
  return flags;
}
