/**
 * The shape `mythos check` prints and emits as JSON. Types are derived from the zod schemas so
 * the `--json` output and the text lines cannot disagree.
 */
import { z } from 'zod';
import { MODES } from './vocabulary.js';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const CheckModeSchema = z.enum(MODES);
export type CheckMode = z.infer<typeof CheckModeSchema>;

export const CheckSchema = z.object({
  id: z.string().regex(KEBAB, 'check ids are kebab-case'),
  pass: z.boolean(),
  detail: z.string(),
});
export type Check = z.infer<typeof CheckSchema>;

export const CheckReportSchema = z.object({
  mode: CheckModeSchema.nullable(),
  ok: z.boolean(),
  checks: z.array(CheckSchema),
});
export type CheckReport = z.infer<typeof CheckReportSchema>;

/** Every id `checkTranscript` can emit; stable, so scripts may key on them. */
export const CHECK_IDS = [
  'mode-known', 'footer-present', 'footer-mode-matches', 'answer-present', 'load-bearing-present',
  'direct-footer', 'direct-no-protocol',
  'silent-no-visible-rounds', 'silent-no-prelude', 'silent-footer', 'silent-lens-path', 'silent-depth-consistent',
  'prelude-fields',
  'trace-rounds-contiguous', 'trace-lenses-known', 'trace-challenge-before-expand', 'trace-challenge-ran',
  'trace-synthesize-last', 'trace-rotation-order', 'trace-insight-chain', 'trace-round-fields',
  'trace-convergence-values', 'trace-footer', 'trace-depth-matches', 'trace-converged-within-depth',
  'trace-re-prelude',
  'agent-dispatch-line', 'agent-dispatch-count', 'agent-dispatch-lenses', 'agent-subagent-letters',
  'agent-subagent-findings', 'agent-subagent-confidence', 'agent-merge-convergent-points',
  'agent-merge-tensions', 'agent-merge-synthesis', 'agent-footer', 'agent-footer-count',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** Builds one check line; ids are typed so a typo fails the build, not a script downstream. */
export function check(id: CheckId, pass: boolean, detail: string): Check {
  return { id, pass, detail };
}

/** Joins items as `a, b and c` for details. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** One line per check: `PASS id: detail` / `FAIL id: detail`. */
export function formatCheckLines(report: { readonly checks: readonly Check[] }): string[] {
  return report.checks.map((c) => `${c.pass ? 'PASS' : 'FAIL'} ${c.id}: ${c.detail}`);
}
