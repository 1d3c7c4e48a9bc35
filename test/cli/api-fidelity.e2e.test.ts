/**
 * What the real API does that the CLI must meet: effort only where a model takes it, thinking
 * that can eat a whole reply, limits the API does not enforce, rate limits and spend caps, and
 * the request id that ties an error or a logged call to the API's own records.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { errorReply, jsonReply, startFakeApi, type FakeApi, type RecordedRequest } from '../fake-api/index.js';
import { CACHE_QUESTION, steadyResponder } from '../helpers/model-runs.js';
import { preludeReply, stepOf } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { onlyRunEvents } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const effortBy = (requests: RecordedRequest[], step: string) => requests.filter((r) => stepOf(r, true) === step).map((r) => r.body.output_config?.effort);

describe('effort', () => {
  it('sends lower effort for bookkeeping than for reasoning, and --effort moves only the reasoning steps', async () => {
    api = await startFakeApi({ emulate: 'claude-5', responder: steadyResponder(3) });
    const result = await runCli(['trace', '--effort', 'xhigh', '--max-rounds', '3', CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(effortBy(api.requests, 're-prelude')).toEqual(['medium']); // the Prelude (stepOf sees every Prelude as a re-Prelude here)
    expect(new Set(effortBy(api.requests, 'round'))).toEqual(new Set(['xhigh']));
    expect(new Set(effortBy(api.requests, 'judge'))).toEqual(new Set(['low']));
    expect(effortBy(api.requests, 'coda')).toEqual(['xhigh']);
    // Room for thinking at xhigh: the documented 64k start, plus the reply.
    expect(api.requests.find((r) => stepOf(r, true) === 'round')!.body.max_tokens).toBe(64_000 + 1_200);
  });

  it('refuses an effort the model does not take, before any call', async () => {
    api = await startFakeApi({ emulate: 'claude-5', responder: steadyResponder(3) });
    const result = await runCli(['--model', 'claude-haiku-4-5', '--effort', 'max', CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('mythos: claude-haiku-4-5 does not accept an effort level');
    expect(api.requests).toHaveLength(0);
  });

  it('treats a model the catalogue does not know conservatively: a warning, no effort, a modest max_tokens', async () => {
    api = await startFakeApi({ responder: steadyResponder(1) });
    const result = await runCli(['--model', 'acme-reasoner-2', CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('mythos: acme-reasoner-2 is not in the model catalogue');
    expect(result.stderr).toContain('cost unknown for this model');
    for (const request of api.requests) {
      expect(request.body.output_config.effort).toBeUndefined();
      expect(request.body.max_tokens).toBeLessThanOrEqual(12_000);
    }
  });
});

describe('a newer model than the catalogue knows', () => {
  it('is not priced as the older one: --max-cost is refused before any call', async () => {
    api = await startFakeApi({ responder: steadyResponder(1) });
    const result = await runCli(['--model', 'claude-fable-5-3', '--max-cost', '5', CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('mythos: --max-cost cannot be enforced for claude-fable-5-3: its price is not known');
    expect(result.stderr).toContain('hint: cap the run with --max-tokens');
    expect(api.requests).toHaveLength(0);
  });
});

describe('thinking that eats the reply', () => {
  it('grows the room once, then ends with a message that says thinking took it all', async () => {
    api = await startFakeApi({
      emulate: 'claude-5',
      responder: (request) => (stepOf(request, true) === 're-prelude' ? jsonReply(preludeReply({ score: 3 }), { thinkingTokens: 500_000 }) : steadyResponder(3)(request)),
    });
    const result = await runCli([CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(1);
    const [first, second] = api.requests;
    expect(second!.body.max_tokens).toBe(2 * first!.body.max_tokens);
    expect(result.stderr).toContain(`mythos: Prelude reply was not usable: the model spent all ${second!.body.max_tokens} tokens it was allowed on thinking and wrote no reply (request req_fake_000001)`);
    expect(result.stderr).toContain('hint: lower --effort (this step ran at effort medium)');
    expect(result.stderr).not.toContain('stronger model');
    expect(api.requests).toHaveLength(2);
  });
});

describe('limits the API does not enforce', () => {
  it('clamps three extra lenses and a repeated driver without a repair call, and notes it in the log', async () => {
    const prelude = { ...preludeReply({ score: 3, drivers: ['Trade-offs', 'Trade-offs', 'Ambiguity'] }), extra_lenses: ['Invert', 'Scar-Tissue', 'Steelman'] };
    api = await startFakeApi({
      emulate: 'claude-5',
      responder: (request) => (stepOf(request, true) === 're-prelude' ? jsonReply(prelude) : steadyResponder(3)(request)),
    });
    const home = tempHome();
    const result = await runCli([CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    const events = onlyRunEvents(home);
    const preludeCall = events.find((e) => e.type === 'call' && e.call.step === 'prelude');
    expect(preludeCall.call.attempts).toBe(1);
    expect(preludeCall.call.adjustments).toEqual(['drivers: dropped 1 repeated ("Trade-offs")', 'extra_lenses: kept the first 2 of 3']);
    expect(events.find((e) => e.type === 'prelude').prelude.reply.drivers).toEqual(['Trade-offs', 'Ambiguity']);
    // Every logged call carries the API's request id.
    expect(events.filter((e) => e.type === 'call').every((e) => /^req_fake_\d+$/.test(e.call.requestId))).toBe(true);
  });
});

describe('rate limits, overload and spend caps', () => {
  it('retries a 429 and, if it stays, says to wait and lower the concurrency, with the request id', async () => {
    api = await startFakeApi({ responder: () => errorReply(429, 'rate limited', { retryAfterSeconds: 0 }) });
    const result = await runCli(['--retries', '1', CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(1);
    expect(api.requests).toHaveLength(2);
    expect(result.stderr).toContain('HTTP 429: rate limited (request req_fake_000001)');
    expect(result.stderr).toMatch(/hint: the API is rate-limiting this key: wait a minute, lower --concurrency, then continue with: mythos resume \S+/);
  });

  it('does not retry a monthly spend cap, and says what it is', async () => {
    api = await startFakeApi({ responder: () => errorReply(429, 'You have reached your monthly spend limit.', { details: { error_code: 'enforced_spend_limit_reached' } }) });
    const result = await runCli(['--retries', '3', CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(1);
    expect(api.requests).toHaveLength(1);
    expect(result.stderr).toContain('hint: your organisation reached its monthly spend limit');
  });

  it('gives an overloaded API its own hint', async () => {
    api = await startFakeApi({ responder: () => errorReply(529, 'Overloaded', { retryAfterSeconds: 0 }) });
    const result = await runCli(['--retries', '0', CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/hint: the API is overloaded right now: wait a few minutes, then continue with: mythos resume \S+/);
  });
});

describe('a streamed call that gets no event stream', () => {
  it('fails at once on a web page instead of asking again', async () => {
    api = await startFakeApi({
      responder: (request) => (request.body.stream ? { kind: 'raw', status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html>Sign in</html>' } : steadyResponder(1)(request)),
    });
    // Text output streams the Coda's answer; the Prelude before it is a plain request.
    const result = await runCli([CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('answered with a text/html where an event stream was asked for, not a Messages API reply');
    expect(api.requests.filter((r) => r.body.stream)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
