/**
 * Failure flags, each derived from what the run recorded: the same function serves the live
 * run, `--json`, and `mythos residue` on a log read back from disk.
 */
import type { FlagRecord, RunRecord } from './state.js';
import { keptRounds } from './state.js';

/** A Challenge round that was kept, or that ended the block: the gate every convergence needs. */
function challengeRan(run: RunRecord): boolean {
  return run.rounds.some((r) => r.lens === 'Challenge' && (r.decision.keep || r.decision.halt !== null));
}

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
  const converged = run.mode !== 'direct' && run.stopReason?.startsWith('converged:');
  if (converged && !challengeRan(run)) {
    flags.push({ flag: 'PREMATURE_STOP', evidence: `the block stopped as ${run.stopReason} before any Challenge round ran` });
  } else if (converged && score >= 4 && keptRounds(run).length === 1) {
    flags.push({ flag: 'PREMATURE_STOP', evidence: `complexity ${score} but the block converged after one round` });
  }
  // Only the non-author cross-check decides this; the Coda's view of its own answer does not.
  const check = run.crossCheck?.reply;
  if (check && !check.consistent) {
    flags.push({ flag: 'CODA_INCONSISTENT', evidence: check.departures.join('; ') || 'the cross-check found a departure it did not name' });
  }
  return flags;
}
