/**
 * The Coda: review the trajectory, cross-check, surface residual uncertainty, deliver.
 * The model writes the answer; code renders every heading, count and footer.
 */
import type { RunContext } from '../context.js';
import { findingsText, preludeText } from '../prompts/build-prompts.js';
import { CodaReply, DirectCodaReply } from '../schemas.js';
import { keptRounds, type RunRecord } from '../state.js';
import { renderMerge } from './render-parts.js';
import { renderTranscript } from './render-transcript.js';
import { AnswerStreamExtractor } from './answer-stream.js';
import type { StreamHandlers } from '../../providers/types.js';

/** What the Coda reviews: kept insights only; a discarded round never feeds the answer. */
export function trajectoryText(run: RunRecord): string {
  const merge = run.merge ? `\n\nMerge:\n${renderMerge(run.merge, run.subagents).replace(/\*\*/g, '')}` : '';
  const findings = `Independent findings:\n${findingsText(run.subagents)}${merge}`;
  if (run.mode === 'agent') return findings;
  const lines = keptRounds(run).map((r, i) => `R${i + 1} (${r.lens}, ${r.reply.convergence}): ${r.reply.new_insight}`);
  const stop = run.stopReason ? `\nStopped: ${run.stopReason} (${run.stopDetail ?? ''})` : '';
  const escalated = run.escalatedAfter !== null ? `\n\nThen, escalated to parallel subagents:\n${findings}` : '';
  return `${lines.join('\n') || '(no rounds kept)'}${stop}${escalated}`;
}

/** Turns the Coda's streamed JSON into answer-text events, when the caller wants them. */
function answerStream(ctx: RunContext, enabled: boolean): StreamHandlers | undefined {
  if (!enabled) return undefined;
  let extractor = new AnswerStreamExtractor();
  return {
    onText: (delta) => {
      const text = extractor.push(delta);
      if (text) ctx.bus.emit({ type: 'coda.delta', text });
    },
    onRestart: () => {
      extractor = new AnswerStreamExtractor();
      ctx.bus.emit({ type: 'coda.restart' });
    },
  };
}

export async function runCoda(ctx: RunContext, question: string, streamAnswer = false): Promise<string> {
  const run = ctx.record;
  ctx.bus.emit({ type: 'stage', stage: 'coda', label: 'Coda: cross-checking and writing the answer' });
  const prelude = preludeText(run.prelude!);
  if (run.mode === 'direct') {
    const prompt = ctx.prompts.fill('Direct Coda', { question, prelude });
    const { value } = await ctx.call('coda', 'Coda (direct)', prompt, DirectCodaReply, answerStream(ctx, streamAnswer));
    run.coda = value;
    run.answer = value.answer;
  } else {
    const prompt = ctx.prompts.fill('Coda', { question, prelude, mode: run.mode, trajectory: trajectoryText(run) });
    const { value } = await ctx.call('coda', 'Coda', prompt, CodaReply, answerStream(ctx, streamAnswer));
    run.coda = value;
    run.answer = value.answer;
    if (!value.consistent_with_trajectory) {
      const evidence = value.inconsistencies.join('; ') || 'the Coda reported an inconsistency';
      ctx.bus.emit({ type: 'flag', flag: 'CODA_INCONSISTENT', evidence });
    }
  }
  const markdown = renderTranscript(run);
  ctx.bus.emit({ type: 'coda', coda: run.coda!, markdown });
  return markdown;
}
