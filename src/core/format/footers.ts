/**
 * The footer forms of every output shape, in one place: the renderer builds footers with these
 * functions and `mythos check` parses them with the grammar below, so the two cannot drift.
 * Plain strings and regular expressions only: the checker loads this without zod.
 */
import type { StopReason } from '../outcomes.js';

/** `1 round`, `2 rounds`: the footer grammar counts like English. */
export function counted(n: number, singular: string, plural: string): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** What each footer counts, singular then plural; a count of one (and only one) is singular. */
export const FOOTER_UNITS = {
  rounds: ['round', 'rounds'],
  latentPasses: ['latent pass', 'latent passes'],
  subagents: ['parallel subagent', 'parallel subagents'],
} as const;
export type FooterUnit = keyof typeof FOOTER_UNITS;

/** `1 round`, `3 latent passes`, `2 parallel subagents`: a footer's count as it must read. */
export function footerCount(n: number, unit: FooterUnit): string {
  const [singular, plural] = FOOTER_UNITS[unit];
  return counted(n, singular, plural);
}

/** What `stopped at round X: <reason>` says for each stop that is not a convergence. */
export const STOP_PHRASES = {
  'max-rounds': 'max rounds reached',
  'negative-delta': 'negative delta',
  oscillation: 'oscillation',
  budget: 'budget reached',
} as const satisfies Partial<Record<StopReason, string>>;
export type PhrasedStop = keyof typeof STOP_PHRASES;

/** A block that kept nothing never claims a convergence; one that handed over says so. */
export const NO_INSIGHT_PHRASE = 'no concrete insight';
export const ESCALATED_PHRASE = 'escalated to agent mode';

/** Every reason a trace footer may give after `stopped at round X:`. */
export const TRACE_STOP_PHRASES: readonly string[] = [...Object.values(STOP_PHRASES), NO_INSIGHT_PHRASE, ESCALATED_PHRASE];

/**
 * Stops that may end a trace before any Challenge round: the block halted for cause or could
 * not pay for more. A convergence is never among them: convergence needs Challenge first.
 */
export const EARLY_HALT_PHRASES: readonly string[] = [
  STOP_PHRASES['negative-delta'], STOP_PHRASES.oscillation, STOP_PHRASES.budget, NO_INSIGHT_PHRASE,
];

export type TraceStop = { kind: 'converged'; round: number } | { kind: 'stopped'; round: number; reason: string };

export function traceFooter(depth: number, stop: TraceStop): string {
  const how = stop.kind === 'converged' ? `converged at round ${stop.round}` : `stopped at round ${stop.round}: ${stop.reason}`;
  return `*Depth: ${footerCount(depth, 'rounds')}, ${how}. Mode: trace.*`;
}

export function silentFooter(lenses: readonly string[]): string {
  return `*Depth: ${footerCount(lenses.length, 'latentPasses')}. Mode: silent. Lens path: ${lenses.join(' → ')}.*`;
}

/** `merged` false when the merge call failed: the footer must not claim a merge that did not happen. */
export function agentFooter(count: number, merged = true): string {
  return `*Depth: ${footerCount(count, 'subagents')}${merged ? ' merged' : ', not merged'}. Mode: agent.*`;
}

export const DIRECT_FOOTER = `*Depth: ${footerCount(0, 'rounds')}. Mode: direct.*`;

/**
 * The grammar the checker reads footers with; lenient about spacing and case, exact in form.
 * Each depth pattern captures the count (1) and the noun as written (2), either number, so the
 * checker can read a `1 rounds` footer and then say it should read `1 round` (see
 * `footerCount`).
 */
export const FOOTER_GRAMMAR = {
  /** `Depth: <depth>. Mode: <mode>.` with an optional `Lens path: …` (italics already removed). */
  line: /^Depth:\s*(.+?)\.\s*Mode:\s*([A-Za-z-]+)\s*\.?\s*(?:Lens path:\s*(.*?))?\s*$/i,
  /** Then (3) converged|stopped, (4) the round it names and (5) the reason of a stop. */
  rounds: /^(\d+)\s+(rounds?)(?:\s*,\s*(converged|stopped)\s+at\s+round\s+(\d+)(?:\s*:\s*(.+))?)?$/i,
  latentPasses: /^(\d+)\s+(latent\s+pass(?:es)?)$/i,
  subagents: /^(\d+)\s+(parallel\s+subagents?)(?:\s+merged|,\s+not\s+merged)$/i,
} as const;
