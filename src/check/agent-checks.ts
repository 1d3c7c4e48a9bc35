/**
 * Agent mode: the dispatch line, the subagent sections, the merge and the footer must agree on
 * how many perspectives ran and what each one found.
 */
import { countProblem, type ParsedTranscript, type Subagent } from './parse-transcript.js';
import { FAILED_START } from '../core/format/fields.js';
import { check, listText, type Check } from './report.js';
import { CONFIDENCE, leadingKeyword } from './vocabulary.js';

/** A subagent the runtime could not get a reply from is shown, with its `(failed: …)` mark, but not merged. */
const isFailed = (s: Subagent) => FAILED_START.test(s.fields['independent finding'] ?? '');

function finding(s: Subagent): string | undefined {
  return s.fields['independent finding'] ?? s.fields['finding'];
}

function dispatchLine(t: ParsedTranscript): Check {
  return t.dispatch
    ? check('agent-dispatch-line', true, t.dispatch.line)
    : check('agent-dispatch-line', false, 'no [Dispatching N parallel subagents: …] line');
}

function dispatchCount(t: ParsedTranscript): Check {
  const id = 'agent-dispatch-count';
  const d = t.dispatch;
  if (!d) return check(id, false, 'no dispatch line');
  if (d.lenses.length !== d.count) return check(id, false, `dispatch says ${d.count} but lists ${d.lenses.length} lenses`);
  return d.count === t.subagents.length
    ? check(id, true, `dispatch count ${d.count} equals the subagent sections`)
    : check(id, false, `dispatch says ${d.count}, ${t.subagents.length} subagent sections`);
}

/** Sections and dispatch list hold the same lenses (order aside), all of them known. */
function dispatchLenses(t: ParsedTranscript): Check {
  const id = 'agent-dispatch-lenses';
  const unknown = t.subagents.filter((s) => !s.lensKnown).map((s) => `Subagent ${s.letter} '${s.lens}'`);
  if (unknown.length) return check(id, false, `unknown lens: ${listText(unknown)}`);
  if (!t.dispatch) return check(id, false, 'no dispatch line');
  const left = [...t.dispatch.lenses];
  const extra: string[] = [];
  for (const s of t.subagents) {
    const i = left.indexOf(s.lens);
    if (i === -1) extra.push(`Subagent ${s.letter} (${s.lens})`);
    else left.splice(i, 1);
  }
  const problems = [
    ...(extra.length ? [`${listText(extra)} not in the dispatch list`] : []),
    ...(left.length ? [`dispatched ${listText(left)} without a section`] : []),
  ];
  return problems.length
    ? check(id, false, problems.join('; '))
    : check(id, true, `sections match the dispatch list: ${t.dispatch.lenses.join(', ')}`);
}

function letters(subagents: readonly Subagent[]): Check {
  const id = 'agent-subagent-letters';
  if (subagents.length === 0) return check(id, false, 'no ### Subagent sections');
  for (const [i, s] of subagents.entries()) {
    const expected = String.fromCharCode(65 + i);
    if (s.letter !== expected) return check(id, false, `Subagent ${s.letter} where ${expected} was expected`);
  }
  return check(id, true, `Subagents A..${subagents.at(-1)?.letter}`);
}

function findings(subagents: readonly Subagent[]): Check {
  const id = 'agent-subagent-findings';
  if (subagents.length === 0) return check(id, false, 'no ### Subagent sections');
  const missing = subagents.filter((s) => !finding(s)?.trim()).map((s) => s.letter);
  return missing.length
    ? check(id, false, `no Independent finding in Subagent ${listText(missing)}`)
    : check(id, true, `all ${subagents.length} subagents report a finding`);
}

function confidence(subagents: readonly Subagent[]): Check {
  const id = 'agent-subagent-confidence';
  if (subagents.length === 0) return check(id, false, 'no ### Subagent sections');
  const problems = subagents.flatMap((s) => {
    const value = s.fields['confidence'];
    if (value === undefined) return [`Subagent ${s.letter} has no Confidence`];
    return leadingKeyword(value, CONFIDENCE) ? [] : [`Subagent ${s.letter}: '${value}' is not high/medium/low`];
  });
  return problems.length
    ? check(id, false, problems.join('; '))
    : check(id, true, `all ${subagents.length} subagents state high/medium/low`);
}

function mergeField(t: ParsedTranscript, id: 'agent-merge-convergent-points' | 'agent-merge-tensions' | 'agent-merge-synthesis', label: string): Check {
  if (!t.merge) return check(id, false, 'no ### Merge section');
  const value = t.merge.fields[label.toLowerCase()];
  if (value === undefined) return check(id, false, `Merge has no ${label}`);
  if (!value.trim()) return check(id, false, `Merge ${label} is empty`);
  return check(id, true, `Merge has ${label}`);
}

function footerShape(t: ParsedTranscript): Check {
  const f = t.footer;
  if (!f) return check('agent-footer', false, 'no footer');
  if (f.unit !== 'parallel-subagents') return check('agent-footer', false, `footer depth '${f.depthText}'; expected 'N parallel subagents merged'`);
  const number = countProblem(f);
  return number ? check('agent-footer', false, number) : check('agent-footer', true, f.depthText);
}

function footerCount(t: ParsedTranscript): Check {
  const id = 'agent-footer-count';
  const n = t.footer?.unit === 'parallel-subagents' ? t.footer.depth : null;
  if (n === null) return check(id, false, 'footer gives no subagent count');
  const failed = t.subagents.filter(isFailed).length;
  const merged = t.subagents.length - failed;
  const shown = failed ? `${t.subagents.length} sections, ${failed} failed` : `${t.subagents.length} sections`;
  return n === merged
    ? check(id, true, `footer count ${n} matches (${shown})`)
    : check(id, false, `footer says ${n} merged, ${shown}`);
}

export function agentChecks(t: ParsedTranscript): Check[] {
  return [
    dispatchLine(t),
    dispatchCount(t),
    dispatchLenses(t),
    letters(t.subagents),
    findings(t.subagents),
    confidence(t.subagents),
    mergeField(t, 'agent-merge-convergent-points', 'Convergent points'),
    mergeField(t, 'agent-merge-tensions', 'Tensions'),
    mergeField(t, 'agent-merge-synthesis', 'Synthesis'),
    footerShape(t),
    footerCount(t),
  ];
}
