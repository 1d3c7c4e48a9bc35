/**
 * The Recurrent Block's halting rules, decided by code from the round's reply, the separate
 * judge's verdict and lexical similarity. Pure: every rule is unit-tested.
 */
import type { Flag, StopReason } from '../outcomes.js';
import type { JudgeReply, RoundReply } from '../schemas.js';
import { ECHO_THRESHOLD, closestMatch, similarity } from './similarity.js';

export interface RoundFacts {
  reply: RoundReply;
  /** The separate judge's verdict; null when no judging step ran (round 1). */
  judge: JudgeReply | null;
  /** Insights of the rounds kept so far, oldest first. */
  keptInsights: readonly string[];
  /** Stances of the rounds kept so far, oldest first. */
  keptStances: readonly string[];
  /** Whether a Challenge round has been kept, counting this one if it is Challenge. */
  challengeDone: boolean;
  /** Whether this was the last round the plan (or the budget) allows. */
  lastPlanned: boolean;
}

export interface RoundDecision {
  keep: boolean;
  halt: StopReason | null;
  flags: Flag[];
  /** Highest similarity to a kept insight, and which round (1-based position in the kept list). */
  echo: { score: number; of: number | null };
  why: string;
}

const MIN_INSIGHT_WORDS = 4;

/** A concrete insight is a real sentence, not a label or an empty string. */
export function isConcreteInsight(text: string): boolean {
  return text.trim().split(/\s+/).filter(Boolean).length >= MIN_INSIGHT_WORDS;
}

/** A → B → A: the newest stance returns to the one two rounds back after moving away. */
export function isOscillation(stances: readonly string[], next: string): boolean {
  const previous = stances.at(-1);
  const beforeThat = stances.at(-2);
  if (previous === undefined || beforeThat === undefined) return false;
  return similarity(next, beforeThat) >= ECHO_THRESHOLD && similarity(previous, beforeThat) < ECHO_THRESHOLD;
}

export function decideRound(facts: RoundFacts): RoundDecision {
  const { reply, judge } = facts;
  const match = closestMatch(reply.new_insight, facts.keptInsights);
  const echo = { score: Number(match.score.toFixed(3)), of: match.index === -1 ? null : match.index + 1 };
  const decision = (keep: boolean, halt: StopReason | null, flags: Flag[], why: string): RoundDecision => ({ keep, halt, flags, echo, why });

  if (!isConcreteInsight(reply.new_insight)) {
    return decision(false, 'converged:no-delta', [], 'the round produced no concrete one-sentence insight');
  }
  if (match.score >= ECHO_THRESHOLD) {
    return decision(false, 'converged:no-delta', ['ECHO'], `the insight repeats round ${echo.of} (similarity ${echo.score})`);
  }
  if (judge?.verdict === 'regresses') {
    return decision(false, 'negative-delta', ['REGRESSION'], `judge: ${judge.reason}`);
  }
  if (reply.convergence === 'negative-delta') {
    return decision(false, 'negative-delta', [], 'the round reported that its own insight degrades the chain');
  }
  if (judge && !judge.on_question) {
    return decision(false, facts.lastPlanned ? 'max-rounds' : null, ['DRIFT'], `judge: the round drifted off the question (${judge.reason})`);
  }
  if (isOscillation(facts.keptStances, reply.stance)) {
    return decision(true, 'oscillation', ['OSCILLATION'], 'the conclusion swung back to the stance of two rounds ago');
  }
  if (judge && facts.challengeDone) {
    if (judge.verdict === 'trivial') return decision(true, 'converged:trivial-delta', [], `judge: ${judge.reason}`);
    if (judge.self_consistent && reply.convergence === 'stable') {
      return decision(true, 'converged:self-consistent', [], 'stable, and the judge found the chain self-consistent');
    }
  }
  if (facts.lastPlanned) return decision(true, 'max-rounds', [], 'the planned rounds are used up');
  return decision(true, null, [], judge ? `judge: ${judge.reason}` : 'first round');
}
