/**
 * Scripts the fake Messages API for mythos runs: each request is recognised by the output
 * schema it asks for (not by prompt wording), and answered from a scenario.
 */
import { jsonReply, type FakeReply, type RecordedRequest, type Responder } from '../fake-api/index.js';

export type Step = 'prelude' | 're-prelude' | 'round' | 'judge' | 'subagent' | 'merge' | 'coda' | 'cross-check' | 'direct-coda' | 'unknown';

export function schemaKeys(request: RecordedRequest): string[] {
  return Object.keys(request.body?.output_config?.format?.schema?.properties ?? {});
}

/** The user prompt of a request (the last user message's text). */
export function promptOf(request: RecordedRequest): string {
  const messages = (request.body?.messages ?? []) as Array<{ role: string; content: unknown }>;
  const first = messages.find((m) => m.role === 'user');
  const content = first?.content;
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((b: { text?: string }) => b.text ?? '').join('') : '';
}

export function stepOf(request: RecordedRequest, seenPrelude: boolean): Step {
  const keys = schemaKeys(request);
  if (keys.includes('restated_question')) return seenPrelude ? 're-prelude' : 'prelude';
  if (keys.includes('new_insight')) return 'round';
  if (keys.includes('verdict')) return 'judge';
  if (keys.includes('finding')) return 'subagent';
  if (keys.includes('convergent_points')) return 'merge';
  if (keys.includes('load_bearing_assumptions')) return 'coda';
  if (keys.includes('departures')) return 'cross-check';
  if (keys.includes('answer')) return 'direct-coda';
  return 'unknown';
}

/** Eight insights no two of which overlap enough to count as an echo. */
export const DISTINCT_INSIGHTS = [
  'Reads outnumber writes a hundred to one on this API.',
  'Hot keys expiring together cause a stampede on the database.',
  'Request coalescing lets one worker refill a key while others wait.',
  'Staleness of a few seconds is invisible to the mobile clients.',
  'Per-user data defeats a shared CDN layer entirely.',
  'Write-through invalidation keeps the coupling explicit and testable.',
  'Regional replicas cut tail latency more than any cache tier.',
  'Monitoring hit ratios per endpoint shows where caching pays.',
];

const FACTORS = ['multi_hop', 'ambiguous_tradeoffs', 'hidden_assumptions', 'novel_domain', 'high_stakes'] as const;

export function preludeReply(options: { score: number; drivers?: string[]; conflicts?: string[]; restated?: string; extras?: string[] }) {
  const factors = Object.fromEntries(
    FACTORS.map((key, i) => [key, { present: i < options.score, reason: `${key} ${i < options.score ? 'applies' : 'does not apply'}` }]),
  );
  return {
    restated_question: options.restated ?? 'Which option best serves the stated goal?',
    anti_scope: 'Not a survey of every alternative.',
    factors,
    drivers: options.drivers ?? ['Trade-offs'],
    success_criterion: 'A recommendation with its deciding reason.',
    extra_lenses: options.extras ?? [],
    conflicting_instructions: options.conflicts ?? [],
  };
}

export function roundReply(insight: string, extra: Partial<{ convergence: string; stance: string; what_changed: string; missed_driver: string | null }> = {}) {
  return {
    new_insight: insight,
    what_changed: extra.what_changed ?? `Now we know: ${insight.slice(0, 40)}`,
    convergence: extra.convergence ?? 'evolving',
    stance: extra.stance ?? 'leaning one way',
    missed_driver: extra.missed_driver ?? null,
  };
}

export interface JudgeExtra {
  on_question: boolean;
  self_consistent: boolean;
  reason: string;
  repeats_round: number | null;
  stance_change: 'same' | 'refines' | 'reverses';
  returns_to_round: number | null;
}

export function judgeReply(verdict: 'advances' | 'trivial' | 'regresses' = 'advances', extra: Partial<JudgeExtra> = {}) {
  return {
    verdict, reason: extra.reason ?? `judged ${verdict}`, on_question: extra.on_question ?? true, self_consistent: extra.self_consistent ?? false,
    repeats_round: extra.repeats_round ?? null, stance_change: extra.stance_change ?? 'same', returns_to_round: extra.returns_to_round ?? null,
  };
}

export function crossCheckReply(departures: string[] = []) {
  return { consistent: departures.length === 0, departures };
}

export function codaReply(answer = 'Pick the simpler option; revisit if the load grows.', assumptions = ['one user at a time']) {
  return { answer, load_bearing_assumptions: assumptions, residual_uncertainty: 'Future growth.', consistent_with_trajectory: true, inconsistencies: [] };
}

export interface Scenario {
  prelude: ReturnType<typeof preludeReply>;
  rePrelude?: ReturnType<typeof preludeReply>;
  rounds?: Array<ReturnType<typeof roundReply> | FakeReply>;
  judge?: (index: number) => ReturnType<typeof judgeReply> | FakeReply;
  subagent?: (lens: string, index: number) => unknown;
  merge?: unknown;
  coda?: unknown;
  crossCheck?: unknown;
  /** Extra delay for a step, to make concurrency and ordering observable. */
  delayMs?: Partial<Record<Step, number>>;
}

function isFakeReply(value: unknown): value is FakeReply {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/** A responder that answers each mythos step from the scenario and records the steps it saw. */
export function mythosResponder(scenario: Scenario): Responder & { steps: Step[] } {
  const steps: Step[] = [];
  let rounds = 0;
  let judges = 0;
  let subagents = 0;
  const responder = (request: RecordedRequest): FakeReply => {
    const step = stepOf(request, steps.includes('prelude'));
    steps.push(step);
    const delayMs = scenario.delayMs?.[step] ?? 0;
    const answer = (value: unknown): FakeReply => (isFakeReply(value) ? value : jsonReply(value, { delayMs }));
    switch (step) {
      case 'prelude':
        return answer(scenario.prelude);
      case 're-prelude':
        return answer(scenario.rePrelude ?? scenario.prelude);
      case 'round': {
        const reply = scenario.rounds?.[rounds++];
        if (!reply) throw new Error(`scenario has no reply for round ${rounds}`);
        return answer(reply);
      }
      case 'judge':
        return answer(scenario.judge ? scenario.judge(++judges) : judgeReply());
      case 'subagent': {
        const lens = /lens name="([^"]+)"/.exec(promptOf(request))?.[1] ?? /lens ([A-Z][A-Za-z-]+)/.exec(promptOf(request))?.[1] ?? 'unknown';
        const index = subagents++;
        return answer(scenario.subagent ? scenario.subagent(lens, index) : { finding: `${lens} finding ${index}`, confidence: 'medium', stance: 'stay' });
      }
      case 'merge':
        return answer(scenario.merge ?? { convergent_points: ['all agree on basics'], tensions: ['speed vs safety'], synthesis: 'Balance both.', divergent_subagents: [], unresolved: false, competing_positions: [] });
      case 'coda':
        return answer(scenario.coda ?? codaReply());
      case 'cross-check':
        return answer(scenario.crossCheck ?? crossCheckReply());
      case 'direct-coda':
        return answer(scenario.coda ?? { answer: 'Use SQLite.' });
      default:
        throw new Error(`unrecognised request: schema keys ${schemaKeys(request).join(', ')}`);
    }
  };
  return Object.assign(responder, { steps });
}

/** The user prompts of the requests the responder saw as `step`, in order. */
export function promptsFor(requests: readonly RecordedRequest[], steps: readonly Step[], step: Step): string[] {
  return requests.filter((_, i) => steps[i] === step).map(promptOf);
}
