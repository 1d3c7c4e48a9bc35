/**
 * `mythos check`: judges a transcript's structure against the mode its footer claims (or the
 * mode the caller forces). Pure: markdown in, a report out; the CLI prints and sets exit codes.
 */
import { agentChecks } from './agent-checks.js';
import { countProblem, parseTranscript, type ParsedTranscript } from './parse-transcript.js';
import {
  CheckReportSchema, check, formatCheckLines, listText, type Check, type CheckMode, type CheckReport,
} from './report.js';
import { traceChecks } from './trace-checks.js';
import { asMode, LENSES } from './vocabulary.js';

export { formatCheckLines };

export interface CheckOptions {
  /** Judge as this mode instead of the footer's (the CLI's `--mode`). */
  mode?: CheckMode;
}

const PRELUDE_LABELS = ['Q', 'Not', 'Complexity', 'Drivers', 'Budget', 'Success'] as const;

/** Prelude labels that are absent or empty, plus a Complexity that is not `n/5`. */
export function missingPreludeFields(fields: Record<string, string>): string[] {
  const missing: string[] = PRELUDE_LABELS.filter((label) => !fields[label.toLowerCase()]?.trim());
  const complexity = fields['complexity'];
  if (complexity?.trim() && !/^[0-5]\s*\/\s*5\b/.test(complexity)) missing.push(`a Complexity score n/5 (got '${complexity}')`);
  return missing;
}

function preludeFields(t: ParsedTranscript): Check {
  const prelude = t.preludes.find((p) => p.reAfter === null);
  if (!prelude) return check('prelude-fields', false, 'no ## Prelude');
  const missing = missingPreludeFields(prelude.fields);
  return missing.length
    ? check('prelude-fields', false, `Prelude lacks ${listText(missing)}`)
    : check('prelude-fields', true, `Prelude has ${PRELUDE_LABELS.join(', ')}`);
}

function loadBearing(t: ParsedTranscript): Check {
  return t.loadBearing?.trim()
    ? check('load-bearing-present', true, 'load-bearing assumptions line present')
    : check('load-bearing-present', false, 'no *Load-bearing assumptions: …* line after the footer');
}

/** Protocol pieces a direct or silent answer must not show. */
function visibleProtocol(t: ParsedTranscript, withPrelude: boolean): string[] {
  const found: string[] = [];
  if (withPrelude && t.preludes.length) found.push(`${t.preludes.length} Prelude`);
  if (t.rounds.length) {
    const names = t.rounds.map((r) => `Round ${r.number}: ${r.lens}`);
    found.push(`${t.rounds.length} visible round${t.rounds.length === 1 ? '' : 's'} (${names.join(', ')})`);
  }
  if (t.dispatch) found.push('a dispatch line');
  if (t.subagents.length) found.push(`${t.subagents.length} subagent sections`);
  if (t.merge) found.push('a Merge');
  return found;
}

function directChecks(t: ParsedTranscript): Check[] {
  const f = t.footer;
  const footerOk = f?.unit === 'rounds' && f.depth === 0 && !f.stop && !f.lensPath;
  const number = countProblem(f);
  const extra = visibleProtocol(t, true);
  if (t.loadBearing !== null) extra.push('a load-bearing line');
  return [
    !footerOk
      ? check('direct-footer', false, f ? `footer depth '${f.depthText}'; expected '0 rounds'` : 'no footer')
      : number
        ? check('direct-footer', false, number)
        : check('direct-footer', true, 'Depth: 0 rounds. Mode: direct.'),
    extra.length
      ? check('direct-no-protocol', false, `direct answer shows ${listText(extra)}`)
      : check('direct-no-protocol', true, 'only the Answer and the footer'),
  ];
}

function silentChecks(t: ParsedTranscript): Check[] {
  const f = t.footer;
  const path = f?.lensPath ?? null;
  const shown = visibleProtocol(t, false);
  const unknown = (path ?? []).filter((lens) => !(LENSES as readonly string[]).includes(lens));
  const number = countProblem(f);
  const checks = [
    shown.length
      ? check('silent-no-visible-rounds', false, `silent footer over ${listText(shown)}`)
      : check('silent-no-visible-rounds', true, 'no visible rounds or subagents'),
    t.preludes.length
      ? check('silent-no-prelude', false, `silent transcript shows ${t.preludes.length} Prelude`)
      : check('silent-no-prelude', true, 'no Prelude shown'),
    !(f?.unit === 'latent-passes' && path)
      ? check('silent-footer', false, f ? `footer '${f.line}'; expected 'N latent passes' and a Lens path` : 'no footer')
      : number
        ? check('silent-footer', false, number)
        : check('silent-footer', true, `${f.depthText}, lens path given`),
    !path || path.length === 0
      ? check('silent-lens-path', false, 'no lens path in the footer')
      : unknown.length
        ? check('silent-lens-path', false, `unknown lens in path: ${listText(unknown)}`)
        : check('silent-lens-path', true, path.join(' → ')),
  ];
  const n = f?.unit === 'latent-passes' ? f.depth : null;
  if (n === null || !path) checks.push(check('silent-depth-consistent', false, 'need N latent passes and a lens path to compare'));
  else if (n !== path.length) checks.push(check('silent-depth-consistent', false, `${n} latent passes but ${path.length} lenses in the path`));
  else checks.push(check('silent-depth-consistent', true, `${n} latent passes, ${path.length} lenses in the path`));
  checks.push(loadBearing(t));
  return checks;
}

function modeChecks(mode: CheckMode, t: ParsedTranscript): Check[] {
  switch (mode) {
    case 'direct': return directChecks(t);
    case 'silent': return silentChecks(t);
    case 'trace': return [preludeFields(t), ...traceChecks(t, missingPreludeFields), loadBearing(t)];
    case 'agent': return [preludeFields(t), ...agentChecks(t), loadBearing(t)];
  }
}

/** Judges an already parsed transcript; `checkTranscript` is the usual entry point. */
export function checkParsed(t: ParsedTranscript, opts: CheckOptions = {}): CheckReport {
  const claimed = asMode(t.footer?.mode);
  const mode = opts.mode ?? claimed;
  if (!mode) {
    const why = t.footer
      ? `footer names unknown mode '${t.footer.mode}' and no mode was given`
      : 'no *Depth: … Mode: …* footer and no mode was given';
    return CheckReportSchema.parse({ mode: null, ok: false, checks: [check('mode-known', false, why)] });
  }
  const checks: Check[] = [
    check('mode-known', true, opts.mode ? `checking as ${mode} (given)` : `checking as ${mode} (footer)`),
    t.footer
      ? check('footer-present', true, t.footer.line)
      : check('footer-present', false, 'no *Depth: … Mode: …* footer line'),
  ];
  if (opts.mode) {
    checks.push(claimed === opts.mode
      ? check('footer-mode-matches', true, `footer says Mode: ${claimed}`)
      : check('footer-mode-matches', false, t.footer ? `footer says Mode: ${t.footer.mode}, checked as ${opts.mode}` : 'no footer'));
  }
  checks.push(t.answer.present && t.answer.text
    ? check('answer-present', true, '## Answer with text')
    : check('answer-present', false, t.answer.present ? '## Answer is empty' : 'no ## Answer section'));
  checks.push(...modeChecks(mode, t));
  return CheckReportSchema.parse({ mode, ok: checks.every((c) => c.pass), checks });
}

/** Parses and judges a transcript; `opts.mode` overrides the footer's mode. */
export function checkTranscript(markdown: string, opts: CheckOptions = {}): CheckReport {
  return checkParsed(parseTranscript(markdown), opts);
}
