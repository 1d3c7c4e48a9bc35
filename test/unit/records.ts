/**
 * Hand-made RunRecord pieces for the renderer and reducer tests. Not a test file itself.
 */
import { budgetLine, type LensStep } from '../../src/core/prelude/lens-plan.js';
import type { Routing } from '../../src/core/prelude/routing.js';
import type { Flag, StopReason } from '../../src/core/outcomes.js';
import type { CodaReply, DriverName, LensName, MergeReply, Mode, PreludeReply } from '../../src/core/schemas.js';
import {
  emptyRun, type MergeRecord, type PreludeRecord, type RePreludeRecord, type RoundRecord, type RunRecord, type SubagentRecord,
} from '../../src/core/state.js';

export function steps(...spec: Array<[LensName, 1 | 2] | LensName>): LensStep[] {
  return spec.map((s) => (typeof s === 'string' ? { lens: s, application: 1 } : { lens: s[0], application: s[1] }));
}

export function preludeReply(drivers: DriverName[], score: number, extra: Partial<PreludeReply> = {}): PreludeReply {
  const keys = ['multi_hop', 'ambiguous_tradeoffs', 'hidden_assumptions', 'novel_domain', 'high_stakes'] as const;
  const factors = Object.fromEntries(keys.map((key, i) => [key, { present: i < score, reason: `${key} reason` }]));
  return {
    restated_question: 'Should a three-person team adopt Conventional Commits for its monorepo?',
    anti_scope: 'Not which commit linter to buy.',
    factors: factors as PreludeReply['factors'],
    drivers,
    success_criterion: 'A yes/no with the one condition that would flip it.',
    extra_lenses: [],
    conflicting_instructions: [],
    ...extra,
  };
}

export function prelude(mode: Mode, source: Routing['source'], score: number, drivers: DriverName[], plan: LensStep[]): PreludeRecord {
  return { reply: preludeReply(drivers, score), routing: { score, mode, source }, plan, budgetLine: budgetLine(plan) };
}

export function rePrelude(base: PreludeRecord, drivers: DriverName[], plan: LensStep[], afterRound: number, missedDriver: DriverName): RePreludeRecord {
  return { ...base, reply: { ...base.reply, drivers }, plan, budgetLine: budgetLine(plan), afterRound, missedDriver, confirmed: drivers.includes(missedDriver) };
}

interface RoundSpec {
  lens: LensName;
  application?: 1 | 2;
  insight: string;
  changed?: string;
  convergence?: RoundRecord['reply']['convergence'];
  keep?: boolean;
  halt?: StopReason | null;
  flags?: Flag[];
  spent?: boolean;
  echoOf?: number | null;
  missed?: DriverName | null;
}

export function rounds(...specs: RoundSpec[]): RoundRecord[] {
  return specs.map((s, i) => ({
    index: i + 1,
    lens: s.lens,
    application: s.application ?? 1,
    reply: {
      new_insight: s.insight,
      what_changed: s.changed ?? `Round ${i + 1} moved the view.`,
      convergence: s.convergence ?? 'evolving',
      stance: 'adopt with a lightweight check',
      missed_driver: s.missed ?? null,
    },
    judge: i === 0 ? null : {
      verdict: 'advances', reason: 'adds something', on_question: true, self_consistent: false,
      repeats_round: null, stance_change: 'same', returns_to_round: null,
    },
    judgedBy: i === 0 ? 'none' : 'judge-call',
    decision: {
      keep: s.keep ?? true, halt: s.halt ?? null, flags: s.flags ?? [], echo: { score: 0, of: s.echoOf ?? null }, spent: s.spent ?? false, why: 'hand-made',
    },
  }));
}

export function coda(answer: string, assumptions: string[], extra: Partial<CodaReply> = {}): CodaReply {
  return {
    answer, load_bearing_assumptions: assumptions, residual_uncertainty: 'Team habits may not stick.',
    consistent_with_trajectory: true, inconsistencies: [], ...extra,
  };
}

export function subagent(letter: string, lens: LensName, application: 1 | 2, finding: string | null, extra: Partial<SubagentRecord> = {}): SubagentRecord {
  return {
    letter, lens, application,
    reply: finding === null ? null : { finding, confidence: 'high', stance: 'adopt' },
    error: finding === null ? 'subagent call failed twice: 529 overloaded' : null,
    attempts: finding === null ? 2 : 1,
    divergent: false,
    ...extra,
  };
}

export function merge(reply: Partial<MergeReply> | null, fallbackNote: string | null = null): MergeRecord {
  if (reply === null) return { reply: null, fallbackNote };
  return {
    reply: {
      convergent_points: [], tensions: [], synthesis: '', divergent_subagents: [], unresolved: false, competing_positions: [],
      ...reply,
    },
    fallbackNote,
  };
}

export function run(mode: Mode, fill: Partial<RunRecord>): RunRecord {
  return { ...emptyRun('run-test-0001', 'Should we adopt Conventional Commits?', 'claude-sonnet-4-5', mode), ...fill };
}
