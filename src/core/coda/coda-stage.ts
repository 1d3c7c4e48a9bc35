/**
 * The Coda: review the trajectory, surface residual uncertainty, deliver; then a separate call
 * that did not write the answer cross-checks it against the trajectory. The model writes the
 * answer; code renders every heading, count and footer.
 */
import type { RunContext } from '../context.js';
import type { z } from 'zod';
import { BudgetExhaustedError, InterruptedError } from '../errors.js';
import { findingsText, preludeText } from '../prompts/build-prompts.js';
import { CodaReply, CrossCheckReply, DirectCodaReply } from '../schemas.js';
import { chainEntries, type CrossCheckRecord, type RunRecord } from '../state.js';
import { renderMerge } from './render-parts.js';
import { renderTranscript } from './render-transcript.js';
import { AnswerStreamExtractor } from './answer-stream.js';
import type { StreamHandlers } from '../../providers/types.js';

/** What the Coda reviews: kept insights only; a discarded round never feeds the answer. */
export function trajectoryText(run: RunRecord): string {
  const merge = run.merge ? `\n\nMerge:\n${renderMerge(run.merge, run.subagents).replace(/\*\*/g, '')}` : '';
  const findings = `Independent findings:\n${findingsText(run.subagents)}${merge}`;
  if (run.mode === 'agent') return findings;
  const lines = chainEntries(run).map((e) =>
    e.from ? `R0 (${e.lens}, carried over from ${e.from} when agent mode fell back): ${e.insight}` : `R${e.number} (${e.lens}, ${e.convergence}): ${e.insight}`);
  const stop = run.stopReason ? `\nStopped: ${run.stopReason} (${run.stopDetail ?? ''})` : '';
  const escalated = run.escalatedAfter !== null ? `\n\nThen, escalated to parallel subagents:\n${findings}` : '';
  return `${lines.join('\n') || '(no rounds kept)'}${stop}${escalated}`;
}

/** Whether the run produced anything an answer could depart from. */
function hasTrajectory(run: RunRecord): boolean {
  return chainEntries(run).length > 0 || run.subagents.some((s) => s.reply);
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

/**
 * The non-author check: CODA_INCONSISTENT and the footer's cross-check note come only from here.
 * It never costs the run its answer: unaffordable or failed, it is skipped and the record says why.
 */
async function crossCheck(ctx: RunContext, question: string, prelude: string, answer: string): Promise<CrossCheckRecord> {
  const run = ctx.record;
  if (!hasTrajectory(run)) return { reply: null, skipped: { reason: 'nothing-kept', detail: 'nothing was kept to check the answer against' } };
  if (!ctx.canAffordAlone('cross-check')) return { reply: null, skipped: { reason: 'budget', detail: 'the budget could not pay for it' } };
  try {
    const prompt = ctx.prompts.fill('Cross-check', { question, prelude, trajectory: trajectoryText(run), answer });
    const { value } = await ctx.call('cross-check', 'cross-check', prompt, CrossCheckReply);
    if (!value.consistent) {
      ctx.bus.emit({ type: 'flag', flag: 'CODA_INCONSISTENT', evidence: value.departures.join('; ') || 'the cross-check found a departure it did not name' });
    }
    return { reply: value, skipped: null };
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    return { reply: null, skipped: { reason: 'failed', detail: `the call failed: ${error instanceof Error ? error.message : String(error)}` } };
  }
}

/**
 * The answer comes first: a Coda that does not fit what the caps leave at its own effort is asked
 * once more at low effort (less thinking, the same answer format), still within the caps.
 */
async function codaCall<T>(ctx: RunContext, label: string, prompt: string, schema: z.ZodType<T>, stream: StreamHandlers | undefined) {
  try {
    return await ctx.call('coda', label, prompt, schema, { stream });
  } catch (error) {
    const levels = ctx.model.entry?.effort.levels ?? [];
    if (!(error instanceof BudgetExhaustedError) || !levels.includes('low') || ctx.settingsFor('coda').effort === 'low') throw error;
    stream?.onRestart();
    return ctx.call('coda', `${label} at low effort`, prompt, schema, { stream, effort: 'low' });
  }
}

export async function runCoda(ctx: RunContext, question: string, streamAnswer = false): Promise<string> {
  const run = ctx.record;
  ctx.bus.emit({ type: 'stage', stage: 'coda', label: 'Coda: writing the answer, then cross-checking it' });
  const prelude = preludeText(run.prelude!);
  if (run.mode === 'direct') {
    const prompt = ctx.prompts.fill('Direct Coda', { question, prelude });
    const { value } = await codaCall(ctx, 'Coda (direct)', prompt, DirectCodaReply, answerStream(ctx, streamAnswer));
    run.coda = value;
    run.answer = value.answer;
  } else {
    const prompt = ctx.prompts.fill('Coda', { question, prelude, mode: run.mode, trajectory: trajectoryText(run) });
    const { value } = await codaCall(ctx, 'Coda', prompt, CodaReply, answerStream(ctx, streamAnswer));
    run.coda = value;
    run.answer = value.answer;
    run.crossCheck = await crossCheck(ctx, question, prelude, value.answer);
    ctx.bus.emit({ type: 'cross-check', crossCheck: run.crossCheck });
  }
  const markdown = renderTranscript(run);
  ctx.bus.emit({ type: 'coda', coda: run.coda!, markdown });
  return markdown;
}
