/**
 * The markdown building blocks of every output shape. Pure string functions; the headings,
 * labels and footers are format facts that `mythos check` and the skill share (the footers, marks
 * and label grammar live in ../format, which the checker reads them with). Model text goes in
 * through ./model-text.js only, so it can never pass for a label, a mark or an empty field.
 */
import { DISCARD_REASONS, discardedMark, failedMark, repeatsRound } from '../format/fields.js';
import { counted } from '../format/footers.js';
import { textKey } from '../format/same-text.js';
import { answerText, fieldList, fieldText, oneLine } from './model-text.js';
import type { Convergence } from '../schemas.js';
import type { PreludeRecord, RoundRecord, SubagentRecord, MergeRecord } from '../state.js';

export function renderPrelude(prelude: PreludeRecord, heading = '## Prelude'): string {
  const { reply, routing, plan } = prelude;
  const forced = routing.source === 'score' ? '' : ' (forced)';
  const total = routing.mode === 'agent' ? counted(plan.length, 'subagent', 'subagents') : counted(plan.length, 'round', 'rounds');
  return [
    heading,
    `**Q:** ${fieldText(reply.restated_question)} | **Not:** ${fieldText(reply.anti_scope)}`,
    `**Complexity:** ${routing.score}/5 → ${routing.mode} mode${forced}, ${total} total | **Drivers:** ${reply.drivers.join(', ')}`,
    `**Budget:** ${prelude.budgetLine}`,
    `**Success:** ${fieldText(reply.success_criterion)}`,
  ].join('\n');
}

export function renderRePrelude(prelude: PreludeRecord, afterRound: number): string {
  return renderPrelude(prelude, `## Prelude (re-Prelude after Round ${afterRound})`);
}

/** Why a round was not kept, as its New insight line says it. */
function discardReason(round: RoundRecord): string {
  if (round.decision.halt === 'negative-delta') return DISCARD_REASONS.negativeDelta;
  const { of } = round.decision.echo;
  if (round.decision.flags.includes('ECHO')) return of === 0 ? DISCARD_REASONS.repeatsCarried : repeatsRound(of ?? '?');
  if (round.decision.flags.includes('DRIFT')) return DISCARD_REASONS.drift;
  return DISCARD_REASONS.noInsight;
}

/** What a round adds to the chain later rounds show, as shown: its insight, or the mark of its discard. */
export function chainText(round: RoundRecord): string {
  return round.decision.keep ? fieldText(round.reply.new_insight) : discardedMark(discardReason(round));
}

/**
 * A round's convergence as the transcript shows it. `negative-delta` ends the block, so it shows
 * only on the round whose decision halted for it, whatever the round called itself. A round that
 * called itself negative-delta and was overruled shows what became of it instead: `evolving` when
 * it was kept, `stable` when it was dropped for another reason (nothing changed).
 */
export function shownConvergence(round: RoundRecord): Convergence {
  if (round.decision.halt === 'negative-delta') return 'negative-delta';
  if (round.reply.convergence !== 'negative-delta') return round.reply.convergence;
  return round.decision.keep ? 'evolving' : 'stable';
}

/**
 * A round as shown in trace mode. Every round that ran is shown under the number it ran as; a
 * discarded one shows why, never its insight. `chain` holds one entry per earlier round, as
 * `chainText` gives it.
 */
export function renderRound(round: RoundRecord, number: number, chain: readonly string[]): string {
  const lines = [`### Round ${number}: ${round.lens}`];
  if (number >= 2) lines.push(`**Insight chain:** ${chain.map((insight, i) => `R${i + 1}: ${oneLine(insight)}`).join(' → ')}`);
  if (round.decision.keep) {
    lines.push(`**New insight:** ${chainText(round)}`, `**What changed:** ${fieldText(round.reply.what_changed)}`);
    lines.push(`**Convergence:** ${shownConvergence(round)}`);
    return lines.join('\n');
  }
  const after = round.decision.halt ? '; the block halted here' : round.decision.spent ? '; the rest of this lens is skipped' : '';
  lines.push(`**New insight:** ${chainText(round)}`, `**What changed:** nothing kept${after}`);
  lines.push(`**Convergence:** ${shownConvergence(round)}`);
  return lines.join('\n');
}

export function renderDispatch(subagents: readonly SubagentRecord[]): string {
  return `[Dispatching ${subagents.length} parallel subagents: ${subagents.map((s) => s.lens).join(', ')}]`;
}

export function renderSubagent(subagent: SubagentRecord): string {
  const finding = subagent.reply ? fieldText(subagent.reply.finding) : failedMark(fieldText(subagent.error ?? '', 'no usable reply'));
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
  return [[...byStance.values()].map(({ stance, letters }) => `${letters.join(', ')}: ${fieldText(stance)}`).join(' vs ')];
}

export function renderMerge(merge: MergeRecord, subagents: readonly SubagentRecord[]): string {
  if (!merge.reply) {
    const tensions = stanceTensions(subagents);
    return [
      '### Merge',
      `**Convergent points:** not merged (${fieldText(merge.fallbackNote ?? '', 'the merge call failed')})`,
      `**Tensions:** ${tensions.length ? tensions.join('; ') : 'none visible in the findings alone'}`,
      '**Synthesis:** not attempted; the findings above stand on their own.',
    ].join('\n');
  }
  const reply = merge.reply;
  const synthesis = reply.unresolved
    ? `unresolved; competing positions: ${fieldList(reply.competing_positions, fieldText(reply.synthesis))}`
    : fieldText(reply.synthesis);
  return [
    '### Merge',
    `**Convergent points:** ${fieldList(reply.convergent_points, 'none')}`,
    `**Tensions:** ${fieldList(reply.tensions, 'none surfaced')}`,
    `**Synthesis:** ${synthesis}`,
  ].join('\n');
}

export function assumptionsLine(assumptions: readonly string[]): string {
  return `*Load-bearing assumptions: ${fieldList(assumptions, 'none identified')}*`;
}

export function renderAnswer(answer: string, footerLines: readonly string[]): string {
  return ['## Answer', answerText(answer), '', '---', ...footerLines].join('\n');
}

export { oneLine };
