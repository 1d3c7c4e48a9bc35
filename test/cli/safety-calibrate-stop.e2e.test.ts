/**
 * An interrupted `calibrate` case stops like a run: the log has its stop event, stderr names the
 * run, its log and `mythos resume <id>`, and the resumed case keeps the cap it started with.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../fake-api/index.js';
import { promptOf } from '../helpers/mythos-script.js';
import { steadyResponder } from '../helpers/model-runs.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { eventsOf, lockExists, onlyRunId, runLogPath, waitFor } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

/** Every step answered; round 2 (when `slow`) never in time, so the case is in flight when stopped. */
function responder(slow: boolean) {
  const steady = steadyResponder(3);
  return (request: RecordedRequest): FakeReply => {
    const reply = steady(request);
    return slow && /Round 2 of/.test(promptOf(request)) && reply.kind === 'message' ? { ...reply, delayMs: 60_000 } : reply;
  };
}

describe('calibrate stopped by SIGINT', () => {
  it('says which run stopped and how to continue it; the resumed case keeps its cap', async () => {
    const home = tempHome();
    const out = mkdtempSync(join(tmpdir(), 'mythos-cal-'));
    api = await startFakeApi({ responder: responder(true) });
    const env = cliEnv(api.url, { MYTHOS_HOME: home });
    const result = await runCli(['calibrate', '--case', 'sqlite-vs-postgres', '--modes', 'trace', '--max-cost', '5', '--out', out], {
      env,
      onSpawn: (child) => void waitFor(() => api!.requests.some((r) => /Round 2 of/.test(promptOf(r)))).then(() => child.kill('SIGINT')),
    });
    expect(result.code).toBe(130);
    const id = onlyRunId(home);
    expect(result.stderr).toContain(`mythos: calibrate interrupted by SIGINT during sqlite-vs-postgres · trace (run ${id}); everything completed so far is in ${runLogPath(home, id)}\n`);
    expect(result.stderr).toContain(`hint: continue with: mythos resume ${id} (the cases not yet run are not in any report)\n`);
    expect(result.stderr).not.toMatch(/^mythos: interrupted$/m);
    expect(readdirSync(out)).toEqual([]);
    expect(lockExists(home, id)).toBe(false);
    const events = eventsOf(home, id);
    expect(events[0]).toMatchObject({ type: 'run.start', options: { maxCostUsd: 5, keyword: 'trace', calibration: 'sqlite-vs-postgres' } });
    expect(events.at(-2)).toMatchObject({ type: 'stop', reason: 'interrupted', detail: 'interrupted by SIGINT' });
    expect(events.at(-1)).toMatchObject({ type: 'run.error', exitCode: 130, hint: `continue with: mythos resume ${id}` });
    await api.close();

    api = await startFakeApi({ responder: responder(false) });
    const resumed = await runCli(['--quiet', 'resume', id], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const attempts = eventsOf(home, id).filter((e) => e.type === 'run.start');
    expect(attempts).toHaveLength(2);
    // The cap the case started with holds on resume, and the run stayed under it.
    expect(attempts[1].options).toMatchObject({ maxCostUsd: 5, keyword: 'trace' });
    const end = eventsOf(home, id).find((e) => e.type === 'run.end');
    expect(end.costUsd).toBeLessThanOrEqual(5);
    // The Prelude and round 1 were not asked for again.
    expect(api.requests.some((r) => /Round 1 of/.test(promptOf(r)))).toBe(false);
  });
});
