/**
 * Agent mode: how close a run with N subagents comes to its ideal critical path
 * (Prelude + slowest subagent + merge + Coda, each as the server timed it), and how much it
 * saves over calling everything one after another.
 */
import type { RecordedRequest } from '../test/fake-api/index.js';
import { stepOf, type Step } from '../test/helpers/mythos-script.js';
import { assertOk, runCli, type CliRun } from './cli-run.js';
import { agentResponder, QUESTION } from './scenarios.js';

export interface AgentSample {
  subagents: number;
  /** Ideal critical path / server span: 1 means no time lost beyond the unavoidable calls. */
  ofIdeal: number;
  /** Sum of all calls' durations / server span: the gain over a sequential client. */
  speedupVsSum: number;
  overheadPerCallMs: number;
  spanMs: number;
  idealMs: number;
  sumMs: number;
  processWallMs: number;
  startupMs: number;
  calls: number;
  /** Most subagent requests the server had open at once. */
  maxInFlight: number;
}

function labelled(requests: readonly RecordedRequest[]): Array<{ step: Step; request: RecordedRequest }> {
  let seenPrelude = false;
  return requests
    .filter((r) => r.method === 'POST' && r.path === '/v1/messages')
    .map((request) => {
      const step = stepOf(request, seenPrelude);
      seenPrelude ||= step === 'prelude';
      return { step, request };
    });
}

const duration = (r: RecordedRequest) => r.endedAt - r.startedAt;

function maxOverlap(requests: readonly RecordedRequest[]): number {
  const edges = requests.flatMap((r) => [{ at: r.startedAt, d: 1 }, { at: r.endedAt, d: -1 }]);
  // Ends sort before starts at the same instant: back-to-back calls do not overlap.
  edges.sort((a, b) => a.at - b.at || a.d - b.d);
  let open = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (open += e.d));
  return most;
}

export function agentSample(run: CliRun, expected: number): AgentSample {
  const calls = labelled(run.requests);
  const of = (step: Step) => calls.filter((c) => c.step === step).map((c) => c.request);
  const subagents = of('subagent');
  if (subagents.length !== expected) {
    throw new Error(`agent run with --max-rounds ${expected} dispatched ${subagents.length} subagents (steps: ${calls.map((c) => c.step).join(', ')})`);
  }
  const single = (step: Step) => {
    const found = of(step);
    if (found.length !== 1) throw new Error(`agent run: expected one ${step} call, saw ${found.length}`);
    return duration(found[0]!);
  };
  const idealMs = single('prelude') + Math.max(...subagents.map(duration)) + single('merge') + single('coda') + single('cross-check');
  const { spanMs, sumMs, overheadPerCallMs, calls: count } = run.server;
  return {
    subagents: subagents.length,
    ofIdeal: idealMs / spanMs,
    speedupVsSum: sumMs / spanMs,
    overheadPerCallMs,
    spanMs, idealMs, sumMs,
    processWallMs: run.processWallMs,
    startupMs: run.startupMs,
    calls: count,
    maxInFlight: maxOverlap(subagents),
  };
}

/** One agent run: `mythos deep --max-rounds N <question>`, optionally with --concurrency. */
export async function runAgent(subagents: number, latencyMs: number, concurrency?: number, env?: Record<string, string>): Promise<AgentSample> {
  const args = ['deep', '--max-rounds', String(subagents), ...(concurrency ? ['--concurrency', String(concurrency)] : []), QUESTION];
  const run = assertOk(await runCli({ args, responder: agentResponder(), latencyMs, ...(env ? { env } : {}) }), `agent run (${subagents} subagents)`);
  return agentSample(run, subagents);
}
