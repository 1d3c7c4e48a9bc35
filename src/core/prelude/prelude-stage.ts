/**
 * The Prelude: one structured call diagnoses the question; code scores, routes and budgets.
 */
import type { RunContext } from '../context.js';
import { insightChain, preludeText } from '../prompts/build-prompts.js';
import type { ReferenceBundle } from '../prompts/reference-files.js';
import { CodaReply, DirectCodaReply, JudgeReply, MergeReply, PreludeReply, RoundReply, SubagentReply, type DriverName, type Mode } from '../schemas.js';
import type { PreludeRecord, RePreludeRecord, RoundRecord } from '../state.js';
import { budgetLine, planRounds, planSubagents, type LensStep } from './lens-plan.js';
import { complexityScore, route, type Routing } from './routing.js';

export interface ForcedMode {
  flag?: Mode | undefined;
  keyword?: Mode | undefined;
}

export function planFor(mode: Mode, reply: Pick<PreludeReply, 'drivers' | 'extra_lenses'>, refs: ReferenceBundle, maxRounds: number | undefined): LensStep[] {
  if (mode === 'direct') return [];
  return mode === 'agent'
    ? planSubagents(reply.drivers, refs, maxRounds, reply.extra_lenses)
    : planRounds(reply.drivers, refs, maxRounds, reply.extra_lenses);
}

/** Pure: the Prelude record for a diagnosis under the given routing constraints. */
export function buildPrelude(reply: PreludeReply, forced: ForcedMode, refs: ReferenceBundle, maxRounds?: number): PreludeRecord {
  const routing: Routing = route(complexityScore(reply.factors), forced);
  const plan = planFor(routing.mode, reply, refs, maxRounds);
  return { reply, routing, plan, budgetLine: budgetLine(plan) };
}

export async function runPrelude(ctx: RunContext, question: string, forced: ForcedMode): Promise<PreludeRecord> {
  ctx.bus.emit({ type: 'stage', stage: 'prelude', label: 'Prelude: diagnosing the question' });
  const prompt = ctx.prompts.fill('Prelude', { question });
  ctx.assertCanStart(prompt);
  const pending = ctx.call('prelude', 'Prelude', prompt, PreludeReply);
  // The Prelude's own parser first: its reply is the next thing to parse.
  ctx.prepareAhead([PreludeReply, SubagentReply, RoundReply, JudgeReply, MergeReply, CodaReply, DirectCodaReply]);
  const { value } = await pending;
  const prelude = buildPrelude(value, forced, ctx.refs, ctx.limits.maxRounds);
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
 * A re-Prelude after a round revealed a missed driver. The mode stays as routed (rounds already
 * shown keep their shape); only the budget for the remaining lenses changes.
 */
export async function runRePrelude(
  ctx: RunContext, question: string, prelude: PreludeRecord, kept: readonly RoundRecord[], afterRound: number, missedDriver: DriverName,
): Promise<RePreludeRecord> {
  const prompt = ctx.prompts.fill('Re-Prelude', {
    question, prelude: preludeText(prelude), insight_chain: insightChain(kept), round: afterRound, missed_driver: missedDriver,
  });
  const { value } = await ctx.call('re-prelude', `re-Prelude after round ${afterRound}`, prompt, PreludeReply);
  const drivers = value.drivers.includes(missedDriver) ? value.drivers : [...value.drivers.slice(0, 2), missedDriver];
  const reply = { ...value, drivers };
  const score = complexityScore(reply.factors);
  const routing: Routing = { ...prelude.routing, score };
  const plan = planFor(routing.mode, reply, ctx.refs, ctx.limits.maxRounds);
  const rePrelude: RePreludeRecord = { reply, routing, plan, budgetLine: budgetLine(plan), afterRound, missedDriver };
  ctx.record.rePrelude = rePrelude;
  ctx.bus.emit({ type: 're-prelude', rePrelude });
  return rePrelude;
}
