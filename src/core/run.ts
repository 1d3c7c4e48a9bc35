/**
 * One mythos run: Prelude → (Recurrent Block | parallel subagents + merge) → Coda.
 */
import { runMerge, runSubagents } from './agent/agent-stage.js';
import { runCoda } from './coda/coda-stage.js';
import { RunContext, type ReplayCache, type RunLimits } from './context.js';
import { EventBus } from './events.js';
import { budgetLine, planRounds } from './prelude/lens-plan.js';
import { runPrelude, type ForcedMode } from './prelude/prelude-stage.js';
import type { ReferenceBundle } from './prompts/reference-files.js';
import { runRecurrentBlock } from './recurrent/recurrent-block.js';
import { estimateCost } from './pricing.js';
import { runFlags } from './flags.js';
import { estimatePlan, type PlanEstimate } from './plan-estimate.js';
import { emptyRun, type RunRecord } from './state.js';
import type { ModelProvider } from '../providers/types.js';

export interface RunRequest {
  runId: string;
  question: string;
  forced: ForcedMode;
  limits: RunLimits;
  signal?: AbortSignal | undefined;
  replay?: ReplayCache;
  /** Stop after the Prelude and estimate the rest (--dry-run). */
  dryRun?: boolean;
  /** Emit the answer's text as it streams (`coda.delta` events). */
  streamAnswer?: boolean;
}

export interface RunOutcome {
  record: RunRecord;
  markdown: string;
  plan?: PlanEstimate;
}

/** Fewer than this many findings cannot be merged: agent mode falls back to the sequential block. */
const MIN_FINDINGS = 2;

export async function runMythos(provider: ModelProvider, refs: ReferenceBundle, bus: EventBus, request: RunRequest): Promise<RunOutcome> {
  const record = emptyRun(request.runId, request.question, provider.model, 'silent');
  const ctx = new RunContext(provider, refs, bus, record, request.limits, request.signal, request.replay);
  const { question } = request;

  const prelude = await runPrelude(ctx, question, request.forced);
  if (request.dryRun) {
    const plan = estimatePlan(prelude, provider.model, ctx.usage, (step) => ctx.budget.estimate(step));
    return { record, markdown: '', plan };
  }
  if (prelude.routing.mode === 'direct') {
    record.stopReason = 'converged:self-consistent';
    record.stopDetail = 'complexity 1: the Recurrent Block was skipped';
    bus.emit({ type: 'stop', reason: record.stopReason, detail: record.stopDetail });
  } else if (prelude.routing.mode === 'agent') {
    await runAgentMode(ctx, question);
  } else {
    await runRecurrentBlock(ctx, question);
  }
  const markdown = await runCoda(ctx, question, request.streamAnswer);
  record.flags = runFlags(record);
  const costUsd = estimateCost(provider.model, ctx.usage);
  bus.emit({ type: 'run.end', mode: record.mode, usage: ctx.usage, costUsd, record });
  return { record, markdown };
}

/** How many subagents (plus the merge and the Coda) fit under the budget, up to `planned`. */
function affordableSubagents(ctx: RunContext, planned: number): number {
  let count = planned;
  while (count > 0 && !ctx.canAfford(...Array<'subagent'>(count).fill('subagent'), 'merge')) count--;
  return count;
}

async function runAgentMode(ctx: RunContext, question: string): Promise<void> {
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
