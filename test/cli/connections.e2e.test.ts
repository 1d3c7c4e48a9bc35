/**
 * Connection reuse, seen from the server: each new connection is a TCP (and, against the real
 * API, TLS) handshake on the critical path, so calls made one after another must share one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi, type RecordedRequest } from '../fake-api/index.js';
import { judgeReply, mythosResponder, preludeReply, roundReply, stepOf } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const QUESTION = 'Should the billing team adopt event sourcing this quarter?';

function messageCalls(requests: readonly RecordedRequest[]) {
  let seen = false;
  return requests
    .filter((r) => r.path === '/v1/messages')
    .map((request) => {
      const step = stepOf(request, seen);
      seen ||= step === 'prelude';
      return { step, port: request.remotePort };
    });
}

describe('connections', () => {
  it('a sequential run sends every call over the Prelude’s connection', async () => {
    api = await startFakeApi({
      responder: mythosResponder({
        prelude: preludeReply({ score: 3, drivers: ['Trade-offs'] }),
        rounds: [
          roundReply('Event sourcing moves the cost from writes to every later read model.'),
          roundReply('The audit requirement is what actually asks for an immutable log.'),
          roundReply('A plain append-only audit table meets the audit need at a tenth of the cost.', { convergence: 'stable' }),
        ],
        judge: () => judgeReply('advances', { self_consistent: false }),
      }),
    });
    const result = await runCli(['trace', '--max-rounds', '3', QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    const calls = messageCalls(api.requests);
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(calls.every((c) => c.port !== undefined)).toBe(true);
    expect(new Set(calls.map((c) => c.port)).size).toBe(1);
  });

  it('agent mode reuses the Prelude’s connection for one subagent and the fan-out’s for the merge and Coda', async () => {
    api = await startFakeApi({
      responder: mythosResponder({ prelude: preludeReply({ score: 4, drivers: ['Trade-offs'] }) }),
    });
    const result = await runCli(['deep', '--max-rounds', '3', QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    const calls = messageCalls(api.requests);
    expect(calls.map((c) => c.step)).toEqual(['prelude', 'subagent', 'subagent', 'subagent', 'merge', 'coda', 'cross-check']);
    const ports = (step: string) => calls.filter((c) => c.step === step).map((c) => c.port);
    // Three subagents in flight at once need three connections, and no more.
    const fanOut = new Set([...ports('prelude'), ...ports('subagent')]);
    expect(fanOut.size).toBe(3);
    for (const port of [...ports('merge'), ...ports('coda'), ...ports('cross-check')]) expect(fanOut.has(port)).toBe(true);
  });
});
