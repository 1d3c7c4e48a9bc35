/**
 * The Recurrent Block (silent and trace modes): one call per round, each re-sending the original
 * question, the Prelude, the lens and the insight chain; a separate judging call where code has
 * not already decided; halting decided by code.
 */
import type { RunContext } from '../context.js';
import { BudgetExhaustedError, RefusalError } from '../errors.js';
import type { LensStep } from '../prelude/lens-plan.js';
import { runRePrelude } from '../prelude/prelude-stage.js';
import { insightChain, preludeText, stanceLines } from '../prompts/build-prompts.js';
import { JudgeReply, RoundReply, type LensName } from '../schemas.js';
import { chainEntries, type ChainEntry, type PreludeRecord, type RoundRecord } from '../state.js';
import { escalate, escalationSteps, shouldEscalate } from './escalation.js';
import { decideRound, needsJudge } from './halting.js';
import { remainingSteps, withinRoundCap } from './remaining-steps.js';

export { remainingSteps };

/** The first application already reached stable: a second pass would only relabel it. */
function secondIsRedundant(step: LensStep, rounds: readonly RoundRecord[]): boolean {
  if (step.application !== 2) return false;
  const first = rounds.find((r) => r.lens === step.lens && r.application === 1 && r.decision.keep);
  return first?.reply.convergence === 'stable';
}

function skip(ctx: RunContext, step: LensStep, why: string): void {
  const skipped = { lens: step.lens, application: step.application, why };
  ctx.record.skipped.push(skipped);
  ctx.bus.emit({ type: 'round.skipped', skipped });
}

/** The judge sees the chain with each kept round's stance and the candidate, its stance included. */
async function judgeRound(ctx: RunContext, values: Record<string, string>, index: number, reply: RoundReply, kept: readonly ChainEntry[]) {
  const candidate = [
    reply.new_insight,
    `What changed: ${reply.what_changed}`,
    `Stance: ${reply.stance}`,
    `Self-reported convergence: ${reply.convergence}`,
  ].join('\n');
  const prompt = ctx.prompts.fill('Judge', { ...values, round: index, stances: stanceLines(kept), candidate });
  return (await ctx.call('judge', `judge round ${index}`, prompt, JudgeReply)).value;
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
  const spent = new Set<LensName>();
  let rePreludeTried = false;
  ctx.bus.emit({ type: 'stage', stage: 'recurrent', label: `Recurrent Block: ${queue.length} rounds planned` });

  while (queue.length > 0) {
    const step = queue.shift()!;
    if (secondIsRedundant(step, record.rounds)) {
      skip(ctx, step, 'the first application already reached stable');
      continue;
    }
    const kept = chainEntries(record);
    // Every round may need its judge: both must fit.
    if (!ctx.canAfford('round', 'judge')) {
      return stop(ctx, 'budget', 'the next round and the Coda would not fit under the budget');
    }
    const index = record.rounds.length + 1;
    const values = { question, prelude: preludeText(prelude), insight_chain: insightChain(kept), lens: step.lens };
    const roundPrompt = ctx.prompts.fill('Round', {
      ...values, round: index, total_rounds: ran.length + 1 + queue.length,
      lens_brief: ctx.prompts.lensBrief(step.lens), application: ctx.prompts.application(step.lens, step.application),
    });
    const { value: reply } = await ctx.call('round', `round ${index} (${step.lens})`, roundPrompt, RoundReply);
    ran.push(step);

    // Code decides first; the judge is called only for what code cannot settle, never on an echo.
    const judged = needsJudge(reply, kept);
    let judge: Awaited<ReturnType<typeof judgeRound>> | null = null;
    // A round already paid for is never lost: if its judge no longer fits, code alone decides it and the block stops.
    let unjudgedForBudget: string | null = null;
    // A judge that declines leaves the paid round to code alone, as round 1 is; asking again would
    // get the same refusal.
    let judgeDeclined: string | null = null;
    if (judged) {
      try {
        judge = await judgeRound(ctx, values, index, reply, kept);
      } catch (error) {
        if (error instanceof RefusalError) judgeDeclined = error.message;
        else if (error instanceof BudgetExhaustedError) unjudgedForBudget = error.message;
        else throw error;
      }
    }
    const decided = decideRound({
      reply, judge, kept,
      challengeDone: kept.some((e) => e.from === null && e.lens === 'Challenge') || step.lens === 'Challenge',
      application: step.application,
      lastPlanned: queue.length === 0,
    });
    const decision = judgeDeclined ? { ...decided, why: `${judgeDeclined}; code alone decided: ${decided.why}` } : decided;
    const round: RoundRecord = {
      index, lens: step.lens, application: step.application, reply, judge, judgedBy: judge ? 'judge-call' : 'none', decision,
    };
    record.rounds.push(round);
    ctx.bus.emit({ type: 'round', round });
    for (const flag of decision.flags) {
      ctx.bus.emit({ type: 'flag', flag, round: index, evidence: decision.why });
    }
    if (unjudgedForBudget) return stop(ctx, 'budget', unjudgedForBudget);
    if (decision.spent) {
      spent.add(step.lens);
      for (const later of queue.filter((s) => s.lens === step.lens)) skip(ctx, later, `the lens is spent: round ${index} gave nothing new`);
      queue = queue.filter((s) => s.lens !== step.lens);
    }
    if (decision.halt) return stop(ctx, decision.halt, decision.why);

    const missed = reply.missed_driver;
    if (decision.keep && missed && !prelude.reply.drivers.includes(missed) && !rePreludeTried && !record.rePrelude && ctx.canAfford('re-prelude', 'round')) {
      rePreludeTried = true;
      try {
        prelude = await runRePrelude(ctx, question, prelude, chainEntries(record), record.rounds.length, missed);
      } catch (error) {
        // The re-diagnosis is optional: if the model declines it, the first diagnosis stands.
        if (error instanceof RefusalError) continue;
        throw error;
      }
      queue = withinRoundCap(remainingSteps(prelude.plan, ran).filter((s) => !spent.has(s.lens)), ran.length, ctx.limits.maxRounds);
      // A run that already fell back from agent mode does not go back to it.
      const parallel = record.fallback ? [] : escalationSteps(ctx, prelude, ran, spent);
      if (shouldEscalate(record.prelude!, prelude, parallel.length)) return escalate(ctx, question, parallel);
    }
  }
  stop(ctx, 'max-rounds', 'the planned rounds are used up');
}

function stop(ctx: RunContext, reason: NonNullable<RoundRecord['decision']['halt']>, detail: string): void {
  ctx.record.stopReason = reason;
  ctx.record.stopDetail = detail;
  ctx.bus.emit({ type: 'stop', reason, detail });
}
