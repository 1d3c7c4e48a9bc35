/**
 * A run stopped from outside (Ctrl-C, SIGTERM, SIGHUP, a reader that closed the pipe) writes
 * why it stopped, releases its lock, says how to continue, and can be resumed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { mythosResponder, preludeReply, roundReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { byRoundNumber, eventsOf, lockExists, onlyRunId, stoppedRun } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

describe('signals stop a run like Ctrl-C', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s: exit %i, a stop event naming it, the lock released, and a resume command', async (signal, code) => {
    const home = tempHome();
    api = await startFakeApi({ responder: byRoundNumber({ slowRound: 4 }) });
    const { result, id } = await stoppedRun(api, cliEnv(api.url, { MYTHOS_HOME: home }), signal);
    expect(result.code).toBe(code);
    expect(result.signal).toBeNull();
    expect(result.stderr).toContain(`mythos: interrupted by ${signal}; everything completed so far is in`);
    expect(result.stderr).toContain(`hint: continue with: mythos resume ${id}`);
    expect(api.requests.length).toBe(8); // Prelude, rounds 1–3 and their judges, round 4 in flight
    const events = eventsOf(home, id);
    expect(events.at(-2)).toEqual({ type: 'stop', reason: 'interrupted', detail: `interrupted by ${signal}` });
    expect(events.at(-1)).toEqual({ type: 'run.error', message: `run ${id} interrupted by ${signal}`, exitCode: code, hint: `continue with: mythos resume ${id}` });
    expect(lockExists(home, id)).toBe(false);

    await api.close();
    api = await startFakeApi({ responder: byRoundNumber() });
    const resumed = await runCli(['resume', id], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(resumed.code).toBe(0);
    expect(eventsOf(home, id).at(-1).type).toBe('run.end');
  });

  it('--json still prints one object when a signal stops the run', async () => {
    const home = tempHome();
    api = await startFakeApi({ responder: () => ({ kind: 'hang' }) });
    const result = await runCli(['--json', 'Is water wet?'], {
      env: cliEnv(api.url, { MYTHOS_HOME: home }),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (api!.requests.length > 0) {
            clearInterval(timer);
            child.kill('SIGTERM');
          }
        }, 20);
      },
    });
    expect(result.code).toBe(143);
    const id = onlyRunId(home);
    expect(JSON.parse(result.stdout)).toMatchObject({
      schema_version: 1, runId: id,
      error: { message: `run ${id} interrupted by SIGTERM`, hint: `continue with: mythos resume ${id}`, exitCode: 143 },
      record: { runId: id, question: 'Is water wet?', stopReason: 'interrupted' },
    });
  });
});

describe('a reader that closes the pipe (mythos … | head)', () => {
  it('stops the run cleanly: exit 0, a stop event saying why, and how to continue', async () => {
    const home = tempHome();
    api = await startFakeApi({
      responder: mythosResponder({
        prelude: preludeReply({ score: 2 }),
        rounds: Array.from({ length: 8 }, (_, i) => roundReply(`Separate insight ${i} about ${'abcdefgh'[i]} matters.`)),
      }),
      latencyMs: 30,
    });
    const result = await runCli(['trace', 'Is water wet?'], {
      env: cliEnv(api.url, { MYTHOS_HOME: home }),
      onSpawn: (child) => child.stdout!.once('data', () => child.stdout!.destroy()),
    });
    expect(result.code).toBe(0);
    const id = onlyRunId(home);
    expect(result.stderr).toContain(`mythos: run ${id} stopped because its output was closed; everything completed so far is in`);
    expect(result.stderr).toContain(`hint: continue with: mythos resume ${id}`);
    expect(result.stderr).not.toMatch(/EPIPE|Error|unexpected/);
    const events = eventsOf(home, id);
    expect(events.find((e) => e.type === 'stop')).toEqual({ type: 'stop', reason: 'interrupted', detail: 'its output was closed (the reader of stdout went away)' });
    expect(events.some((e) => e.type === 'run.end')).toBe(false);
    // It stopped soon after, rather than paying for the whole run.
    expect(api.requests.length).toBeLessThan(10);
    expect(lockExists(home, id)).toBe(false);

    const show = await runCli(['show', id], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(show.stderr).toContain(`mythos: run ${id} did not finish (interrupted); continue it with: mythos resume ${id}`);
  });
});
