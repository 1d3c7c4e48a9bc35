/**
 * The whole user-facing output of a run, in the mode's exact shape, as an ordered list of
 * parts. Trace mode prints the parts as they appear; the others print them at the end.
 */
import { isConvergence } from '../outcomes.js';
import { keptRounds, visibleRounds, type RoundRecord, type RunRecord } from '../state.js';
import {
  agentFooter, assumptionsLine, DIRECT_FOOTER, oneLine, renderAnswer, renderDispatch, renderMerge, renderPrelude,
  renderRePrelude, renderRound, renderSubagent, silentFooter, traceFooter,
} from './render-parts.js';

const NON_CONVERGENT: Record<string, string> = {
  'max-rounds': 'the planned rounds ran out before the reasoning converged',
  'negative-delta': 'a round made things worse, so it was discarded and the block halted',
  oscillation: 'the conclusion swung back and forth, so the block halted',
  budget: 'the cost or token budget was reached, so the block stopped early',
};

/** Italic lines after the footer: what the reader should know about how this answer was made. */
export function noteLines(run: RunRecord): string[] {
  const notes: string[] = [];
  if (run.rePrelude) {
    notes.push(`*Re-Prelude after round ${run.rePrelude.afterRound}: added driver ${run.rePrelude.missedDriver}; budget now ${run.rePrelude.budgetLine}.*`);
  }
  if (run.fallback) notes.push(`*Fallback: ${run.fallback}*`);
  if (run.escalatedAfter !== null) {
    const merged = run.merge?.reply ? 'merged' : 'not merged';
    notes.push(`*Escalated to agent mode after round ${run.escalatedAfter}: ${run.subagents.length} parallel subagents, ${merged}.*`);
  }
  const conflicts = run.prelude?.reply.conflicting_instructions ?? [];
  if (conflicts.length) notes.push(`*Conflicting instructions: ${conflicts.map(oneLine).join('; ')}.*`);
  if (run.mode === 'silent' && run.stopReason && NON_CONVERGENT[run.stopReason]) {
    notes.push(`*Note: ${NON_CONVERGENT[run.stopReason]}.*`);
  }
  if (run.mode !== 'silent' && run.stopReason === 'budget') notes.push(`*Note: ${NON_CONVERGENT.budget}.*`);
  if (run.coda && 'consistent_with_trajectory' in run.coda && !run.coda.consistent_with_trajectory) {
    const where = run.coda.inconsistencies.map(oneLine).join('; ') || 'unspecified';
    notes.push(`*Cross-check: the answer departs from the reasoning on: ${where}.*`);
  }
  return notes;
}

/**
 * Trace shows the kept rounds and the negative-delta ones. A block that kept nothing shows every
 * round it ran instead, so the trace still says what stopped it.
 */
function shownRounds(run: RunRecord): RoundRecord[] {
  const visible = visibleRounds(run);
  return visible.length > 0 ? visible : run.rounds;
}

function nothingKept(run: RunRecord): string {
  const ran = run.rounds.length;
  return ran === 0 ? 'the block ran no pass' : `the block ran ${ran} ${ran === 1 ? 'pass' : 'passes'} and kept none`;
}

export function footerLines(run: RunRecord): string[] {
  const assumptions = run.coda && 'load_bearing_assumptions' in run.coda ? run.coda.load_bearing_assumptions : [];
  switch (run.mode) {
    case 'direct':
      return [DIRECT_FOOTER, ...noteLines(run)];
    case 'silent': {
      const lenses = keptRounds(run).map((r) => r.lens);
      // With no pass kept the answer rests on the diagnosis alone: that is the direct shape.
      if (lenses.length === 0) return [DIRECT_FOOTER, `*Note: ${nothingKept(run)}; the answer rests on the diagnosis alone.*`, ...noteLines(run)];
      return [silentFooter(lenses), assumptionsLine(assumptions), ...noteLines(run)];
    }
    case 'trace': {
      const visible = shownRounds(run);
      const lastKept = visible.filter((r) => r.decision.keep).length;
      const stop = run.stopReason ?? 'max-rounds';
      // "Converged at round 0" would name a round that does not exist: nothing converged.
      const emptyConvergence = lastKept === 0 && visible.length > 0 && isConvergence(stop);
      const why = run.escalatedAfter !== null ? 'escalated to agent mode' : emptyConvergence ? 'no concrete insight' : undefined;
      return [traceFooter(visible.length, lastKept, stop, why), assumptionsLine(assumptions), ...noteLines(run)];
    }
    case 'agent':
      return [agentFooter(run.subagents.filter((s) => s.reply).length, run.merge?.reply != null), assumptionsLine(assumptions), ...noteLines(run)];
  }
}

function traceBody(run: RunRecord): string[] {
  const parts: string[] = [];
  if (run.prelude) parts.push(renderPrelude(run.prelude));
  const chain: string[] = [];
  shownRounds(run).forEach((round, i) => {
    if (run.rePrelude && run.rePrelude.afterRound === i) parts.push(renderRePrelude(run.rePrelude, i));
    parts.push(renderRound(round, i + 1, chain));
    if (round.decision.keep) chain.push(round.reply.new_insight);
  });
  const shown = shownRounds(run).length;
  if (run.rePrelude && run.rePrelude.afterRound === shown) parts.push(renderRePrelude(run.rePrelude, shown));
  return [...parts, ...subagentParts(run)];
}

/** The dispatch line, each subagent and the merge: agent mode, or a trace run that escalated. */
function subagentParts(run: RunRecord): string[] {
  if (!run.subagents.length) return [];
  return [renderDispatch(run.subagents), ...run.subagents.map(renderSubagent), ...(run.merge ? [renderMerge(run.merge, run.subagents)] : [])];
}

function agentBody(run: RunRecord): string[] {
  const parts: string[] = [];
  if (run.prelude) parts.push(renderPrelude(run.prelude));
  return [...parts, ...subagentParts(run)];
}

/** Every part of the output so far; the answer part appears once the Coda has run. */
export function transcriptParts(run: RunRecord): string[] {
  const body = run.mode === 'trace' ? traceBody(run) : run.mode === 'agent' ? agentBody(run) : [];
  if (run.answer !== null) body.push(renderAnswer(run.answer, footerLines(run)));
  return body;
}

export function renderTranscript(run: RunRecord): string {
  return `${transcriptParts(run).join('\n\n')}\n`;
}
