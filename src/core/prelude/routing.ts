/**
 * Complexity scoring and mode routing: pure functions of the Prelude's factor judgements.
 */
import { UsageError } from '../errors.js';
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
  /** Why the mode differs from what the score alone would pick, when the reader should know. */
  note?: string;
}

export interface Forced {
  flag?: Mode | undefined;
  keyword?: Mode | undefined;
}

/** A merge needs two findings: agent mode cannot run under a cap of one. */
const AGENT_MIN_CAP = 2;

/**
 * `--mode` beats a keyword, a keyword beats the score; the score is always reported. `quick`
 * only ever takes depth away: a complexity-1 question stays direct. Agent mode reached by the
 * score under `--max-rounds 1` runs one sequential round instead, and says why.
 */
export function route(score: number, forced: Forced, maxRounds?: number): Routing {
  if (forced.flag) return { score, mode: forced.flag, source: 'flag' };
  const byScore = modeForScore(score);
  if (forced.keyword === 'silent' && byScore === 'direct') return { score, mode: 'direct', source: 'score' };
  if (forced.keyword) return { score, mode: forced.keyword, source: 'keyword' };
  if (byScore === 'agent' && maxRounds !== undefined && maxRounds < AGENT_MIN_CAP) {
    const note = `complexity ${score} calls for parallel subagents, but a merge needs two and --max-rounds is ${maxRounds}, so one sequential round ran instead`;
    return { score, mode: 'silent', source: 'score', note };
  }
  return { score, mode: byScore, source: 'score' };
}

/** Refuses, before any model call, a pinned agent mode that the round cap leaves no room to run. */
export function assertCapFitsMode(forced: Forced, maxRounds: number | undefined): void {
  const pinned = forced.flag ?? forced.keyword;
  if (pinned !== 'agent' || maxRounds === undefined || maxRounds >= AGENT_MIN_CAP) return;
  const by = forced.flag ? '--mode agent' : 'deep/agent';
  throw new UsageError(
    `${by} with --max-rounds ${maxRounds}: agent mode needs at least ${AGENT_MIN_CAP} subagents to merge`,
    `use --max-rounds ${AGENT_MIN_CAP} or more with ${by}, or ask for one sequential round with trace or quick`,
  );
}
