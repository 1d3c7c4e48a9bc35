/**
 * Agent mode: every lens runs as an isolated subagent, all in flight at once (bounded by the
 * concurrency option). A subagent sees the question, the Prelude and its own lens: never
 * another subagent's output. Then one merge call keeps the tensions instead of hiding them.
 */
import pLimit from 'p-limit';
import type { RunContext } from '../context.js';
import { CutOffError, InterruptedError, InvalidReplyError, ModelCallError, MythosError } from '../errors.js';
import type { LensStep } from '../prelude/lens-plan.js';
import { findingsText, preludeText } from '../prompts/build-prompts.js';
import { MergeReply, SubagentReply } from '../schemas.js';
import { markDivergent, type MergeRecord, type SubagentRecord } from '../state.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function flag(ctx: RunContext, flag: 'SUBAGENT_FAILED' | 'UNRESOLVED', evidence: string, subagent?: string): void {
  ctx.bus.emit({ type: 'flag', flag, evidence, ...(subagent ? { subagent } : {}) });
}

/** A failed call or a reply that missed its format may go better a second time; nothing else will. */
function worthRetrying(error: unknown): boolean {
  if (error instanceof CutOffError) return false;
  return error instanceof ModelCallError || error instanceof InvalidReplyError || !(error instanceof MythosError);
}

async function runSubagent(ctx: RunContext, question: string, prelude: string, step: LensStep, letter: string, share: () => number): Promise<SubagentRecord> {
  const prompt = ctx.prompts.fill('Subagent', {
    question, prelude, lens: step.lens,
    lens_brief: ctx.prompts.lensBrief(step.lens), application: ctx.prompts.application(step.lens, step.application),
  });
  let lastError = '';
  let attempt = 1;
  // Retried once beyond the provider's own retries, then left out and flagged. A failure that
  // would only repeat (a refusal, a full context window, a cut-off, the caps) is not retried.
  for (; attempt <= 2; attempt++) {
    try {
      const { value } = await ctx.call('subagent', `subagent ${letter} (${step.lens})`, prompt, SubagentReply, { share: share() });
      return { letter, lens: step.lens, application: step.application, reply: value, error: null, attempts: attempt, divergent: false };
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      lastError = error instanceof Error ? error.message : String(error);
      if (!worthRetrying(error)) break;
    }
  }
  flag(ctx, 'SUBAGENT_FAILED', lastError, letter);
  return { letter, lens: step.lens, application: step.application, reply: null, error: lastError, attempts: Math.min(attempt, 2), divergent: false };
}

/** The diagnosis subagents and the merge work from: the re-Prelude once there is one. */
function currentPrelude(ctx: RunContext) {
  return ctx.record.rePrelude ?? ctx.record.prelude!;
}

/** Dispatches every subagent at once and returns them in letter order once all have returned. */
export async function runSubagents(ctx: RunContext, question: string, steps: readonly LensStep[] = ctx.record.prelude!.plan): Promise<SubagentRecord[]> {
  const text = preludeText(currentPrelude(ctx));
  ctx.bus.emit({ type: 'stage', stage: 'agent', label: `dispatching ${steps.length} parallel subagents` });
  ctx.bus.emit({ type: 'dispatch', lenses: steps.map((s) => s.lens) });
  const limit = pLimit(Math.max(1, ctx.limits.concurrency));
  // Under caps, calls in flight hold room in the order they start: Challenge starts first, so
  // if a sibling must be left out it is never the one that disagrees. Letters follow the plan.
  const dispatchOrder = steps.map((_, i) => i).sort((a, b) => Number(steps[b]!.lens === 'Challenge') - Number(steps[a]!.lens === 'Challenge'));
  const results: SubagentRecord[] = new Array(steps.length);
  // Siblings about to start split what the caps leave: those not yet started, as many as run at once.
  let started = 0;
  const share = () => Math.min(limit.concurrency, steps.length - started++);
  await Promise.all(
    dispatchOrder.map((i) =>
      limit(async () => {
        const subagent = await runSubagent(ctx, question, text, steps[i]!, LETTERS[i] ?? String(i + 1), share);
        ctx.bus.emit({ type: 'subagent', subagent });
        results[i] = subagent;
      }),
    ),
  );
  ctx.record.subagents = results;
  return results;
}

export async function runMerge(ctx: RunContext, question: string): Promise<MergeRecord> {
  ctx.bus.emit({ type: 'stage', stage: 'merge', label: 'merging the independent findings' });
  const subagents = ctx.record.subagents;
  let merge: MergeRecord;
  try {
    const prompt = ctx.prompts.fill('Merge', { question, prelude: preludeText(currentPrelude(ctx)), findings: findingsText(subagents) });
    const { value } = await ctx.call('merge', 'merge', prompt, MergeReply);
    merge = { reply: value, fallbackNote: null };
    if (value.unresolved) flag(ctx, 'UNRESOLVED', value.competing_positions.join(' | ') || value.synthesis);
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    merge = { reply: null, fallbackNote: `the merge call failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  markDivergent(subagents, merge);
  ctx.record.merge = merge;
  ctx.bus.emit({ type: 'merge', merge });
  return merge;
}

/** How many subagents (plus the merge and the Coda) fit under the budget, up to `planned`. */
export function affordableSubagents(ctx: RunContext, planned: number): number {
  let count = planned;
  while (count > 0 && !ctx.canAfford(...Array<'subagent'>(count).fill('subagent'), 'merge')) count--;
  return count;
}
