/**
 * Complexity scoring and mode routing: pure functions of the Prelude's factor judgements.
 */
import { FACTOR_KEYS, type Mode, type PreludeReply } from '../schemas.js';

export type FactorKey = (typeof FACTOR_KEYS)[number];

export const FACTOR_LABELS: Record<FactorKey, string> = {
  multi_hop: 'multi-hop dependencies',
  ambiguous_tradeoffs: 'ambiguous trade-offs',
  hidden_assumptions: 'likely hidden assumptions',
  novel_domain: 'novel domain',
  high_stakes: 'high-stakes decision',
};

/** One point per present factor, never below 1. */
export function complexityScore(factors: PreludeReply['factors']): number {
  const points = FACTOR_KEYS.filter((key) => factors[key].present).length;
  return Math.max(1, points);
}

export function modeForScore(score: number): Mode {
  if (score <= 1) return 'direct';
  if (score <= 3) return 'silent';
  return 'agent';
}

export interface Routing {
  score: number;
  mode: Mode;
  /** Where the mode came from: the score, a keyword, or `--mode`. */
  source: 'score' | 'keyword' | 'flag';
}

/** `--mode` beats a keyword, a keyword beats the score; the score is always reported. */
export function route(score: number, forced: { flag?: Mode | undefined; keyword?: Mode | undefined }): Routing {
  if (forced.flag) return { score, mode: forced.flag, source: 'flag' };
  if (forced.keyword) return { score, mode: forced.keyword, source: 'keyword' };
  return { score, mode: modeForScore(score), source: 'score' };
}
