/**
 * One mythos run: Prelude → (Recurrent Block | parallel subagents + merge) → Coda.
 */
import { runAgentMode } from './agent/agent-mode.js';
import { runCoda } from './coda/coda-stage.js';
import { RunContext, type ReplayCache, type RunLimits } from './context.js';
import { EventBus } from './events.js';
import { runPrelude, type ForcedMode } from './prelude/prelude-stage.js';
import { assertCapFitsMode } from './prelude/routing.js';
import type { ReferenceBundle } from './prompts/reference-files.js';
import { runRecurrentBlock } from './recurrent/recurrent-block.js';
import { roundCost, type ResolvedModel } from './models/pricing.js';
import { runFlags } from './flags.js';
import { estimatePlan, type PlanEstimate } from './plan-estimate.js';
import { emptyRun, type CallRecord, type RunRecord } from './state.js';
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
  /** The model with its catalogue entry; without one, an unknown model with no prices. */
  model?: ResolvedModel;
  /** When the run began (a resumed run keeps its first date): the prices of that day apply. */
  startedAt?: Date;
  /** Calls of earlier attempts that failed after being billed (resume): spent all the same. */
  failedBefore?: readonly CallRecord[];
}

export interface RunOutcome {
  record: RunRecord;
  markdown: string;
  plan?: PlanEstimate;
}

export async function runMythos(provider: ModelProvider, refs: ReferenceBundle, bus: EventBus, request: RunRequest): Promise<RunOutcome> {
  assertCapFitsMode(request.forced, request.limits.maxRounds);
  const record = emptyRun(request.runId, request.question, provider.model, 'silent');
  const model = request.model ?? { id: provider.model, entry: null };
  const ctx = new RunContext(provider, refs, bus, record, request.limits, request.signal, request.replay, model, request.startedAt);
  const { question } = request;
  const costUsd = () => (model.entry ? roundCost(ctx.costUsd) : null);
  for (const call of request.failedBefore ?? []) ctx.carry(call);

  const prelude = await runPrelude(ctx, question, request.forced);
  if (request.dryRun) {
    const plan = estimatePlan(prelude, ctx);
    // A dry run is complete once planned: its log must not read as an interrupted run.
    bus.emit({ type: 'run.end', mode: record.mode, usage: ctx.usage, costUsd: costUsd(), record });
    return { record, markdown: '', plan };
  }
  if (prelude.routing.mode === 'direct') {
    // A budget that left no room for the block has already said so.
    if (record.stopReason === null) {
      record.stopReason = 'converged:self-consistent';
      record.stopDetail = `the Recurrent Block was skipped (${prelude.routing.source === 'flag' ? '--mode direct' : `complexity ${prelude.routing.score}`})`;
      bus.emit({ type: 'stop', reason: record.stopReason, detail: record.stopDetail });
    }
  } else if (prelude.routing.mode === 'agent') {
    await runAgentMode(ctx, question);
  } else {
    await runRecurrentBlock(ctx, question);
  }
  const markdown = await runCoda(ctx, question, request.streamAnswer);
  record.flags = runFlags(record);
  bus.emit({ type: 'run.end', mode: record.mode, usage: ctx.usage, costUsd: costUsd(), record });
  return { record, markdown };
}
