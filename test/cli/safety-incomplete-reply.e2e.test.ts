/**
 * A 200 whose JSON body is empty or cut off: a clear API error, retried like a broken connection,
 * and when the retries run out the run ends with the resume command (never "unexpected error").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jsonReply, startFakeApi, type FakeApi, type FakeReply } from '../fake-api/index.js';
import { preludeReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { eventsOf, onlyRunId, runLogPath } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
});

const BODIES = ['', '{"id": "msg_1", "type": "mess'];
const incomplete = (body: string): FakeReply => ({ kind: 'raw', status: 200, contentType: 'application/json', body });

describe('a 200 reply with an empty or cut-off JSON body', () => {
  // The Prelude is a plain request; the direct answer after it streams.
  it.each([
    ...BODIES.map((body) => [`a plain request answered ${JSON.stringify(body)}`, [incomplete(body), jsonReply(preludeReply({ score: 1 })), jsonReply({ answer: 'Yes.' })]] as const),
    ['a streamed request answered with a cut-off JSON body', [jsonReply(preludeReply({ score: 1 })), incomplete(BODIES[1]!), jsonReply({ answer: 'Yes.' })]] as const,
  ])('%s is retried like a broken connection, and the run goes on', async (_, replies) => {
    api = await startFakeApi({ responder: [...replies] });
    const home = tempHome();
    const result = await runCli(['--quiet', 'Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Yes.');
    expect(api.requests).toHaveLength(3);
  });

  it.each(BODIES)('%j every time: exit 1, one clear line, the resume command, and the log says the same', async (body) => {
    api = await startFakeApi({ responder: () => incomplete(body) });
    const home = tempHome();
    const result = await runCli(['--retries', '1', 'Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(1);
    const id = onlyRunId(home);
    expect(result.stderr.trim().split('\n')).toEqual([
      `mythos: run ${id} stopped; its log is ${runLogPath(home, id)}`,
      `mythos: Prelude call failed: the API sent an incomplete reply (a JSON body that was empty or cut off) after 2 attempts`,
      `hint: the connection or a proxy in front of the API may be dropping replies; try again later, then continue with: mythos resume ${id}`,
    ]);
    expect(result.stderr).not.toContain('unexpected');
    expect(api.requests).toHaveLength(2);
    const error = eventsOf(home, id).at(-1);
    expect(error).toMatchObject({ type: 'run.error', exitCode: 1 });
    expect(error.message).toContain('the API sent an incomplete reply');
    expect(error.hint).toContain(`mythos resume ${id}`);
  });
});
