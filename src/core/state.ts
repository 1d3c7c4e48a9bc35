/**
 * What a run knows as it goes: the records every stage appends to, serialized as-is into the
 * run log and `--json` output.
 */
import type { LensStep } from './prelude/lens-plan.js';
import type { Routing } from './prelude/routing.js';
import type { Flag, StopReason } from './outcomes.js';
import type { RoundDecision } from './recurrent/halting.js';
import type {
  CodaReply, DirectCodaReply, JudgeReply, LensName, MergeReply, Mode, PreludeReply, RoundReply, SubagentReply,
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
  missedDriver: string;
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
  /** Visible rounds before a re-Prelude escalated a silent or trace run to parallel subagents. */
  escalatedAfter: number | null;
  coda: CodaReply | DirectCodaReply | null;
  answer: string | null;
  stopReason: StopReason | null;
  stopDetail: string | null;
  flags: FlagRecord[];
  calls: CallRecord[];
}

export function emptyRun(runId: string, question: string, model: string, mode: Mode): RunRecord {
  return {
    schema_version: 1, runId, question, model, mode,
    prelude: null, rePrelude: null, rounds: [], skipped: [], subagents: [], merge: null, fallback: null, escalatedAfter: null,
    coda: null, answer: null, stopReason: null, stopDetail: null, flags: [], calls: [],
  };
}

/** Rounds that count as content: kept ones, plus a negative-delta round shown only as a marker. */
export function visibleRounds(run: RunRecord): RoundRecord[] {
  return run.rounds.filter((round) => round.decision.keep || round.decision.halt === 'negative-delta');
}

/** Marks the subagents the merge found standing apart; a failed one is never divergent. */
export function markDivergent(subagents: SubagentRecord[], merge: MergeRecord): void {
  for (const s of subagents) s.divergent = Boolean(merge.reply?.divergent_subagents.includes(s.letter)) && s.reply !== null;
}

export function keptRounds(run: RunRecord): RoundRecord[] {
  return run.rounds.filter((round) => round.decision.keep);
}
