/**
 * The SDK floor: a bare SDK client making mythos's calls against the same fake server, in the
 * shape of a trace run (sequential) or an agent run (one, N at once, two more). mythos's own
 * share of each figure is what lies beyond it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { jsonReply, startFakeApi, type RecordedRequest } from '../test/fake-api/index.js';
import { cliEnv } from '../test/helpers/run-cli.js';
import { serverView } from './cli-run.js';

const CHILD = join(import.meta.dirname, 'sdk-floor-child.mjs');

async function runFloor(latencyMs: number, env: Record<string, string>): Promise<RecordedRequest[]> {
  const reply = { new_insight: 'The real decision is sequencing: which change ships first.', what_changed: 'x'.repeat(300), convergence: 'evolving', stance: 's' };
  const api = await startFakeApi({ responder: () => jsonReply(reply), latencyMs });
  try {
    const child = spawn(process.execPath, [CHILD], { env: { ...cliEnv(api.url), ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`the SDK floor client exited with ${code}`);
    return [...api.requests];
  } finally {
    await api.close();
  }
}

/** Overhead per call of `calls` sequential calls. */
export async function runSdkFloor(latencyMs: number, calls: number): Promise<number> {
  return serverView(await runFloor(latencyMs, { FLOOR_SHAPE: 'trace', FLOOR_CALLS: String(calls) })).overheadPerCallMs;
}

/** Ideal critical path / span of the agent shape with `subagents` parallel calls. */
export async function runSdkAgentFloor(latencyMs: number, subagents: number): Promise<number> {
  const requests = (await runFloor(latencyMs, { FLOOR_SHAPE: 'agent', FLOOR_SUBAGENTS: String(subagents) })).filter((r) => r.path === '/v1/messages');
  if (requests.length !== subagents + 4) throw new Error(`the SDK floor client made ${requests.length} calls, expected ${subagents + 4}`);
  const duration = (r: RecordedRequest) => r.endedAt - r.startedAt;
  const [first, ...rest] = requests;
  const parallel = rest.slice(0, subagents);
  const after = rest.slice(subagents).reduce((sum, r) => sum + duration(r), 0);
  const ideal = duration(first!) + Math.max(...parallel.map(duration)) + after;
  return ideal / serverView(requests).spanMs;
}
