/**
 * The fault matrix: each kind of API failure, once (transient) and always (persistent), injected
 * into the characteristic call of each mode. Transient faults are survived; persistent ones end
 * with one line, exit 1 and a log of everything completed (agent mode falls back instead).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorReply, jsonReply, startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from '../fake-api/index.js';
import { judgeReply, mythosResponder, preludeReply, roundReply, stepOf, type Step } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const FAULTS: Record<string, () => FakeReply> = {
  'rate limit 429': () => errorReply(429, 'slow down', { retryAfterSeconds: 0 }),
  'overloaded 529': () => errorReply(529, 'overloaded', { retryAfterSeconds: 0 }),
  'server error 500': () => errorReply(500, 'internal', { retryAfterSeconds: 0 }),
  'connection reset': () => ({ kind: 'reset' }),
  'reply cut mid-way': () => ({ kind: 'cut', afterEvents: 1 }),
  'reply off its schema': () => jsonReply({ unexpected: true }),
};

const MODES: Array<{ mode: string; args: string[]; target: Step; score: number }> = [
  { mode: 'direct', args: [], target: 'direct-coda', score: 1 },
  { mode: 'silent', args: ['quick'], target: 'round', score: 2 },
  { mode: 'trace', args: ['trace'], target: 'round', score: 2 },
  { mode: 'agent', args: ['deep'], target: 'subagent', score: 2 },
];

function scenario(score: number) {
  return mythosResponder({
    prelude: preludeReply({ score, drivers: ['Ambiguity'] }),
    rounds: Array.from({ length: 8 }, (_, i) => roundReply(`Independent insight ${i} on ${['cost', 'risk', 'time', 'scope', 'people', 'tools', 'data', 'law'][i]} grounds.`)),
    judge: (i) => judgeReply('advances', { self_consistent: i >= 3 }),
  });
}

/** Answers `target` requests with the fault for the first `times` of them, the rest from the scenario. */
function withFault(score: number, target: Step, fault: () => FakeReply, times: number) {
  const base = scenario(score);
  let seenPrelude = false;
  let faulted = 0;
  return (request: RecordedRequest) => {
    const step = stepOf(request, seenPrelude);
    if (step === 'prelude') seenPrelude = true;
    if (step === target && faulted < times) {
      faulted++;
      return fault();
    }
    return base(request);
  };
}

function logTypes(home: string): string[] {
  const dir = join(home, 'runs');
  return readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l).event.type));
}

describe.each(MODES)('$mode mode', ({ mode, args, target, score }) => {
  it.each(Object.keys(FAULTS))('survives a transient %s', async (name) => {
    api = await startFakeApi({ responder: withFault(score, target, FAULTS[name]!, 1) });
    const result = await runCli(['--retries', '2', ...args, 'Should we ship it?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Mode: ${mode}.`);
    if (name === 'reply off its schema') {
      const repair = api.requests.find((r) => JSON.stringify(r.body.messages).includes('does not match the required format'));
      expect(repair).toBeDefined();
    }
  });

  it.each(Object.keys(FAULTS))('ends cleanly on a persistent %s', async (name) => {
    api = await startFakeApi({ responder: withFault(score, target, FAULTS[name]!, Infinity) });
    const home = tempHome();
    const result = await runCli(['--retries', '1', ...args, 'Should we ship it?'], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    if (mode === 'agent') {
      // Every subagent failed: the lenses ran as a sequential block instead, and the answer says so.
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('*Fallback: agent mode got 0 of');
      expect(logTypes(home).filter((t) => t === 'flag').length).toBeGreaterThanOrEqual(3);
      return;
    }
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(mode === 'trace' ? result.stdout : '');
    expect(result.stderr).toMatch(/mythos: run \S+ stopped; its log is \S+\.jsonl\nmythos: .+\nhint: .+\n$/);
    const types = logTypes(home);
    expect(types).toContain('prelude');
    expect(types.at(-1)).toBe('run.error');
    expect(types.at(-2)).toBe('stop');
  });
});

describe('replies the model cannot give', () => {
  it('ends clearly on a refusal, with its category and request id, and asks nothing more', async () => {
    const stop_details = { type: 'refusal' as const, category: 'cyber', explanation: 'This request was declined.' };
    api = await startFakeApi({ responder: () => ({ kind: 'message', content: [], stop_reason: 'refusal', stop_details }) });
    const result = await runCli(['Should we ship it?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('mythos: Prelude: the model declined to answer (cyber: This request was declined.) (request req_fake_000000)');
    expect(result.stderr).toContain('hint: mythos does not retry a refusal');
    expect(result.stderr).not.toContain('stronger model');
    expect(api.requests).toHaveLength(1);
  });

  it('ends clearly when the context window is full, without a repair call', async () => {
    api = await startFakeApi({ responder: () => ({ kind: 'message', content: [{ type: 'text', text: '{"restated' }], stop_reason: 'model_context_window_exceeded' }) });
    const result = await runCli(['Should we ship it?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('mythos: Prelude: the prompt and reply filled the context window of claude-sonnet-5-5 (request req_fake_000000)');
    expect(result.stderr).toContain('hint: shorten the question (or the file it came from); thinking shares the window too, so a lower --effort leaves more room');
    expect(api.requests).toHaveLength(1);
  });

  it('retries a truncated reply once with twice the room', async () => {
    const full = preludeReply({ score: 1 });
    api = await startFakeApi({
      responder: [{ kind: 'message', content: [{ type: 'text', text: '{"restated' }], stop_reason: 'max_tokens' }, jsonReply(full), jsonReply({ answer: 'Yes.' })],
    });
    const result = await runCli(['Should we ship it?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(api.requests[1]?.body.max_tokens).toBe(2 * api.requests[0]?.body.max_tokens);
  });
});
