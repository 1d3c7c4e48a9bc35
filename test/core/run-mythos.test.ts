/**
 * The orchestrator through the in-process scripted provider: the record a run builds, without HTTP.
 */
import { describe, expect, it } from 'vitest';
import { EventBus, type RunEvent } from '../../src/core/events.js';
import { loadReferences } from '../../src/core/prompts/reference-files.js';
import { replayEvents } from '../../src/core/record-reducer.js';
import { runMythos } from '../../src/core/run.js';
import { ScriptedProvider } from '../../src/providers/scripted.js';
import { codaReply, crossCheckReply, judgeReply, preludeReply, roundReply, DISTINCT_INSIGHTS } from '../helpers/mythos-script.js';

function run(provider: ScriptedProvider, forced: { keyword?: 'trace' | 'agent' | 'silent' } = {}) {
  const bus = new EventBus();
  const events: RunEvent[] = [];
  bus.on((e) => events.push(e));
  const outcome = runMythos(provider, loadReferences(), bus, {
    runId: 'test', question: 'Pivot or stay?', forced: { keyword: forced.keyword }, limits: { maxRounds: undefined, concurrency: 4 },
  });
  return { outcome, events };
}

describe('runMythos', () => {
  it('keeps the diagnosis when a keyword forces the mode, and its events rebuild the same record', async () => {
    const provider = new ScriptedProvider((request) => {
      if (request.step === 'prelude') return preludeReply({ score: 5, drivers: ['Trade-offs'] });
      if (request.step === 'round') return roundReply(`Insight about ${request.label} with its own distinct words.`, { convergence: 'stable' });
      if (request.step === 'judge') return judgeReply('advances', { self_consistent: true });
      if (request.step === 'cross-check') return crossCheckReply();
      return codaReply();
    });
    const { outcome, events } = run(provider, { keyword: 'silent' });
    const { record } = await outcome;
    expect(record.prelude?.routing).toEqual({ score: 5, mode: 'silent', source: 'keyword' });
    expect(record.mode).toBe('silent');
    // Stable and self-consistent after Challenge: three rounds, not the eight planned.
    expect(record.rounds.map((r) => r.lens)).toEqual(['Clarify', 'Deepen', 'Challenge']);
    expect(record.stopReason).toBe('converged:self-consistent');
    expect(provider.requests.filter((r) => r.step === 'judge')).toHaveLength(3);
    expect(replayEvents(events)).toEqual(record);
  });

  it('skips a second application when the first was already stable', async () => {
    const provider = new ScriptedProvider((request) => {
      if (request.step === 'prelude') return preludeReply({ score: 2, drivers: ['Ambiguity'] });
      if (request.step === 'round') return roundReply(`Distinct finding for ${request.label} number ${request.prompt.length}.`, { convergence: request.label.includes('Clarify') ? 'stable' : 'evolving' });
      if (request.step === 'judge') return judgeReply('advances');
      if (request.step === 'cross-check') return crossCheckReply();
      return codaReply();
    });
    const { record } = await run(provider).outcome;
    expect(record.skipped).toEqual([{ lens: 'Clarify', application: 2, why: 'the first application already reached stable' }]);
    expect(record.rounds.map((r) => r.lens)).toEqual(['Clarify', 'Deepen', 'Challenge', 'Expand', 'Synthesize']);
    expect(record.stopReason).toBe('max-rounds');
  });

  it('an echo before Challenge spends only its lens; a Challenge that adds nothing then converges', async () => {
    const insights = ['The only insight that matters here is runway.', 'The only insight that matters here is the runway.', 'No new insight.'];
    let round = 0;
    const provider = new ScriptedProvider((request) => {
      if (request.step === 'prelude') return preludeReply({ score: 4, drivers: ['Trade-offs'] });
      if (request.step === 'round') return roundReply(insights[round++] ?? 'unused');
      if (request.step === 'judge') return judgeReply('advances');
      if (request.step === 'cross-check') return crossCheckReply();
      return codaReply();
    });
    const { record } = await run(provider, { keyword: 'trace' }).outcome;
    expect(record.rounds.map((r) => [r.lens, r.decision.keep, r.decision.halt])).toEqual([
      ['Clarify', true, null], ['Deepen', false, null], ['Challenge', false, 'converged:no-delta'],
    ]);
    // Only round 1 was put to the judge; code decided both discarded rounds.
    expect(provider.requests.filter((r) => r.step === 'judge').map((r) => r.label)).toEqual(['judge round 1']);
    expect(record.stopReason).toBe('converged:no-delta');
    // Complexity 4 and one kept round: still flagged as a premature stop.
    expect(record.flags.map((f) => f.flag)).toEqual(['ECHO', 'PREMATURE_STOP']);
  });

  it('halts on oscillation when the judge reports A → B → A, and flags it', async () => {
    const stances = ['pivot now', 'stay the course', 'pivot now'];
    let round = 0;
    const provider = new ScriptedProvider((request) => {
      if (request.step === 'prelude') return preludeReply({ score: 3, drivers: ['Trade-offs'] });
      if (request.step === 'round') {
        const stance = stances[round] ?? 'x';
        return roundReply(`Round ${++round} weighs a different factor: ${['churn', 'runway', 'hiring'][round - 1]}.`, { stance });
      }
      // Round 2 reversed round 1; round 3 reverses round 2 back to round 1's conclusion.
      if (request.step === 'judge') return judgeReply('advances', request.label === 'judge round 3' ? { stance_change: 'reverses', returns_to_round: 1 } : { stance_change: 'reverses' });
      if (request.step === 'cross-check') return crossCheckReply();
      return codaReply();
    });
    const { record } = await run(provider, { keyword: 'trace' }).outcome;
    expect(record.rounds).toHaveLength(3);
    expect(record.stopReason).toBe('oscillation');
    expect(record.flags).toEqual([{ flag: 'OSCILLATION', round: 3, evidence: "the judge found the conclusion swings back to round 1's after round 2 reversed it" }]);
  });

  it('a refinement followed by a restatement of the first stance keeps going', async () => {
    const stances = ['pivot now', 'pivot now, enterprise first', 'pivot now'];
    let round = 0;
    const provider = new ScriptedProvider((request) => {
      if (request.step === 'prelude') return preludeReply({ score: 3, drivers: ['Trade-offs'] });
      if (request.step === 'round') return roundReply(DISTINCT_INSIGHTS[round]!, { stance: stances[round++] ?? 'pivot now' });
      if (request.step === 'judge') return judgeReply('advances', { stance_change: request.label === 'judge round 2' ? 'refines' : 'same' });
      if (request.step === 'cross-check') return crossCheckReply();
      return codaReply();
    });
    const { record } = await run(provider, { keyword: 'trace' }).outcome;
    expect(record.stopReason).toBe('max-rounds');
    expect(record.flags).toEqual([]);
  });
});
