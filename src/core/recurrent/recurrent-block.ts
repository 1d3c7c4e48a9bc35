/**
 * The Recurrent Block (silent and trace modes): one call per round, each re-sending the original
 * question, the Prelude, the lens and the insight chain; a separate judging call from round 2;
 * halting decided by code.
 */
import type { RunContext } from '../context.js';
import { BudgetExhaustedError } from '../errors.js';
import type { LensStep } from '../prelude/lens-plan.js';
import { planFor, runRePrelude } from '../prelude/prelude-stage.js';
import { affordableSubagents, runMerge, runSubagents } from '../agent/agent-stage.js';
import { insightChain, preludeText } from '../prompts/build-prompts.js';
import { JudgeReply, RoundReply } from '../schemas.js';
import { keptRounds, visibleRounds, type PreludeRecord, type RoundRecord } from '../state.js';
import { decideRound, isConcreteInsight } from './halting.js';

/** Steps of a new plan that have not run yet, counting applications per lens. */
export function remainingSteps(plan: readonly LensStep[], ran: readonly LensStep[]): LensStep[] {
  const done = new Map<string, number>();
  for (const step of ran) done.set(step.lens, Math.max(done.get(step.lens) ?? 0, step.application));
  return plan.filter((step) => step.application > (done.get(step.lens) ?? 0));
}

/** The first application already reached stable: a second pass would only relabel it. */
function secondIsRedundant(step: LensStep, rounds: readonly RoundRecord[]): boolean {
  if (step.application !== 2) return false;
  const first = rounds.find((r) => r.lens === step.lens && r.application === 1 && r.decision.keep);
  return first?.reply.convergence === 'stable';
}

export async function runRecurrentBlock(ctx: RunContext, question: string): Promise<void> {
  try {
    await runRounds(ctx, question);
  } catch (error) {
    // A call the caps could no longer hold ends the block like any budget stop: the Coda still runs.
    if (error instanceof BudgetExhaustedError) return stop(ctx, 'budget', error.message);
    throw error;
  }
}

async function runRounds(ctx: RunContext, question: string): Promise<void> {
  const record = ctx.record;
  let prelude: PreludeRecord = record.prelude!;
  let queue: LensStep[] = [...prelude.plan];
  const ran: LensStep[] = [];
  ctx.bus.emit({ type: 'stage', stage: 'recurrent', label: `Recurrent Block: ${queue.length} rounds planned` });

  while (queue.length > 0) {
    const step = queue.shift()!;
    if (secondIsRedundant(step, record.rounds)) {
      const skipped = { lens: step.lens, application: step.application, why: 'the first application already reached stable' };
      record.skipped.push(skipped);
      ctx.bus.emit({ type: 'round.skipped', skipped });
      continue;
    }
    if (!ctx.canAfford('round', ...(record.rounds.length > 0 ? (['judge'] as const) : []))) {
      return stop(ctx, 'budget', 'the next round and the Coda would not fit under the budget');
    }
    const kept = keptRounds(record);
    const index = record.rounds.length + 1;
    const chain = insightChain(kept);
    const promptValues = { question, prelude: preludeText(prelude), insight_chain: chain, lens: step.lens };
    const roundPrompt = ctx.prompts.fill('Round', {
      ...promptValues, round: index, total_rounds: ran.length + 1 + queue.length,
      lens_brief: ctx.prompts.lensBrief(step.lens), application: ctx.prompts.application(step.lens, step.application),
    });
    const { value: reply } = await ctx.call('round', `round ${index} (${step.lens})`, roundPrompt, RoundReply);
    ran.push(step);

    // The round never grades itself: from round 2 a separate call judges it against the chain.
    let judge: JudgeReply | null = null;
    if (kept.length > 0 && isConcreteInsight(reply.new_insight)) {
      const candidate = `${reply.new_insight}\nWhat changed: ${reply.what_changed}\nSelf-reported convergence: ${reply.convergence}`;
      const judgePrompt = ctx.prompts.fill('Judge', { ...promptValues, round: index, candidate });
      judge = (await ctx.call('judge', `judge round ${index}`, judgePrompt, JudgeReply)).value;
    }
    const decision = decideRound({
      reply, judge,
      keptInsights: kept.map((r) => r.reply.new_insight),
      keptStances: kept.map((r) => r.reply.stance),
      challengeDone: kept.some((r) => r.lens === 'Challenge') || step.lens === 'Challenge',
      lastPlanned: queue.length === 0,
    });
    const round: RoundRecord = {
      index, lens: step.lens, application: step.application, reply, judge, judgedBy: judge ? 'judge-call' : 'none', decision,
    };
    record.rounds.push(round);
    ctx.bus.emit({ type: 'round', round });
    for (const flag of decision.flags) {
      ctx.bus.emit({ type: 'flag', flag, round: index, evidence: decision.why });
    }
    if (decision.halt) return stop(ctx, decision.halt, decision.why);

    const missed = reply.missed_driver;
    if (decision.keep && missed && !prelude.reply.drivers.includes(missed) && !record.rePrelude && ctx.canAfford('re-prelude', 'round')) {
      prelude = await runRePrelude(ctx, question, prelude, keptRounds(record), visibleRounds(record).length, missed);
      queue = remainingSteps(prelude.plan, ran);
      const parallel = remainingSteps(planFor('agent', prelude.reply, ctx.refs, ctx.limits.maxRounds), ran);
      // A run that already fell back from agent mode does not go back to it.
      const affordable = parallel.slice(0, affordableSubagents(ctx, parallel.length));
      if (!record.fallback && shouldEscalate(prelude, affordable.length)) return escalate(ctx, question, affordable);
    }
  }
  stop(ctx, 'max-rounds', 'the planned rounds are used up');
}

/** Routed by score (no keyword, no flag), the new score reaches agent mode, and two lenses remain. */
export function shouldEscalate(prelude: PreludeRecord, remaining: number): boolean {
  return prelude.routing.source === 'score' && prelude.routing.score >= 4 && remaining >= 2;
}

/** The remaining lenses run as parallel subagents and are merged; the rounds so far stay. */
async function escalate(ctx: RunContext, question: string, steps: LensStep[]): Promise<void> {
  const record = ctx.record;
  record.escalatedAfter = visibleRounds(record).length;
  ctx.bus.emit({ type: 'escalation', afterRound: record.escalatedAfter });
  const subagents = await runSubagents(ctx, question, steps);
  if (subagents.filter((s) => s.reply).length >= 2) await runMerge(ctx, question);
  stop(ctx, 'max-rounds', `escalated to agent mode after round ${record.escalatedAfter}`);
}

function stop(ctx: RunContext, reason: NonNullable<RoundRecord['decision']['halt']>, detail: string): void {
  ctx.record.stopReason = reason;
  ctx.record.stopDetail = detail;
  ctx.bus.emit({ type: 'stop', reason, detail });
}
