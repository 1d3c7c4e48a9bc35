/**
 * One writer per run: two resumes of one run never both pay, a live run cannot be resumed
 * under it, and a lock left by a process that died is taken over.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { byRoundNumber, eventsOf, lockExists, lockPath, onlyRunId, QUESTION, runLogPath, stoppedRun, waitFor } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

describe('two resumes of one run', () => {
  it('exactly one pays; the other exits 2 with no request, and the log is one clean attempt', async () => {
    const home = tempHome();
    api = await startFakeApi({ responder: byRoundNumber({ slowRound: 4 }) });
    const { result, id } = await stoppedRun(api, cliEnv(api.url, { MYTHOS_HOME: home }));
    expect(result.code).toBe(130);
    const linesBefore = readFileSync(runLogPath(home, id), 'utf8').trim().split('\n').length;
    await api.close();

    // Slow enough that the first resume still holds the run when the second starts.
    api = await startFakeApi({ responder: byRoundNumber(), latencyMs: 150 });
    const env = cliEnv(api.url, { MYTHOS_HOME: home });
    const pids: number[] = [];
    const [a, b] = await Promise.all([0, 1].map(() => runCli(['resume', id], { env, onSpawn: (child) => pids.push(child.pid!) })));
    const results = [a!, b!];
    expect(results.map((r) => r.code).sort()).toEqual([0, 2]);
    const winner = results.findIndex((r) => r.code === 0);
    const loser = results[1 - winner]!;
    expect(loser.stderr).toContain(`mythos: run ${id} is in use by process ${pids[winner]}`);
    expect(loser.stderr).toContain(`hint: wait for it to finish (or stop it), then try again; if that process is gone, delete ${lockPath(home, id)}`);
    expect(loser.stdout).toBe('');

    const events = eventsOf(home, id);
    const attempt = events.slice(linesBefore);
    expect(attempt[0].type).toBe('run.start');
    expect(events.filter((e) => e.type === 'run.start')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'run.end')).toHaveLength(1);
    expect(attempt.at(-1).type).toBe('run.end');
    // Every request the API saw was a call the winner logged: the loser sent none.
    const paid = attempt.filter((e) => e.type === 'call' && !e.call.replayed);
    expect(paid.length).toBe(api.requests.length);
    expect(api.requests.length).toBeGreaterThan(0);
    expect(lockExists(home, id)).toBe(false);
  });
});

describe('a live run', () => {
  it('cannot be resumed while it runs; its lock is private and names it', async () => {
    const home = tempHome();
    api = await startFakeApi({ responder: () => ({ kind: 'hang' }) });
    const env = cliEnv(api.url, { MYTHOS_HOME: home });
    let live: ChildProcess | undefined;
    const running = runCli([QUESTION], { env, onSpawn: (child) => (live = child) });
    await waitFor(() => api!.requests.length === 1);
    const id = onlyRunId(home);
    const lock = lockPath(home, id);
    expect(statSync(lock).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: live!.pid, host: hostname() });

    const second = await runCli(['resume', id], { env });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`mythos: run ${id} is in use by process ${live!.pid}`);
    expect(api.requests.length).toBe(1);
    const last = await runCli(['resume', 'last'], { env });
    expect(last.code).toBe(2);
    expect(api.requests.length).toBe(1);

    live!.kill('SIGINT');
    expect((await running).code).toBe(130);
    expect(lockExists(home, id)).toBe(false);
    // The refused resumes wrote nothing: one attempt, stopped by the Ctrl-C.
    const events = eventsOf(home, id);
    expect(events.filter((e) => e.type === 'run.start')).toHaveLength(1);
    expect(events.at(-2)).toMatchObject({ type: 'stop', reason: 'interrupted', detail: 'interrupted by SIGINT' });
  });
});

describe('a stale lock', () => {
  it('is taken over when its process is gone, and says so', async () => {
    const home = tempHome();
    api = await startFakeApi({ responder: byRoundNumber({ slowRound: 4 }) });
    const { id } = await stoppedRun(api, cliEnv(api.url, { MYTHOS_HOME: home }));
    await api.close();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lockPath(home, id), JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));

    api = await startFakeApi({ responder: byRoundNumber() });
    const resumed = await runCli(['resume', id], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`mythos: run ${id} was left locked by process ${dead}, which is no longer running; taking it over`);
    expect(eventsOf(home, id).at(-1).type).toBe('run.end');
    expect(lockExists(home, id)).toBe(false);
  });

  it('a lock cut short by a crash (no owner in it) is stale too', async () => {
    const home = tempHome();
    api = await startFakeApi({ responder: byRoundNumber({ slowRound: 4 }) });
    const { id } = await stoppedRun(api, cliEnv(api.url, { MYTHOS_HOME: home }));
    await api.close();
    writeFileSync(lockPath(home, id), '{"pid":');
    api = await startFakeApi({ responder: byRoundNumber() });
    const resumed = await runCli(['resume', id], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(resumed.code).toBe(0);
    expect(lockExists(home, id)).toBe(false);
  });
});
