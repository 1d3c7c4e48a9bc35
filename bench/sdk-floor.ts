/**
 * The SDK floor: a bare SDK client making the trace run's number of sequential calls against the
 * same fake server. mythos's own share of the per-call overhead is what lies above it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { jsonReply, startFakeApi } from '../test/fake-api/index.js';
import { cliEnv } from '../test/helpers/run-cli.js';
import { serverView } from './cli-run.js';

const CHILD = join(import.meta.dirname, 'sdk-floor-child.mjs');

export async function runSdkFloor(latencyMs: number, calls: number): Promise<number> {
  const reply = { new_insight: 'The real decision is sequencing: which change ships first.', what_changed: 'x'.repeat(300), convergence: 'evolving', stance: 's' };
  const api = await startFakeApi({ responder: () => jsonReply(reply), latencyMs });
  try {
    const child = spawn(process.execPath, [CHILD], { env: { ...cliEnv(api.url), FLOOR_CALLS: String(calls) }, stdio: ['ignore', 'ignore', 'inherit'] });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`the SDK floor client exited with ${code}`);
    return serverView(api.requests).overheadPerCallMs;
  } finally {
    await api.close();
  }
}
