/**
 * What a run knows as it goes: the records every stage appends to, serialized as-is into the
 * run log and `--json` output.
 */
import type { LensStep } from './prelude/lens-plan.js';
import type { Routing } from './prelude/routing.js';
import type { Flag, StopReason } from './outcomes.js';
import type { RoundDecision } from './recurrent/halting.js';
import type {
  CodaReply, Convergence, CrossCheckReply, DirectCodaReply, JudgeReply, LensName, MergeReply, Mode, PreludeReply, RoundReply,
  SubagentReply,
} from './schemas.js';
import type { CallStep, Usage } from '../providers/types.js';

export interface PreludeRecord {
  reply: PreludeReply;
  routing: Routing;
  plan: LensStep[];
  budgetLine: string;
}

export interface RePreludeRecord extends PreludeRecord {
  afterRound: number;
  /** The driver a round said the Prelude missed. */
  missedDriver: string;
  /** Whether the re-diagnosis listed that driver itself; it is never added for it. */
  confirmed: boolean;
}

export interface CallRecord {
  step: CallStep;
  label: string;
  requestHash: string;
  usage: Usage;
  latencyMs: number;
  attempts: number;
  /** Served from an earlier run's log instead of the model (resume). */
  replayed: boolean;
  /** The API's id for the request (`req_…`), when it gave one. */
  requestId?: string;
  /** Limits applied after parsing that the API does not enforce; absent when none were needed. */
  adjustments?: string[];
  /** Set when the call failed after attempts that were billed: what went wrong. */
  failed?: string;
  /** The effort sent (null: none, the model's default applied) and the max_tokens asked for. */
  effort?: string | null;
  maxTokens?: number;
  startedAt: number;
  endedAt: number;
}

export interface RoundRecord {
  /** 1-based position among the rounds that ran (discarded ones included). */
  index: number;
  lens: LensName;
  application: 1 | 2;
  reply: RoundReply;
  judge: JudgeReply | null;
  judgedBy: 'judge-call' | 'none';
  decision: RoundDecision;
}

export interface SkippedRound {
  lens: LensName;
  application: 1 | 2;
  why: string;
}

export interface SubagentRecord {
  letter: string;
  lens: LensName;
  application: 1 | 2;
  reply: SubagentReply | null;
  error: string | null;
  attempts: number;
  divergent: boolean;
}

export interface MergeRecord {
  reply: MergeReply | null;
  /** Set when the merge call failed and the findings are shown unmerged. */
  fallbackNote: string | null;
}

/** A finding that survived when agent mode fell back: the sequential chain starts from it (R0). */
export interface CarriedFinding {
  letter: string;
  lens: LensName;
  finding: string;
  stance: string;
}

export interface CrossCheckRecord {
  reply: CrossCheckReply | null;
  /** Why no cross-check verdict exists: nothing to check against, the budget, a failed call. */
  skipped: { reason: 'nothing-kept' | 'budget' | 'failed'; detail: string } | null;
}

export interface FlagRecord {
  flag: Flag;
  round?: number;
  subagent?: string;
  evidence: string;
}

export interface RunRecord {
  schema_version: 1;
  runId: string;
  question: string;
  model: string;
  mode: Mode;
  prelude: PreludeRecord | null;
  rePrelude: RePreludeRecord | null;
  rounds: RoundRecord[];
  skipped: SkippedRound[];
  subagents: SubagentRecord[];
  merge: MergeRecord | null;
  /** Set when agent mode fell back to a sequential block. */
  fallback: string | null;
  /** The surviving subagent finding that fallback carried into the sequential block. */
  carried: CarriedFinding | null;
  /** Visible rounds before a re-Prelude escalated a silent or trace run to parallel subagents. */
  escalatedAfter: number | null;
  coda: CodaReply | DirectCodaReply | null;
  /** The non-author check of the Coda's answer; the Coda's own claim decides nothing. */
  crossCheck: CrossCheckRecord | null;
  answer: string | null;
  stopReason: StopReason | null;
  stopDetail: string | null;
  flags: FlagRecord[];
  calls: CallRecord[];
}

export function emptyRun(runId: string, question: string, model: string, mode: Mode): RunRecord {
  return {
    schema_version: 1, runId, question, model, mode,
    prelude: null, rePrelude: null, rounds: [], skipped: [], subagents: [], merge: null, fallback: null, carried: null, escalatedAfter: null,
    coda: null, crossCheck: null, answer: null, stopReason: null, stopDetail: null, flags: [], calls: [],
  };
}

/** Marks the subagents the merge found standing apart; a failed one is never divergent. */
export function markDivergent(subagents: SubagentRecord[], merge: MergeRecord): void {
  for (const s of subagents) s.divergent = Boolean(merge.reply?.divergent_subagents.includes(s.letter)) && s.reply !== null;
}

export function keptRounds(run: RunRecord): RoundRecord[] {
  return run.rounds.filter((round) => round.decision.keep);
}

/**
 * One entry of the insight chain: the carried finding as R0, then each kept round under its own
 * number, so a trace, the prompts and the judge's `repeats_round` all name rounds alike.
 */
export interface ChainEntry {
  number: number;
  lens: LensName;
  insight: string;
  stance: string;
  /** The round's convergence, or null for a carried finding. */
  convergence: Convergence | null;
  /** How the judge compared this round's stance with the kept round before it. */
  stanceChange: JudgeReply['stance_change'] | null;
  /** Where a carried finding came from, e.g. `subagent C`; null for a round. */
  from: string | null;
}

export function chainEntries(run: RunRecord): ChainEntry[] {
  const carried = run.carried ?? null;
  const entries: ChainEntry[] = carried
    ? [{ number: 0, lens: carried.lens, insight: carried.finding, stance: carried.stance, convergence: null, stanceChange: null, from: `subagent ${carried.letter}` }]
    : [];
  for (const round of keptRounds(run)) {
    entries.push({
      number: round.index, lens: round.lens, insight: round.reply.new_insight, stance: round.reply.stance,
      convergence: round.reply.convergence, stanceChange: round.judge?.stance_change ?? null, from: null,
    });
  }
  return entries;
}
