/**
 * The markdown building blocks of every output shape. Pure string functions; the headings,
 * labels and footers are format facts that `mythos check` and the skill share (the footers
 * themselves live in ../format, which the checker reads them with).
 */
import { counted } from '../format/footers.js';
import { textKey } from '../format/same-text.js';
import type { PreludeRecord, RoundRecord, SubagentRecord, MergeRecord } from '../state.js';

export function renderPrelude(prelude: PreludeRecord, heading = '## Prelude'): string {
  const { reply, routing, plan } = prelude;
  const forced = routing.source === 'score' ? '' : ' (forced)';
  const total = routing.mode === 'agent' ? counted(plan.length, 'subagent', 'subagents') : counted(plan.length, 'round', 'rounds');
  return [
    heading,
    `**Q:** ${oneLine(reply.restated_question)} | **Not:** ${oneLine(reply.anti_scope)}`,
    `**Complexity:** ${routing.score}/5 → ${routing.mode} mode${forced}, ${total} total | **Drivers:** ${reply.drivers.join(', ')}`,
    `**Budget:** ${prelude.budgetLine}`,
    `**Success:** ${oneLine(reply.success_criterion)}`,
  ].join('\n');
}

export function renderRePrelude(prelude: PreludeRecord, afterRound: number): string {
  return renderPrelude(prelude, `## Prelude (re-Prelude after Round ${afterRound})`);
}

/** Why a round was not kept, as its New insight line says it. */
function discardReason(round: RoundRecord): string {
  if (round.decision.halt === 'negative-delta') return 'negative delta';
  const { of } = round.decision.echo;
  if (round.decision.flags.includes('ECHO')) return of === 0 ? 'repeats the carried finding' : `repeats round ${of ?? '?'}`;
  if (round.decision.flags.includes('DRIFT')) return 'drifted off the question';
  return 'no concrete insight';
}

/** What a round adds to the chain later rounds show: its insight, or the mark of its discard. */
export function chainText(round: RoundRecord): string {
  return round.decision.keep ? round.reply.new_insight : `(discarded: ${discardReason(round)})`;
}

/**
 * A round as shown in trace mode. Every round that ran is shown under the number it ran as; a
 * discarded one shows why, never its insight. `chain` holds one entry per earlier round.
 */
export function renderRound(round: RoundRecord, number: number, chain: readonly string[]): string {
  const lines = [`### Round ${number}: ${round.lens}`];
  if (number >= 2) lines.push(`**Insight chain:** ${chain.map((insight, i) => `R${i + 1}: ${oneLine(insight)}`).join(' → ')}`);
  if (round.decision.keep) {
    lines.push(`**New insight:** ${oneLine(round.reply.new_insight)}`, `**What changed:** ${oneLine(round.reply.what_changed)}`);
    lines.push(`**Convergence:** ${round.reply.convergence}`);
    return lines.join('\n');
  }
  const after = round.decision.halt ? '; the block halted here' : round.decision.spent ? '; the rest of this lens is skipped' : '';
  lines.push(`**New insight:** ${chainText(round)}`, `**What changed:** nothing kept${after}`);
  // A negative-delta round is marked as such whatever it called itself.
  lines.push(`**Convergence:** ${round.decision.halt === 'negative-delta' ? 'negative-delta' : round.reply.convergence}`);
  return lines.join('\n');
}

export function renderDispatch(subagents: readonly SubagentRecord[]): string {
  return `[Dispatching ${subagents.length} parallel subagents: ${subagents.map((s) => s.lens).join(', ')}]`;
}

export function renderSubagent(subagent: SubagentRecord): string {
  const finding = subagent.reply ? oneLine(subagent.reply.finding) : `(failed: ${oneLine(subagent.error ?? 'no usable reply')})`;
  const confidence = subagent.reply ? subagent.reply.confidence : 'low';
  const divergent = subagent.divergent ? ' (divergent)' : '';
  return [
    `### Subagent ${subagent.letter} — ${subagent.lens}`,
    `**Independent finding:** ${finding}`,
    `**Confidence:** ${subagent.divergent ? 'low' : confidence}${divergent}`,
  ].join('\n');
}

/**
 * Stances that differ between subagents: the tensions we can name without a merge call. Stances
 * worded alike (case, punctuation, Unicode forms aside) are one; each shows as first written.
 */
export function stanceTensions(subagents: readonly SubagentRecord[]): string[] {
  const byStance = new Map<string, { stance: string; letters: string[] }>();
  for (const s of subagents) {
    if (!s.reply) continue;
    const key = textKey(s.reply.stance);
    const group = byStance.get(key) ?? { stance: s.reply.stance, letters: [] };
    byStance.set(key, { ...group, letters: [...group.letters, s.letter] });
  }
  if (byStance.size < 2) return [];
  return [[...byStance.values()].map(({ stance, letters }) => `${letters.join(', ')}: ${oneLine(stance)}`).join(' vs ')];
}

export function renderMerge(merge: MergeRecord, subagents: readonly SubagentRecord[]): string {
  const list = (items: readonly string[], none: string) => (items.length ? items.map(oneLine).join('; ') : none);
  if (!merge.reply) {
    const tensions = stanceTensions(subagents);
    return [
      '### Merge',
      `**Convergent points:** not merged (${merge.fallbackNote ?? 'the merge call failed'})`,
      `**Tensions:** ${list(tensions, 'none visible in the findings alone')}`,
      '**Synthesis:** not attempted; the findings above stand on their own.',
    ].join('\n');
  }
  const reply = merge.reply;
  const synthesis = reply.unresolved
    ? `unresolved; competing positions: ${list(reply.competing_positions, oneLine(reply.synthesis))}`
    : oneLine(reply.synthesis);
  return [
    '### Merge',
    `**Convergent points:** ${list(reply.convergent_points, 'none')}`,
    `**Tensions:** ${list(reply.tensions, 'none surfaced')}`,
    `**Synthesis:** ${synthesis}`,
  ].join('\n');
}

export function assumptionsLine(assumptions: readonly string[]): string {
  const text = assumptions.length ? assumptions.map(oneLine).join('; ') : 'none identified';
  return `*Load-bearing assumptions: ${text}*`;
}

export function renderAnswer(answer: string, footerLines: readonly string[]): string {
  return ['## Answer', answer.trim(), '', '---', ...footerLines].join('\n');
}

/** Labels sit on one line each; a stray newline from the model would break the shape. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n+\s*/g, ' ').trim();
}
