/**
 * Builds every prompt from the reference templates. The question is always re-sent verbatim:
 * it is the signal each round is anchored to.
 */
import { FACTOR_KEYS, type LensName } from '../schemas.js';
import { FACTOR_LABELS } from '../prelude/routing.js';
import type { ChainEntry, PreludeRecord, SubagentRecord } from '../state.js';
import { fillTemplate } from './fill-template.js';
import type { ReferenceBundle, TemplateName } from './reference-files.js';

export class PromptBuilder {
  constructor(private readonly refs: ReferenceBundle) {}

  /** The static prefix of every request: protocol plus lens catalogue, identical across calls so it caches. */
  system(): string {
    const catalogue = Object.values(this.refs.lenses)
      .map((lens) => `## ${lens.name}\n${this.lensBrief(lens.name)}`)
      .join('\n\n');
    return `${this.refs.templates.System}\n\n# Lens catalogue\n\n${catalogue}`;
  }

  lensBrief(lens: LensName): string {
    const entry = this.refs.lenses[lens];
    return [
      `Asks: ${entry.asks}`,
      `Fits when: ${entry.fitsWhen}`,
      `Good insight: ${entry.goodInsight}`,
      `Second application: ${entry.secondApplication}`,
    ].join('\n');
  }

  application(lens: LensName, application: 1 | 2): string {
    return application === 1 ? 'first' : `second: ${this.refs.lenses[lens].secondApplication}`;
  }

  fill(name: TemplateName, values: Record<string, string | number>): string {
    return fillTemplate(this.refs.templates[name], values);
  }
}

/** Plain-text Prelude for prompts: what every later step must stay anchored to. */
export function preludeText(prelude: PreludeRecord): string {
  const { reply, routing } = prelude;
  const factors = FACTOR_KEYS.map(
    (key) => `- ${FACTOR_LABELS[key]}: ${reply.factors[key].present ? 'yes' : 'no'} (${reply.factors[key].reason})`,
  ).join('\n');
  const lines = [
    `Restated question: ${reply.restated_question}`,
    `Not in scope: ${reply.anti_scope}`,
    `Complexity: ${routing.score}/5`,
    factors,
    `Primary drivers: ${reply.drivers.join(', ')}`,
    `Lens budget: ${prelude.budgetLine}`,
    `Success criterion: ${reply.success_criterion}`,
  ];
  if (reply.conflicting_instructions.length > 0) {
    lines.push(`Conflicting instructions: ${reply.conflicting_instructions.join('; ')}`);
  }
  return lines.join('\n');
}

function entryLabel(entry: ChainEntry): string {
  return entry.from ? `R${entry.number} (${entry.lens}, carried over from ${entry.from})` : `R${entry.number} (${entry.lens})`;
}

/** One short line per kept round (numbered as the round ran); the memory later rounds cannot lose. */
export function insightChain(kept: readonly ChainEntry[]): string {
  if (kept.length === 0) return '(none yet)';
  return kept.map((entry) => `${entryLabel(entry)}: ${entry.insight}`).join('\n');
}

/** The stance each kept round ended on, for the judge to compare a candidate's stance with. */
export function stanceLines(kept: readonly ChainEntry[]): string {
  if (kept.length === 0) return '(none yet)';
  return kept.map((entry) => `${entryLabel(entry)}: ${entry.stance}`).join('\n');
}

export function findingsText(subagents: readonly SubagentRecord[]): string {
  return subagents
    .filter((s) => s.reply)
    .map((s) => `Subagent ${s.letter} (${s.lens}, confidence ${s.reply?.confidence}): ${s.reply?.finding}`)
    .join('\n\n');
}
