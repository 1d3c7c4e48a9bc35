/**
 * The calibration report, one format for `mythos calibrate` and the guided scripts: a summary
 * table per case × mode, the totals, then every failing check.
 */
import type { Check, CheckMode } from './report.js';

export interface CalibrationResult {
  caseId: string;
  mode: CheckMode;
  /** What was typed, e.g. `/mythos quick Pivot or stay?`. */
  invocation: string;
  lensPath: string[];
  /** Rounds shown (trace), latent passes (silent) or subagents (agent); null when unknown. */
  depth: number | null;
  convergence: string;
  checks: Check[];
}

export interface ReportContext {
  generatedAt: Date;
  /** Who produced the transcripts: `mythos calibrate` or a guided Claude Code session. */
  source: string;
}

/** `calibration-report-YYYYMMDD-HHMM.md`, in UTC so two machines name the same minute alike. */
export function reportFileName(at: Date): string {
  const iso = at.toISOString();
  return `calibration-report-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 16).replace(':', '')}.md`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

export function renderCalibrationReport(results: readonly CalibrationResult[], context: ReportContext): string {
  const passed = results.reduce((n, r) => n + r.checks.filter((c) => c.pass).length, 0);
  const failed = results.reduce((n, r) => n + r.checks.filter((c) => !c.pass).length, 0);
  const stamp = context.generatedAt.toISOString().slice(0, 16).replace('T', ' ');
  const lines = [
    '# mythos calibration report',
    '',
    `Generated ${stamp} UTC from ${context.source}.`,
    'Only structure is checked: a FAIL is a signal to re-read the protocol, not proof of bad reasoning.',
    '',
    '| case | mode | invoked as | lens path | depth | convergence | pass | fail |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map((r) =>
      `| ${r.caseId} | ${r.mode} | \`${cell(r.invocation)}\` | ${cell(r.lensPath.join(' → ') || '—')} | ${r.depth ?? '—'} | ${cell(r.convergence)} | ${r.checks.filter((c) => c.pass).length} | ${r.checks.filter((c) => !c.pass).length} |`,
    ),
    '',
    `**Total: ${passed} passed, ${failed} failed.**`,
    '',
  ];
  const failing = results.filter((r) => r.checks.some((c) => !c.pass));
  if (failing.length) {
    lines.push('## Failures', '');
    for (const r of failing) {
      lines.push(`### ${r.caseId} · ${r.mode}`, '', ...r.checks.filter((c) => !c.pass).map((c) => `- FAIL ${c.id}: ${cell(c.detail)}`), '');
    }
  }
  return lines.join('\n');
}
