/**
 * Agent mode end to end: fit the dispatch to the budget, run the subagents in parallel, merge,
 * and fall back to the sequential block when fewer than two findings can be had.
 */
import type { RunContext } from '../context.js';
import { budgetLine, planRounds } from '../prelude/lens-plan.js';
import { runRecurrentBlock } from '../recurrent/recurrent-block.js';
import type { CarriedFinding } from '../state.js';
import { affordableSubagents, runMerge, runSubagents } from './agent-stage.js';

/** Fewer than this many findings cannot be merged: agent mode falls back to the sequential block. */
const MIN_FINDINGS = 2;

export async function runAgentMode(ctx: RunContext, question: string): Promise<void> {
  const { record, bus } = ctx;
  const prelude = record.prelude!;
  const affordable = affordableSubagents(ctx, prelude.plan.length);
  if (affordable < MIN_FINDINGS) {
    // Nothing to merge could be paid for: the cheaper sequential block gets what the budget allows.
    const note = `the budget allowed ${affordable} of ${prelude.plan.length} subagents and a merge needs two, so the lenses ran as a sequential block instead.`;
    return fallBackToSequential(ctx, question, note, null);
  }
  if (affordable < prelude.plan.length) {
    const plan = prelude.plan.slice(0, affordable);
    record.prelude = { ...prelude, plan, budgetLine: budgetLine(plan) };
    bus.emit({ type: 'prelude', prelude: record.prelude });
  }
  const subagents = await runSubagents(ctx, question);
  const survivors = subagents.filter((s) => s.reply);
  if (survivors.length < MIN_FINDINGS) {
    const note = `agent mode got ${survivors.length} of ${subagents.length} subagent findings, so the lenses ran as a sequential block instead.`;
    const survivor = survivors[0];
    const carried = survivor?.reply ? { letter: survivor.letter, lens: survivor.lens, finding: survivor.reply.finding, stance: survivor.reply.stance } : null;
    return fallBackToSequential(ctx, question, note, carried);
  }
  await runMerge(ctx, question);
  const trimmed = affordable < prelude.plan.length;
  record.stopReason = trimmed ? 'budget' : 'max-rounds';
  record.stopDetail = `${survivors.length} of ${subagents.length} subagents merged${trimmed ? ` (${prelude.plan.length} planned; the budget allowed ${affordable})` : ''}`;
  bus.emit({ type: 'stop', reason: record.stopReason, detail: record.stopDetail });
}

/** The sequential block in silent mode; a surviving finding opens its insight chain (R0). */
async function fallBackToSequential(ctx: RunContext, question: string, note: string, carried: CarriedFinding | null) {
  const record = ctx.record;
  const prelude = record.prelude!;
  const plan = planRounds(prelude.reply.drivers, ctx.refs, ctx.limits.maxRounds, prelude.reply.extra_lenses);
  record.prelude = { ...prelude, plan, budgetLine: budgetLine(plan), routing: { ...prelude.routing, mode: 'silent' } };
  record.mode = 'silent';
  record.fallback = note;
  record.carried = carried;
  ctx.bus.emit({ type: 'fallback', note, prelude: record.prelude, carried });
  await runRecurrentBlock(ctx, question);
}
