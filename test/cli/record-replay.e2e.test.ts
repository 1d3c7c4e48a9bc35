/**
 * Record a run against the fake API once, then replay it with no server and no key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { judgeReply, mythosResponder, preludeReply, roundReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome, TEST_KEY } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

describe('record and replay', () => {
  it('replays a recorded run offline with identical output, and names the request a stale recording lacks', async () => {
    api = await startFakeApi({
      responder: mythosResponder({
        prelude: preludeReply({ score: 2 }),
        rounds: [roundReply('Reads dominate writes by two orders of magnitude.'), roundReply('Users tolerate seconds of staleness on profiles.')],
        judge: () => judgeReply('trivial'),
      }),
    });
    const file = join(tempHome(), 'run.jsonl');
    const recorded = await runCli(['trace', '--max-rounds', '2', 'Cache or not?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome(), MYTHOS_RECORD: file }) });
    expect(recorded.code).toBe(0);
    const recording = readFileSync(file, 'utf8');
    expect(recording.trim().split('\n')).toHaveLength(api.requests.length);
    expect(recording).not.toContain(TEST_KEY);
    await api.close();
    api = undefined;

    const offline = cliEnv(null, { MYTHOS_HOME: tempHome(), MYTHOS_REPLAY: file });
    const replayed = await runCli(['trace', '--max-rounds', '2', 'Cache or not?'], { env: offline });
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toBe(recorded.stdout);

    const stale = await runCli(['trace', '--max-rounds', '2', 'A different question?'], { env: offline });
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/mythos: the recording has no reply for Prelude \(request [0-9a-f]{16}\)\nhint: the prompts changed/);
  });
});
