/**
 * The Prelude: one structured call diagnoses the question; code scores, routes and budgets.
 */
import type { RunContext } from '../context.js';
import { insightChain, preludeText } from '../prompts/build-prompts.js';
import type { ReferenceBundle } from '../prompts/reference-files.js';
import {
  CodaReply, CrossCheckReply, DirectCodaReply, JudgeReply, MergeReply, PreludeReply, RoundReply, SubagentReply, type DriverName, type Mode,
} from '../schemas.js';
import type { ChainEntry, PreludeRecord, RePreludeRecord } from '../state.js';
import { budgetLine, planRounds, planSubagents, type LensStep } from './lens-plan.js';
import { complexityScore, route, type Forced, type Routing } from './routing.js';

export type ForcedMode = Forced;

export function planFor(mode: Mode, reply: Pick<PreludeReply, 'drivers' | 'extra_lenses'>, refs: ReferenceBundle, maxRounds: number | undefined): LensStep[] {
  if (mode === 'direct') return [];
  return mode === 'agent'
    ? planSubagents(reply.drivers, refs, maxRounds, reply.extra_lenses)
    : planRounds(reply.drivers, refs, maxRounds, reply.extra_lenses);
}

/** Pure: the Prelude record for a diagnosis under the given routing constraints. */
export function buildPrelude(reply: PreludeReply, forced: ForcedMode, refs: ReferenceBundle, maxRounds?: number): PreludeRecord {
  const routing: Routing = route(complexityScore(reply.factors), forced, maxRounds);
  const plan = planFor(routing.mode, reply, refs, maxRounds);
  return { reply, routing, plan, budgetLine: budgetLine(plan) };
}

export async function runPrelude(ctx: RunContext, question: string, forced: ForcedMode): Promise<PreludeRecord> {
  ctx.bus.emit({ type: 'stage', stage: 'prelude', label: 'Prelude: diagnosing the question' });
  const prompt = ctx.prompts.fill('Prelude', { question });
  ctx.assertCanStart();
  const pending = ctx.call('prelude', 'Prelude', prompt, PreludeReply);
  // The Prelude's own parser first: its reply is the next thing to parse.
  ctx.prepareAhead([PreludeReply, SubagentReply, RoundReply, JudgeReply, MergeReply, CodaReply, DirectCodaReply, CrossCheckReply]);
  const { value } = await pending;
  const prelude = fitToBudget(ctx, buildPrelude(value, forced, ctx.refs, ctx.limits.maxRounds));
  ctx.record.prelude = prelude;
  ctx.record.mode = prelude.routing.mode;
  ctx.bus.emit({ type: 'prelude', prelude });
  if (value.conflicting_instructions.length) {
    const evidence = value.conflicting_instructions.join('; ');
    ctx.bus.emit({ type: 'flag', flag: 'CONFLICTING_CONSTRAINTS', evidence });
  }
  return prelude;
}

/**
 * A block that cannot pay for one round would show a Prelude and nothing to trace: the question
 * is answered directly instead, decided before anything is shown, and the answer says why.
 */
function fitToBudget(ctx: RunContext, prelude: PreludeRecord): PreludeRecord {
  const { mode } = prelude.routing;
  if ((mode !== 'silent' && mode !== 'trace') || ctx.canAfford('round')) return prelude;
  const detail = `the budget leaves no room for a single ${mode} round, so the question was answered directly`;
  ctx.record.stopReason = 'budget';
  ctx.record.stopDetail = detail;
  ctx.bus.emit({ type: 'stop', reason: 'budget', detail });
  return { ...prelude, routing: { ...prelude.routing, mode: 'direct', note: detail }, plan: [], budgetLine: '' };
}

/**
 * A re-Prelude after a round named a driver the Prelude missed. The mode stays as routed (rounds
 * already shown keep their shape); only the budget for the remaining lenses changes. The
 * re-diagnosis keeps its own drivers: the round's claim is a question put to it, not a verdict.
 */
export async function runRePrelude(
  ctx: RunContext, question: string, prelude: PreludeRecord, kept: readonly ChainEntry[], afterRound: number, missedDriver: DriverName,
): Promise<RePreludeRecord> {
  const prompt = ctx.prompts.fill('Re-Prelude', {
    question, prelude: preludeText(prelude), insight_chain: insightChain(kept), round: afterRound, missed_driver: missedDriver,
  });
  const { value: reply } = await ctx.call('re-prelude', `re-Prelude after round ${afterRound}`, prompt, PreludeReply);
  const score = complexityScore(reply.factors);
  const routing: Routing = { ...prelude.routing, score };
  const plan = planFor(routing.mode, reply, ctx.refs, ctx.limits.maxRounds);
  const confirmed = reply.drivers.includes(missedDriver);
  const rePrelude: RePreludeRecord = { reply, routing, plan, budgetLine: budgetLine(plan), afterRound, missedDriver, confirmed };
  ctx.record.rePrelude = rePrelude;
  ctx.bus.emit({ type: 're-prelude', rePrelude });
  return rePrelude;
}
