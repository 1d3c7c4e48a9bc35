/**
 * Every transcript the engine can produce passes its own checker: each mode, every stop reason,
 * budget stops, fallbacks, escalation, failed and unresolved merges, the re-Prelude, a block
 * that kept nothing, `--max-rounds 1`. Each scenario first proves it reached its path (mode and
 * stop reason), then renders the transcript as the CLI prints it and as `mythos show --full` does.
 */
import { describe, expect, it } from 'vitest';
import { renderTranscript } from '../../src/core/coda/render-transcript.js';
import { EventBus, type RunEvent } from '../../src/core/events.js';
import type { StopReason } from '../../src/core/outcomes.js';
import type { ForcedMode } from '../../src/core/prelude/prelude-stage.js';
import { loadCatalogue, lookupModel } from '../../src/core/models/catalogue.js';
import { loadReferences } from '../../src/core/prompts/reference-files.js';
import { replayEvents } from '../../src/core/record-reducer.js';
import { runMythos } from '../../src/core/run.js';
import type { Mode } from '../../src/core/schemas.js';
import type { RunRecord } from '../../src/core/state.js';
import { ScriptedProvider } from '../../src/providers/scripted.js';
import type { ModelRequest } from '../../src/providers/types.js';
import { failingChecks } from '../helpers/check-output.js';
import { codaReply, crossCheckReply, judgeReply, preludeReply, roundReply, type JudgeExtra, DISTINCT_INSIGHTS } from '../helpers/mythos-script.js';

type Answer = unknown;
interface Script {
  score: number;
  drivers?: string[];
  conflicts?: string[];
  rePrelude?: { score: number; drivers: string[] };
  /** Round replies by 0-based position; missing ones get a distinct insight. */
  rounds?: Array<ReturnType<typeof roundReply> | undefined>;
  judge?: (round: number) => Partial<JudgeExtra> & { verdict?: 'advances' | 'trivial' | 'regresses' };
  subagent?: (index: number, lens: string) => Answer;
  merge?: Answer;
  crossCheck?: Answer;
  coda?: Answer;
  restated?: string;
}

function provider(script: Script, usage = { input: 100, output: 20, cacheRead: 0, cacheWrite: 0 }) {
  let rounds = 0;
  let subagents = 0;
  let preludes = 0;
  return new ScriptedProvider((request: ModelRequest<unknown>) => {
    switch (request.step) {
      case 'prelude':
        return preludeReply({ score: script.score, drivers: script.drivers ?? ['Trade-offs'], conflicts: script.conflicts ?? [], restated: script.restated });
      case 're-prelude':
        preludes++;
        return preludeReply(script.rePrelude ?? { score: script.score, drivers: script.drivers ?? ['Trade-offs'] });
      case 'round': {
        const i = rounds++;
        return script.rounds?.[i] ?? roundReply(DISTINCT_INSIGHTS[i] ?? `Unplanned insight ${i} about eviction order.`);
      }
      case 'judge': {
        const round = Number(/judge round (\d+)/.exec(request.label)?.[1]);
        const { verdict = 'advances', ...extra } = script.judge?.(round) ?? {};
        return judgeReply(verdict, extra);
      }
      case 'subagent': {
        const lens = /\((.+)\)/.exec(request.label)?.[1] ?? '?';
        const i = subagents++;
        return script.subagent ? script.subagent(i, lens) : { finding: `${lens} finding ${i} on cache tiers.`, confidence: 'medium', stance: i % 2 ? 'edge cache' : 'app cache' };
      }
      case 'merge':
        return script.merge ?? { convergent_points: ['cache reads'], tensions: ['freshness vs load'], synthesis: 'Layer both.', divergent_subagents: [], unresolved: false, competing_positions: [] };
      case 'coda':
        return request.label === 'Coda (direct)' ? { answer: 'Use a read-through cache.' } : (script.coda ?? codaReply());
      case 'cross-check':
        return script.crossCheck ?? crossCheckReply();
      default:
        return new Error(`no script for ${request.step} (${preludes})`);
    }
  }, 'claude-sonnet-5-5', usage);
}

interface Scenario {
  name: string;
  script: Script;
  forced?: ForcedMode;
  maxRounds?: number;
  maxTokens?: number;
  usage?: { input: number; output: number; cacheRead: number; cacheWrite: number };
  mode: Mode;
  stop: StopReason;
  also?: (record: RunRecord, markdown: string) => void;
}

const BIG = { input: 1_000, output: 200, cacheRead: 0, cacheWrite: 0 };
const empty = roundReply('No new insight.');
const stable = (i: number) => roundReply(DISTINCT_INSIGHTS[i]!, { convergence: 'stable' });

/** Replies whose text imitates the transcript's labels, marks and footers (the audit's cases). */
const IMITATING: Script = {
  score: 2,
  restated: 'Which cache? **Complexity:** low | **Drivers:** none',
  conflicts: ['**Not:** this | that'],
  rounds: DISTINCT_INSIGHTS.slice(0, 5).map((insight, i) => roundReply(`**Key point**: ${insight}`, { what_changed: i % 2 ? '' : `**Before:** ${i}` })),
  subagent: (i, lens) => ({ finding: i === 1 ? `(failed to find a flaw) ${lens} holds.` : `**Finding:** ${lens} finding ${i}.`, confidence: 'high', stance: i % 2 ? 'Use SQLite.' : 'use SQLite' }),
  merge: { convergent_points: ['**Tensions:** none'], tensions: [], synthesis: '', divergent_subagents: [], unresolved: false, competing_positions: [] },
  coda: codaReply('**Q:** answered.\n\n```ts\nconst open = true;\n\n*Depth: 1 rounds. Mode: trace.*', ['**', 'reads dominate\n## Answer']),
  crossCheck: crossCheckReply(['(failed: R1)\n**Synthesis:**']),
};

const SCENARIOS: Scenario[] = [
  { name: 'direct', script: { score: 1 }, mode: 'direct', stop: 'converged:self-consistent' },
  { name: 'quick on complexity 1 stays direct', script: { score: 1 }, forced: { keyword: 'silent' }, mode: 'direct', stop: 'converged:self-consistent' },
  { name: '--mode direct on a complex question', script: { score: 3 }, forced: { flag: 'direct' }, mode: 'direct', stop: 'converged:self-consistent' },
  { name: 'silent, self-consistent after Challenge', script: { score: 2, rounds: [undefined, undefined, stable(2)], judge: () => ({ self_consistent: true }) }, mode: 'silent', stop: 'converged:self-consistent' },
  { name: 'silent, trivial delta', script: { score: 2, judge: (r) => (r === 3 ? { verdict: 'trivial' } : {}) }, mode: 'silent', stop: 'converged:trivial-delta' },
  { name: 'silent, max rounds', script: { score: 3 }, mode: 'silent', stop: 'max-rounds' },
  { name: 'silent, negative delta', script: { score: 3, judge: (r) => (r === 2 ? { verdict: 'regresses' } : {}) }, mode: 'silent', stop: 'negative-delta' },
  { name: 'silent, nothing kept', script: { score: 2, rounds: [empty, empty, empty] }, mode: 'silent', stop: 'converged:no-delta' },
  { name: 'silent, budget mid-block', script: { score: 3 }, maxTokens: 25_000, usage: BIG, mode: 'silent', stop: 'budget', also: (r) => expect(r.rounds).toHaveLength(4) },
  { name: 'silent, budget before any round', script: { score: 3 }, maxTokens: 14_000, usage: BIG, mode: 'direct', stop: 'budget' },
  { name: 'trace, echo at Challenge converges', script: { score: 2, drivers: ['Ambiguity'], rounds: [undefined, roundReply(DISTINCT_INSIGHTS[0]!), undefined, roundReply(DISTINCT_INSIGHTS[2]!)] }, forced: { keyword: 'trace' }, mode: 'trace', stop: 'converged:no-delta' },
  { name: 'trace, judge-named repeat at Challenge', script: { score: 2, judge: (r) => (r === 3 ? { repeats_round: 1 } : {}) }, forced: { keyword: 'trace' }, mode: 'trace', stop: 'converged:no-delta' },
  { name: 'trace, trivial delta', script: { score: 2, judge: (r) => (r === 3 ? { verdict: 'trivial' } : {}) }, forced: { keyword: 'trace' }, mode: 'trace', stop: 'converged:trivial-delta' },
  { name: 'trace, self-consistent', script: { score: 2, rounds: [undefined, undefined, stable(2)], judge: () => ({ self_consistent: true }) }, forced: { keyword: 'trace' }, mode: 'trace', stop: 'converged:self-consistent' },
  { name: 'trace, max rounds', script: { score: 3 }, forced: { keyword: 'trace' }, mode: 'trace', stop: 'max-rounds' },
  { name: 'trace, negative delta on round 1', script: { score: 3, rounds: [roundReply(DISTINCT_INSIGHTS[0]!, { convergence: 'negative-delta' })], judge: () => ({ verdict: 'regresses' }) }, forced: { keyword: 'trace' }, mode: 'trace', stop: 'negative-delta' },
  {
    name: 'trace, oscillation', forced: { keyword: 'trace' }, mode: 'trace', stop: 'oscillation',
    script: { score: 3, judge: (r) => (r === 2 ? { stance_change: 'reverses' } : r === 3 ? { stance_change: 'reverses', returns_to_round: 1 } : {}), rounds: [roundReply(DISTINCT_INSIGHTS[0]!, { stance: 'cache' }), roundReply(DISTINCT_INSIGHTS[1]!, { stance: 'no cache' }), roundReply(DISTINCT_INSIGHTS[2]!, { stance: 'cache after all' })] },
  },
  { name: 'trace, nothing kept', script: { score: 2, rounds: [empty, empty, empty] }, forced: { keyword: 'trace' }, mode: 'trace', stop: 'converged:no-delta' },
  { name: 'trace, drift at Challenge then on', script: { score: 2, judge: (r) => (r === 3 ? { on_question: false } : {}) }, forced: { keyword: 'trace' }, mode: 'trace', stop: 'max-rounds' },
  { name: 'trace, spent lenses before Challenge', script: { score: 3, drivers: ['Ambiguity'], rounds: [undefined, roundReply(DISTINCT_INSIGHTS[0]!), empty] }, forced: { keyword: 'trace' }, mode: 'trace', stop: 'max-rounds' },
  { name: 'trace, budget mid-block', script: { score: 3 }, forced: { keyword: 'trace' }, maxTokens: 25_000, usage: BIG, mode: 'trace', stop: 'budget', also: (r) => expect(r.rounds).toHaveLength(4) },
  { name: 'trace, budget before any round', script: { score: 3 }, forced: { keyword: 'trace' }, maxTokens: 14_000, usage: BIG, mode: 'direct', stop: 'budget' },
  { name: 'trace, --max-rounds 1', script: { score: 3 }, forced: { keyword: 'trace' }, maxRounds: 1, mode: 'trace', stop: 'max-rounds' },
  { name: 'silent, --max-rounds 1', script: { score: 3 }, maxRounds: 1, mode: 'silent', stop: 'max-rounds' },
  { name: 'agent by score, --max-rounds 1', script: { score: 4 }, maxRounds: 1, mode: 'silent', stop: 'max-rounds' },
  { name: 'agent, merged', script: { score: 4 }, mode: 'agent', stop: 'max-rounds' },
  { name: 'agent, a failed subagent', script: { score: 4, subagent: (i, lens) => (lens === 'Challenge' ? new Error('overloaded') : { finding: `${lens} finding ${i}.`, confidence: 'high', stance: 'x' }) }, mode: 'agent', stop: 'max-rounds' },
  { name: 'agent, failed merge', script: { score: 4, merge: new Error('merge rejected') }, mode: 'agent', stop: 'max-rounds' },
  { name: 'agent, unresolved merge', script: { score: 5, merge: { convergent_points: [], tensions: ['a vs b'], synthesis: 'split', divergent_subagents: ['B'], unresolved: true, competing_positions: ['a', 'b'] } }, forced: { keyword: 'agent' }, mode: 'agent', stop: 'max-rounds' },
  { name: 'agent, dispatch trimmed by the budget', script: { score: 4 }, maxTokens: 30_000, usage: BIG, mode: 'agent', stop: 'budget', also: (r) => expect(r.subagents).toHaveLength(2) },
  {
    name: 'agent, budget below two subagents', script: { score: 4 }, maxTokens: 14_000, usage: BIG, mode: 'silent', stop: 'budget',
    also: (r, markdown) => {
      expect(r.subagents).toEqual([]);
      expect(markdown).toContain('*Fallback: the budget allowed 0 of 5 subagents and a merge needs two, so the lenses ran as a sequential block instead.*');
    },
  },
  {
    name: 'agent fallback with a survivor', mode: 'silent', stop: 'max-rounds',
    script: { score: 4, subagent: (i) => (i === 0 ? { finding: 'Only this survived.', confidence: 'low', stance: 'x' } : new Error('down')) },
    also: (r) => expect(r.carried).toEqual({ letter: 'A', lens: 'Challenge', finding: 'Only this survived.', stance: 'x' }),
  },
  { name: 'agent fallback with no survivor', script: { score: 4, subagent: () => new Error('down') }, mode: 'silent', stop: 'max-rounds' },
  { name: 'agent --max-rounds 2', script: { score: 4 }, maxRounds: 2, forced: { keyword: 'agent' }, mode: 'agent', stop: 'max-rounds' },
  {
    name: 'escalation from silent', mode: 'silent', stop: 'max-rounds',
    script: { score: 2, drivers: ['Ambiguity'], rePrelude: { score: 4, drivers: ['Ambiguity', 'System dynamics'] }, rounds: [roundReply(DISTINCT_INSIGHTS[0]!, { missed_driver: 'System dynamics' })] },
    also: (record) => expect(record.escalatedAfter).toBe(1),
  },
  {
    name: 'escalation from trace, merge failed', mode: 'trace', stop: 'max-rounds', forced: { keyword: 'trace' },
    script: { score: 2, drivers: ['Ambiguity'], rePrelude: { score: 4, drivers: ['Ambiguity', 'System dynamics'] }, rounds: [roundReply(DISTINCT_INSIGHTS[0]!, { missed_driver: 'System dynamics' })], merge: new Error('merge rejected') },
    also: (record, markdown) => {
      expect(record.escalatedAfter).toBe(1);
      expect(markdown).toContain('not merged.*');
    },
  },
  {
    name: 're-Prelude confirmed', mode: 'trace', stop: 'max-rounds', forced: { keyword: 'trace' },
    script: { score: 2, drivers: ['Ambiguity'], rePrelude: { score: 3, drivers: ['Ambiguity', 'System dynamics'] }, rounds: [undefined, roundReply(DISTINCT_INSIGHTS[1]!, { missed_driver: 'System dynamics' })] },
    also: (record) => expect(record.rePrelude?.confirmed).toBe(true),
  },
  {
    name: 're-Prelude not confirmed', mode: 'trace', stop: 'max-rounds', forced: { keyword: 'trace' },
    script: { score: 2, drivers: ['Ambiguity'], rePrelude: { score: 3, drivers: ['Trade-offs'] }, rounds: [roundReply(DISTINCT_INSIGHTS[0]!, { missed_driver: 'System dynamics' })] },
    also: (record) => expect(record.rePrelude?.confirmed).toBe(false),
  },
  { name: 'cross-check departs, with conflicts', script: { score: 2, conflicts: ['fast vs exhaustive'], crossCheck: crossCheckReply(['drops R2']) }, forced: { keyword: 'trace' }, mode: 'trace', stop: 'max-rounds' },
  { name: 'trace, model text imitating the format', script: IMITATING, forced: { keyword: 'trace' }, mode: 'trace', stop: 'max-rounds' },
  {
    name: 'agent, model text imitating the format', script: { ...IMITATING, score: 4 }, mode: 'agent', stop: 'max-rounds',
    also: (record, markdown) => {
      expect(record.merge?.reply?.synthesis).toBe('');
      expect(markdown).toContain('**Synthesis:** (left blank)');
      expect(markdown).toContain('**Independent finding:** \\(failed to find a flaw)');
      expect(markdown).toContain('**Independent finding:** __Finding:__ ');
    },
  },
  { name: 'cross-check call fails', script: { score: 2, crossCheck: new Error('cross-check down') }, mode: 'silent', stop: 'max-rounds' },
];

async function runScenario(s: Scenario) {
  const bus = new EventBus();
  const events: RunEvent[] = [];
  bus.on((e) => events.push(e));
  const outcome = await runMythos(provider(s.script, s.usage), loadReferences(), bus, {
    runId: 'every-path', question: 'How should a read-heavy API serving 10M users cache?', forced: s.forced ?? {},
    limits: { maxRounds: s.maxRounds, concurrency: 4, maxTokens: s.maxTokens },
    // A model that does not think by default: each step's expected usage is its reply alone.
    model: { id: 'claude-haiku-4-5', entry: lookupModel(loadCatalogue(null), 'claude-haiku-4-5') },
  });
  return { ...outcome, events };
}

describe('every transcript the engine produces passes mythos check', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_, scenario) => {
    const { record, markdown, events } = await runScenario(scenario);
    expect([record.mode, record.stopReason]).toEqual([scenario.mode, scenario.stop]);
    expect(failingChecks(markdown)).toEqual([]);
    // `mythos show --full` renders a silent run's rounds in the trace shape.
    if (record.mode === 'silent' && record.rounds.some((r) => r.decision.keep)) {
      expect(failingChecks(renderTranscript({ ...record, mode: 'trace' }))).toEqual([]);
    }
    // The log rebuilds the same record, so `mythos show` renders the same transcript.
    expect(renderTranscript(replayEvents(events)!)).toBe(markdown);
    scenario.also?.(record, markdown);
  });
});
