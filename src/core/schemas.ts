/**
 * The protocol's vocabulary and the shapes of every structured model reply, as zod schemas.
 * Types are derived from these; nothing here is written twice.
 */
import { z } from 'zod';
import { CONFIDENCE, CONVERGENCE, DRIVERS, FACTOR_KEYS, JUDGE_VERDICTS, LENSES, MODES, STANCE_CHANGES } from './vocabulary.js';

export { CONFIDENCE, CONVERGENCE, DRIVERS, FACTOR_KEYS, JUDGE_VERDICTS, LENSES, MODES, STANCE_CHANGES };

export const LensName = z.enum(LENSES);
export type LensName = z.infer<typeof LensName>;

export const DriverName = z.enum(DRIVERS);
export type DriverName = z.infer<typeof DriverName>;

export const Mode = z.enum(MODES);
export type Mode = z.infer<typeof Mode>;

export const Convergence = z.enum(CONVERGENCE);
export type Convergence = z.infer<typeof Convergence>;

export const Confidence = z.enum(CONFIDENCE);
export type Confidence = z.infer<typeof Confidence>;

const factor = z.object({
  present: z.boolean().describe('true when this factor applies to the question'),
  reason: z.string().describe('one line explaining the judgement'),
});

export const PreludeReply = z.object({
  restated_question: z.string().min(1),
  anti_scope: z.string().min(1),
  factors: z.object({
    multi_hop: factor,
    ambiguous_tradeoffs: factor,
    hidden_assumptions: factor,
    novel_domain: factor,
    high_stakes: factor,
  }),
  drivers: z.array(DriverName).min(1).max(3),
  success_criterion: z.string().min(1),
  extra_lenses: z.array(LensName).max(2).describe('up to two specialist lenses that fit beyond the drivers; empty when none'),
  conflicting_instructions: z.array(z.string()).describe('pairs of instructions in the question that cannot both be met; empty when none'),
});
export type PreludeReply = z.infer<typeof PreludeReply>;

export const RoundReply = z.object({
  new_insight: z.string().describe('exactly one concrete sentence that is new relative to the insight chain'),
  what_changed: z.string(),
  convergence: Convergence,
  stance: z.string().describe('a few words naming the current overall conclusion'),
  missed_driver: DriverName.nullable().describe('a primary driver the Prelude missed, or null'),
});
export type RoundReply = z.infer<typeof RoundReply>;

// R numbers are whole, but `.int()` would send the model its safe-integer bounds as text; a
// number that names no kept round is ignored by the halting rules anyway.
export const JudgeReply = z.object({
  verdict: z.enum(JUDGE_VERDICTS),
  reason: z.string(),
  on_question: z.boolean().describe('false when the candidate stopped addressing the restated question'),
  self_consistent: z.boolean().describe('true when the chain with the candidate is coherent, its assumptions surfaced and counterarguments addressed'),
  repeats_round: z.number().nullable().describe('the R number of a kept insight the candidate says again in other words; null when it adds something'),
  stance_change: z.enum(STANCE_CHANGES).describe('the candidate stance against the latest kept round: same, refines or reverses'),
  returns_to_round: z.number().nullable().describe('when it reverses: the R number of an earlier kept round whose conclusion it goes back to; null otherwise'),
});
export type JudgeReply = z.infer<typeof JudgeReply>;

export const SubagentReply = z.object({
  finding: z.string().min(1),
  confidence: Confidence,
  stance: z.string(),
});
export type SubagentReply = z.infer<typeof SubagentReply>;

export const MergeReply = z.object({
  convergent_points: z.array(z.string()),
  tensions: z.array(z.string()),
  synthesis: z.string(),
  divergent_subagents: z.array(z.string()).describe('letters of subagents whose finding stands apart from the rest'),
  unresolved: z.boolean().describe('true when no position has enough support to synthesize'),
  competing_positions: z.array(z.string()).describe('the positions in play when unresolved; empty otherwise'),
});
export type MergeReply = z.infer<typeof MergeReply>;

export const CodaReply = z.object({
  answer: z.string().min(1).describe('the final answer in markdown, 1-5 paragraphs'),
  load_bearing_assumptions: z.array(z.string()),
  residual_uncertainty: z.string(),
  consistent_with_trajectory: z.boolean(),
  inconsistencies: z.array(z.string()),
});
export type CodaReply = z.infer<typeof CodaReply>;

/** The non-author check of a Coda's answer against the trajectory it was written from. */
export const CrossCheckReply = z.object({
  consistent: z.boolean().describe('true when the answer agrees with every kept step, or says why a later step overrides an earlier one'),
  departures: z.array(z.string()).describe('each place the answer departs from a kept step without saying why; empty when consistent'),
});
export type CrossCheckReply = z.infer<typeof CrossCheckReply>;

export const DirectCodaReply = z.object({
  answer: z.string().min(1),
});
export type DirectCodaReply = z.infer<typeof DirectCodaReply>;
