/**
 * The whole user-facing output of a run, in the mode's exact shape, as an ordered list of
 * parts. Trace mode prints the parts as they appear; the others print them at the end.
 */
import {
  agentFooter, counted, DIRECT_FOOTER, ESCALATED_PHRASE, NO_INSIGHT_PHRASE, silentFooter, STOP_PHRASES, traceFooter,
  type PhrasedStop, type TraceStop,
} from '../format/footers.js';
import { isConvergence, type StopReason } from '../outcomes.js';
import { keptRounds, type RunRecord } from '../state.js';
import { fieldList, fieldText } from './model-text.js';
import {
  assumptionsLine, chainText, renderAnswer, renderDispatch, renderMerge, renderPrelude, renderRePrelude, renderRound,
  renderSubagent,
} from './render-parts.js';

const NON_CONVERGENT: Record<PhrasedStop, string> = {
  'max-rounds': 'the planned rounds ran out before the reasoning converged',
  'negative-delta': 'a round made things worse, so it was discarded and the block halted',
  oscillation: 'the conclusion swung back and forth, so the block halted',
  budget: 'the cost or token budget was reached, so the block stopped early',
};

/** The block's stop as a footer can phrase it; a record with no block stop reads as max rounds. */
function blockStop(reason: StopReason | null): Exclude<StopReason, 'interrupted' | 'error'> {
  return reason === null || reason === 'interrupted' || reason === 'error' ? 'max-rounds' : reason;
}

function rePreludeNote(run: RunRecord): string | null {
  const re = run.rePrelude;
  if (!re) return null;
  // Older logs predate `confirmed`: their re-Prelude always added the driver.
  if (re.confirmed ?? true) return `*Re-Prelude after round ${re.afterRound}: added driver ${re.missedDriver}; budget now ${re.budgetLine}.*`;
  return `*Re-Prelude after round ${re.afterRound}: round ${re.afterRound} named driver ${re.missedDriver}, which the re-diagnosis did not confirm; drivers ${re.reply.drivers.join(', ')}; budget now ${re.budgetLine}.*`;
}

function crossCheckNote(run: RunRecord): string | null {
  const cross = run.crossCheck;
  if (cross?.reply && !cross.reply.consistent) {
    return `*Cross-check: the answer departs from the reasoning on: ${fieldList(cross.reply.departures, 'unspecified')}.*`;
  }
  if (cross?.skipped && cross.skipped.reason !== 'nothing-kept') return `*Cross-check: not run; ${fieldText(cross.skipped.detail, 'no reason given')}.*`;
  return null;
}

/**
 * How an escalation went: how many subagents were dispatched and how many of their findings the
 * merge took in (`merged` when all of them, `N merged` when some failed, `not merged` when no
 * merge reply came back).
 */
function escalationNote(run: RunRecord): string | null {
  if (run.escalatedAfter === null) return null;
  const dispatched = run.subagents.length;
  const answered = run.subagents.filter((s) => s.reply).length;
  const merged = !run.merge?.reply || answered === 0 ? 'not merged' : answered === dispatched ? 'merged' : `${answered} merged`;
  return `*Escalated to agent mode after round ${run.escalatedAfter}: ${counted(dispatched, 'parallel subagent', 'parallel subagents')}, ${merged}.*`;
}

/** Italic lines after the footer: what the reader should know about how this answer was made. */
export function noteLines(run: RunRecord): string[] {
  const notes: string[] = [];
  if (run.prelude?.routing.note) notes.push(`*Note: ${run.prelude.routing.note}.*`);
  const rePrelude = rePreludeNote(run);
  if (rePrelude) notes.push(rePrelude);
  if (run.fallback) notes.push(`*Fallback: ${run.fallback}*`);
  const escalation = escalationNote(run);
  if (escalation) notes.push(escalation);
  const conflicts = fieldList(run.prelude?.reply.conflicting_instructions ?? [], '');
  if (conflicts) notes.push(`*Conflicting instructions: ${conflicts}.*`);
  const stop = run.stopReason;
  // An escalated block handed its remaining lenses to subagents: the escalation note says so.
  if (run.mode === 'silent' && run.escalatedAfter === null && stop && stop in NON_CONVERGENT) notes.push(`*Note: ${NON_CONVERGENT[stop as PhrasedStop]}.*`);
  if ((run.mode === 'trace' || run.mode === 'agent') && stop === 'budget') notes.push(`*Note: ${NON_CONVERGENT.budget}.*`);
  const cross = crossCheckNote(run);
  if (cross) notes.push(cross);
  return notes;
}

/** Where the answer came from when no pass was kept: the direct shape says so in a note. */
function nothingKept(run: RunRecord): string {
  const ran = run.rounds.length;
  const block = ran === 0 ? 'the block ran no pass' : `the block ran ${counted(ran, 'pass', 'passes')} and kept none`;
  const carried = run.carried ?? null;
  const basis = carried ? `the diagnosis and subagent ${carried.letter}'s finding` : 'the diagnosis alone';
  return `*Note: ${block}; the answer rests on ${basis}.*`;
}

/** Trace shows every round that ran under its own number; the footer names the round that settled it. */
function traceStop(run: RunRecord): TraceStop {
  const depth = run.rounds.length;
  if (run.escalatedAfter !== null) return { kind: 'stopped', round: depth, reason: ESCALATED_PHRASE };
  const stop = blockStop(run.stopReason);
  if (isConvergence(stop)) {
    const lastKept = run.rounds.findLastIndex((r) => r.decision.keep) + 1;
    // "Converged at round 0" would name a round that does not exist: nothing converged.
    return lastKept > 0 ? { kind: 'converged', round: lastKept } : { kind: 'stopped', round: depth, reason: NO_INSIGHT_PHRASE };
  }
  return { kind: 'stopped', round: depth, reason: STOP_PHRASES[stop as PhrasedStop] };
}

export function footerLines(run: RunRecord): string[] {
  const assumptions = run.coda && 'load_bearing_assumptions' in run.coda ? run.coda.load_bearing_assumptions : [];
  switch (run.mode) {
    case 'direct':
      return [DIRECT_FOOTER, ...noteLines(run)];
    case 'silent': {
      const lenses = keptRounds(run).map((r) => r.lens);
      // With no pass kept the answer rests on the diagnosis: that is the direct shape.
      if (lenses.length === 0) return [DIRECT_FOOTER, nothingKept(run), ...noteLines(run)];
      return [silentFooter(lenses), assumptionsLine(assumptions), ...noteLines(run)];
    }
    case 'trace':
      return [traceFooter(run.rounds.length, traceStop(run)), assumptionsLine(assumptions), ...noteLines(run)];
    case 'agent':
      return [agentFooter(run.subagents.filter((s) => s.reply).length, run.merge?.reply != null), assumptionsLine(assumptions), ...noteLines(run)];
  }
}

function traceBody(run: RunRecord): string[] {
  const parts: string[] = [];
  if (run.prelude) parts.push(renderPrelude(run.prelude));
  const chain: string[] = [];
  run.rounds.forEach((round, i) => {
    if (run.rePrelude && run.rePrelude.afterRound === i) parts.push(renderRePrelude(run.rePrelude, i));
    parts.push(renderRound(round, i + 1, chain));
    chain.push(chainText(round));
  });
  const shown = run.rounds.length;
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
