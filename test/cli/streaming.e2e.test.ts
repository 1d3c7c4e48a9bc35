/**
 * The Coda's answer streams to stdout as it is generated, with output identical to a whole
 * answer; a stream cut mid-answer is retried and the reader is told.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jsonReply, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../fake-api/index.js';
import { mythosResponder, preludeReply, stepOf } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const ANSWER = 'First paragraph of a long answer that streams.\n\nSecond paragraph: "quoted" and done.';

function directWith(coda: () => FakeReply) {
  const base = mythosResponder({ prelude: preludeReply({ score: 1 }) });
  let seenPrelude = false;
  return (request: RecordedRequest) => {
    const step = stepOf(request, seenPrelude);
    if (step === 'prelude') seenPrelude = true;
    return step === 'direct-coda' ? coda() : base(request);
  };
}

describe('streamed Coda', () => {
  it('asks for a stream and prints exactly the shape a whole answer would have', async () => {
    api = await startFakeApi({ responder: directWith(() => jsonReply({ answer: ANSWER }, { firstTokenDelayMs: 50 })) });
    const result = await runCli(['Is it?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(api.requests.at(-1)?.body.stream).toBe(true);
    expect(api.requests[0]?.body.stream).toBeUndefined();
    expect(result.stdout).toBe(`## Answer\n${ANSWER}\n\n---\n*Depth: 0 rounds. Mode: direct.*\n`);
  });

  it('emits the answer as coda.delta events under --stream-json, and keeps them out of the run log', async () => {
    api = await startFakeApi({ responder: directWith(() => jsonReply({ answer: ANSWER })) });
    const home = tempHome();
    const result = await runCli(['--stream-json', 'Is it?'], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l).event);
    const deltas = events.filter((e) => e.type === 'coda.delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((e) => e.text).join('')).toBe(ANSWER);
    const { readdirSync, readFileSync } = await import('node:fs');
    const log = readFileSync(`${home}/runs/${readdirSync(`${home}/runs`)[0]}`, 'utf8');
    expect(log).not.toContain('coda.delta');
  });

  it('takes a plain JSON reply from an endpoint that never streams, with identical output', async () => {
    api = await startFakeApi({ responder: directWith(() => jsonReply({ answer: ANSWER }, { noStream: true })) });
    const result = await runCli(['Is it?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.stderr).not.toContain('unexpected error');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`## Answer\n${ANSWER}\n\n---\n*Depth: 0 rounds. Mode: direct.*\n`);
    // A JSON body where a stream was asked for is the whole reply: used as it is, never asked for twice.
    expect(api.requests.slice(1).map((r) => r.body.stream ?? false)).toEqual([true]);
  });

  it('retries a stream cut mid-answer and says the answer restarted', async () => {
    let calls = 0;
    const partial = JSON.stringify({ answer: ANSWER });
    api = await startFakeApi({
      responder: directWith(() => (calls++ === 0 ? { kind: 'cut', afterEvents: 5, content: [{ type: 'text', text: partial }] } : jsonReply({ answer: ANSWER }))),
    });
    const result = await runCli(['Is it?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(calls).toBe(2);
    expect(result.stdout).toMatch(/^## Answer\n/);
    expect(result.stdout).toContain(`*(The answer stream was interrupted; the complete answer follows.)*\n\n## Answer\n${ANSWER}\n\n---\n*Depth: 0 rounds. Mode: direct.*\n`);
  });
});
