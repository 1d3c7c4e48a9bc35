/**
 * Mid-block escalation: after a re-Prelude scores a silent or trace question at 4 or more, the
 * remaining lenses run as parallel subagents and are merged; the rounds so far stay.
 */
import type { RunContext } from '../context.js';
import { affordableSubagents, runMerge, runSubagents } from '../agent/agent-stage.js';
import type { LensStep } from '../prelude/lens-plan.js';
import { planFor } from '../prelude/prelude-stage.js';
import type { LensName } from '../schemas.js';
import type { PreludeRecord } from '../state.js';
import { remainingSteps } from './remaining-steps.js';

/** Agent mode starts at this score. */
const AGENT_SCORE = 4;

/**
 * The re-Prelude moved a question below agent mode's threshold to or above it, at least two
 * lenses can still run in parallel, and the user did not pin the mode (`quick`, `--mode`).
 * A `trace` keyword asks to see the rounds, not to stay sequential: it may escalate.
 */
export function shouldEscalate(original: PreludeRecord, rePrelude: PreludeRecord, remaining: number): boolean {
  const { routing } = original;
  const pinned = routing.source === 'flag' || (routing.source === 'keyword' && routing.mode !== 'trace');
  return !pinned && routing.score < AGENT_SCORE && rePrelude.routing.score >= AGENT_SCORE && remaining >= 2;
}

/**
 * The lenses escalation would dispatch: the agent plan's steps not yet run and not spent, no
 * more than `--max-rounds` leaves room for after the rounds so far, and no more than the budget
 * pays for. When fewer fit, Challenge is the last to go: someone must still disagree.
 */
export function escalationSteps(ctx: RunContext, prelude: PreludeRecord, ran: readonly LensStep[], spent: ReadonlySet<LensName>): LensStep[] {
  const parallel = remainingSteps(planFor('agent', prelude.reply, ctx.refs, ctx.limits.maxRounds), ran).filter((s) => !spent.has(s.lens));
  const room = ctx.limits.maxRounds === undefined ? parallel.length : Math.max(0, ctx.limits.maxRounds - ran.length);
  const count = affordableSubagents(ctx, Math.min(room, parallel.length));
  return keepChallenge(parallel, count);
}

/** The first `count` steps, except that a Challenge step displaces the last of them; plan order kept. */
export function keepChallenge(steps: readonly LensStep[], count: number): LensStep[] {
  const chosen = steps.slice(0, count);
  const challenge = steps.find((s) => s.lens === 'Challenge');
  if (count > 0 && challenge && !chosen.includes(challenge)) chosen[chosen.length - 1] = challenge;
  return steps.filter((s) => chosen.includes(s));
}

/** The remaining lenses run as parallel subagents and are merged when two or more return. */
export async function escalate(ctx: RunContext, question: string, steps: readonly LensStep[]): Promise<void> {
  const record = ctx.record;
  record.escalatedAfter = record.rounds.length;
  ctx.bus.emit({ type: 'escalation', afterRound: record.escalatedAfter });
  const subagents = await runSubagents(ctx, question, steps);
  if (subagents.filter((s) => s.reply).length >= 2) await runMerge(ctx, question);
  record.stopReason = 'max-rounds';
  record.stopDetail = `escalated to agent mode after round ${record.escalatedAfter}`;
  ctx.bus.emit({ type: 'stop', reason: record.stopReason, detail: record.stopDetail });
}
