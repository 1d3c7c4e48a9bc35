/**
 * The Recurrent Block's halting rules, decided by code from the round's reply, lexical
 * similarity and a separate judge's verdict. Code decides first: a round with no concrete
 * insight, or one that says a kept insight again in the same words and order, is settled
 * without a judge; anything short of that, near-repeats included, is the judge's to call.
 * Nothing a round says about itself decides anything. Pure: every rule is unit-tested.
 */
import type { Flag, StopReason } from '../outcomes.js';
import type { JudgeReply, RoundReply } from '../schemas.js';
import type { ChainEntry } from '../state.js';
import { closestMatch, contentWords, sameWording, sameWordingIndex } from './similarity.js';
import { meaningfulWords } from './words.js';

export interface RoundFacts {
  reply: RoundReply;
  /** The separate judge's verdict; null when no judge ran (code decided, or the judge could not be had). */
  judge: JudgeReply | null;
  /** The insight chain so far, oldest first: a carried finding as R0, then the kept rounds. */
  kept: readonly ChainEntry[];
  /** Whether Challenge has run: a Challenge round was kept, or this round is one. */
  challengeDone: boolean;
  /** Which application of its lens this round was. */
  application: 1 | 2;
  /** Whether this was the last round the plan (or the budget) allows. */
  lastPlanned: boolean;
}

export interface RoundDecision {
  keep: boolean;
  halt: StopReason | null;
  flags: Flag[];
  /** Highest similarity to a kept insight and that entry's R number; `of` names a judge-found repeat too. */
  echo: { score: number; of: number | null };
  /** The lens gave nothing new and its remaining applications are skipped (absent in older logs). */
  spent?: boolean;
  why: string;
}

const MIN_INSIGHT_WORDS = 4;
// Russian, Finnish, Korean or Turkish say in three words what English says in four or five, but
// none of the three is a function word: three content words make a sentence too.
const MIN_CONTENT_WORDS = 3;
/** What the round prompt tells a lens with nothing to add to write. */
const NO_INSIGHT_MARKER = ['no', 'new', 'insight'] as const;

/**
 * A concrete insight is a real sentence, not a label, an empty string or "No new insight." A
 * decline in another language reads like a sentence; the judge calls it trivial, which before
 * Challenge spends the lens as surely as the marker does.
 */
export function isConcreteInsight(text: string): boolean {
  const found = meaningfulWords(text);
  const declined = NO_INSIGHT_MARKER.every((word, i) => found[i] === word);
  return !declined && (found.length >= MIN_INSIGHT_WORDS || contentWords(text).size >= MIN_CONTENT_WORDS);
}

/**
 * Whether code leaves this round to the judge: every round code has not already discarded (no
 * concrete insight, a repeat in the same words). Round 1 too: with no chain to weigh, the judge
 * still checks that it answers the question, which the round cannot grade for itself.
 */
export function needsJudge(reply: RoundReply, kept: readonly ChainEntry[]): boolean {
  return isConcreteInsight(reply.new_insight) && sameWordingIndex(reply.new_insight, kept.map((e) => e.insight)) === -1;
}

/** Two stances in the same words are the same conclusion, whatever the judge says about them. */
export function sameStance(a: string, b: string): boolean {
  return sameWording(a, b);
}

/** A kept entry the judge named, or null when it named none or one that does not exist. */
function keptNumber(named: number | null | undefined, kept: readonly ChainEntry[]): number | null {
  return named !== null && named !== undefined && kept.some((e) => e.number === named) ? named : null;
}

/**
 * A → B → A, as the judge reports it: the latest kept round B reversed the stance before it,
 * and the candidate reverses B back to a stance held before B. A refinement followed by a
 * restatement is not a swing. Returns the R number swung back to, or null.
 */
export function swingsBack(judge: JudgeReply, stance: string, kept: readonly ChainEntry[]): number | null {
  const latest = kept.at(-1);
  if (!latest || latest.stanceChange !== 'reverses' || judge.stance_change !== 'reverses') return null;
  const target = keptNumber(judge.returns_to_round, kept.slice(0, -1));
  // A stance worded like B's did not reverse B, whatever the judge says.
  return target !== null && !sameStance(stance, latest.stance) ? target : null;
}

function entryName(number: number | null): string {
  return number === 0 ? 'the carried finding (R0)' : `round ${number ?? '?'}`;
}

export function decideRound(facts: RoundFacts): RoundDecision {
  const { reply, judge, kept } = facts;
  const insights = kept.map((e) => e.insight);
  const match = closestMatch(reply.new_insight, insights);
  const echo = { score: Number(match.score.toFixed(3)), of: match.index === -1 ? null : kept[match.index]!.number };
  const repeatIndex = sameWordingIndex(reply.new_insight, insights);
  const decision = (keep: boolean, halt: StopReason | null, flags: Flag[], why: string, spent = false, of = echo.of): RoundDecision =>
    ({ keep, halt, flags, echo: { score: echo.score, of }, spent, why });

  // Nothing new: before Challenge, or on a second application, only this lens is spent.
  const nothingNew = (flags: Flag[], what: string, of = echo.of): RoundDecision => {
    if (!facts.challengeDone || facts.application === 2) {
      const when = facts.application === 2 ? 'on its second application' : 'before Challenge has run';
      return decision(false, null, flags, `${what}; the lens is spent ${when}, so the block moves on`, true, of);
    }
    return decision(false, 'converged:no-delta', flags, what, false, of);
  };

  if (!isConcreteInsight(reply.new_insight)) return nothingNew([], 'the round produced no concrete one-sentence insight');
  if (repeatIndex !== -1) {
    const of = kept[repeatIndex]!.number;
    return nothingNew(['ECHO'], `the insight repeats ${entryName(of)} in the same words`, of);
  }
  const repeated = judge ? keptNumber(judge.repeats_round, kept) : null;
  if (judge && repeated !== null) {
    return nothingNew(['ECHO'], `the judge found it restates ${entryName(repeated)} in other words (${judge.reason})`, repeated);
  }
  // Before Challenge a trivial round adds nothing worth carrying: the lens is spent, as for an
  // empty one (a decline written in the question's language lands here too).
  if (judge?.verdict === 'trivial' && (!facts.challengeDone || facts.application === 2)) {
    return nothingNew([], `judge: the round adds nothing of weight (${judge.reason})`);
  }
  if (judge?.verdict === 'regresses') return decision(false, 'negative-delta', ['REGRESSION'], `judge: ${judge.reason}`);
  if (judge && !judge.on_question) {
    return decision(false, facts.lastPlanned ? 'max-rounds' : null, ['DRIFT'], `judge: the round drifted off the question (${judge.reason})`);
  }
  const swungTo = judge ? swingsBack(judge, reply.stance, kept) : null;
  if (swungTo !== null) {
    const reversed = kept.at(-1)!.number;
    return decision(true, 'oscillation', ['OSCILLATION'], `the judge found the conclusion swings back to ${entryName(swungTo)}'s after round ${reversed} reversed it`);
  }
  // Convergence of any kind needs Challenge to have run.
  if (judge && facts.challengeDone) {
    if (judge.verdict === 'trivial') return decision(true, 'converged:trivial-delta', [], `judge: ${judge.reason}`);
    if (judge.self_consistent && reply.convergence === 'stable') {
      return decision(true, 'converged:self-consistent', [], 'stable, and the judge found the chain self-consistent');
    }
  }
  if (facts.lastPlanned) return decision(true, 'max-rounds', [], 'the planned rounds are used up');
  return decision(true, null, [], judge ? `judge: ${judge.reason}` : 'first round');
}
