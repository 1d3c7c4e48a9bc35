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
import { runRecurrentBlock, type BlockHooks } from './recurrent/recurrent-block.js';
import { estimateCost } from './pricing.js';
import { emptyRun, keptRounds, type RunRecord } from './state.js';
import type { ModelProvider } from '../providers/types.js';

export interface RunRequest {
  runId: string;
  question: string;
  forced: ForcedMode;
  limits: RunLimits;
  signal?: AbortSignal | undefined;
  replay?: ReplayCache;
  hooks?: BlockHooks;
}

export interface RunOutcome {
  record: RunRecord;
  markdown: string;
}

/** Fewer than this many findings cannot be merged: agent mode falls back to the sequential block. */
const MIN_FINDINGS = 2;

export async function runMythos(provider: ModelProvider, refs: ReferenceBundle, bus: EventBus, request: RunRequest): Promise<RunOutcome> {
  const record = emptyRun(request.runId, request.question, provider.model, 'silent');
  const ctx = new RunContext(provider, refs, bus, record, request.limits, request.signal, request.replay);
  const { question } = request;

  const prelude = await runPrelude(ctx, question, request.forced);
  if (prelude.routing.mode === 'direct') {
    record.stopReason = 'converged:self-consistent';
    record.stopDetail = 'complexity 1: the Recurrent Block was skipped';
    bus.emit({ type: 'stop', reason: record.stopReason, detail: record.stopDetail });
  } else if (prelude.routing.mode === 'agent') {
    const subagents = await runSubagents(ctx, question);
    const findings = subagents.filter((s) => s.reply).length;
    if (findings >= MIN_FINDINGS) {
      await runMerge(ctx, question);
      record.stopReason = 'max-rounds';
      record.stopDetail = `${findings} of ${subagents.length} subagents merged`;
      bus.emit({ type: 'stop', reason: record.stopReason, detail: record.stopDetail });
    } else {
      await fallBackToSequential(ctx, question, findings, subagents.length, request.hooks);
    }
  } else {
    await runRecurrentBlock(ctx, question, request.hooks);
  }
  flagPrematureStop(record, bus);
  const markdown = await runCoda(ctx, question);
  const costUsd = estimateCost(provider.model, ctx.usage);
  bus.emit({ type: 'run.end', mode: record.mode, usage: ctx.usage, costUsd, record });
  return { record, markdown };
}

async function fallBackToSequential(ctx: RunContext, question: string, findings: number, dispatched: number, hooks?: BlockHooks) {
  const record = ctx.record;
  const note = `agent mode got ${findings} of ${dispatched} subagent findings, so the lenses ran as a sequential block instead.`;
  const prelude = record.prelude!;
  const plan = planRounds(prelude.reply.drivers, ctx.refs, ctx.limits.maxRounds);
  record.prelude = { ...prelude, plan, budgetLine: budgetLine(plan), routing: { ...prelude.routing, mode: 'silent' } };
  record.mode = 'silent';
  record.fallback = note;
  ctx.bus.emit({ type: 'fallback', note, prelude: record.prelude });
  await runRecurrentBlock(ctx, question, hooks);
}

/** A hard question that "converged" after one round was probably not examined. */
function flagPrematureStop(record: RunRecord, bus: EventBus): void {
  const score = record.prelude?.routing.score ?? 0;
  if (score >= 4 && record.stopReason?.startsWith('converged:') && keptRounds(record).length === 1 && record.mode !== 'direct') {
    const evidence = `complexity ${score} but the block converged after one round`;
    record.flags.push({ flag: 'PREMATURE_STOP', evidence });
    bus.emit({ type: 'flag', flag: 'PREMATURE_STOP', evidence });
  }
}
