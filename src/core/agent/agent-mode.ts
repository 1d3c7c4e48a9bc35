/**
 * Agent mode end to end: fit the dispatch to the budget, run the subagents in parallel, merge,
 * and fall back to the sequential block when fewer than two findings came back.
 */
import type { RunContext } from '../context.js';
import { budgetLine, planRounds } from '../prelude/lens-plan.js';
import { runRecurrentBlock } from '../recurrent/recurrent-block.js';
import { affordableSubagents, runMerge, runSubagents } from './agent-stage.js';

/** Fewer than this many findings cannot be merged: agent mode falls back to the sequential block. */
const MIN_FINDINGS = 2;

export async function runAgentMode(ctx: RunContext, question: string): Promise<void> {
  const { record, bus } = ctx;
  const prelude = record.prelude!;
  const affordable = affordableSubagents(ctx, prelude.plan.length);
  if (affordable < prelude.plan.length) {
    const plan = prelude.plan.slice(0, affordable);
    record.prelude = { ...prelude, plan, budgetLine: budgetLine(plan) };
    bus.emit({ type: 'prelude', prelude: record.prelude });
  }
  if (affordable < MIN_FINDINGS) {
    record.stopReason = 'budget';
    record.stopDetail = `only ${affordable} subagents fit under the budget; none were dispatched`;
    bus.emit({ type: 'stop', reason: record.stopReason, detail: record.stopDetail });
    return;
  }
  const subagents = await runSubagents(ctx, question);
  const findings = subagents.filter((s) => s.reply).length;
  if (findings < MIN_FINDINGS) return fallBackToSequential(ctx, question, findings, subagents.length);
  await runMerge(ctx, question);
  const trimmed = affordable < prelude.plan.length;
  record.stopReason = trimmed ? 'budget' : 'max-rounds';
  record.stopDetail = `${findings} of ${subagents.length} subagents merged${trimmed ? ` (${prelude.plan.length} planned; the budget allowed ${affordable})` : ''}`;
  bus.emit({ type: 'stop', reason: record.stopReason, detail: record.stopDetail });
}

async function fallBackToSequential(ctx: RunContext, question: string, findings: number, dispatched: number) {
  const record = ctx.record;
  const note = `agent mode got ${findings} of ${dispatched} subagent findings, so the lenses ran as a sequential block instead.`;
  const prelude = record.prelude!;
  const plan = planRounds(prelude.reply.drivers, ctx.refs, ctx.limits.maxRounds, prelude.reply.extra_lenses);
  record.prelude = { ...prelude, plan, budgetLine: budgetLine(plan), routing: { ...prelude.routing, mode: 'silent' } };
  record.mode = 'silent';
  record.fallback = note;
  ctx.bus.emit({ type: 'fallback', note, prelude: record.prelude });
  await runRecurrentBlock(ctx, question);
}
