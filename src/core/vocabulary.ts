/**
 * The protocol's words: lens, driver, mode and status names. Plain constants with no
 * dependencies, so the command line can use them without loading zod.
 */
export const LENSES = [
  'Clarify', 'Deepen', 'Challenge', 'Expand', 'Synthesize',
  'System-Think', 'Edge-Hunt', 'Tradeoff-Map', 'Invert', 'Scar-Tissue', 'First-Principles', 'Steelman',
] as const;

export const DRIVERS = [
  'Ambiguity', 'Hidden assumptions', 'Multi-hop', 'Trade-offs', 'Novel domain', 'System dynamics',
] as const;

export const MODES = ['direct', 'silent', 'trace', 'agent'] as const;

export const CONVERGENCE = ['evolving', 'stable', 'breakthrough', 'negative-delta'] as const;

export const CONFIDENCE = ['high', 'medium', 'low'] as const;

/** The five complexity factors; one point each. */
export const FACTOR_KEYS = [
  'multi_hop', 'ambiguous_tradeoffs', 'hidden_assumptions', 'novel_domain', 'high_stakes',
] as const;

export const JUDGE_VERDICTS = ['advances', 'trivial', 'regresses'] as const;

/** `output_config.effort` levels, lowest first. */
export const EFFORT_LEVELS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

/** How a round's stance compares with the latest kept round's, as the judge reads it. */
export const STANCE_CHANGES = ['same', 'refines', 'reverses'] as const;
