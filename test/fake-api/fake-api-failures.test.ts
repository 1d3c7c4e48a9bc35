// The fake API's failure modes against the REAL SDK: errors and retries, cut streams, resets,
// hangs and an exhausted script. Retries use retry-after 0 so no test waits on SDK backoff.
import Anthropic, { AnthropicError, APIConnectionError, APIError, InternalServerError } from '@anthropic-ai/sdk';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { errorReply, startFakeApi, textReply, type FakeApi, type FakeApiOptions } from './index.js';

const open: FakeApi[] = [];

async function start(opts: FakeApiOptions, maxRetries = 0): Promise<{ api: FakeApi; client: Anthropic }> {
  const api = await startFakeApi(opts);
  open.push(api);
  return { api, client: new Anthropic({ baseURL: api.url, apiKey: 'test-key', maxRetries }) };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

const ask = (text: string) => ({ model: 'claude-test-model', max_tokens: 256, messages: [{ role: 'user' as const, content: text }] });

/** Resolves when `n` requests have arrived. */
async function arrived(api: FakeApi, n: number): Promise<void> {
  while (api.requests.length < n) await new Promise((r) => setTimeout(r, 5));
}

describe('fake API: errors and retries', () => {
  it('lets the SDK retry a 529 and then succeed, without backoff', async () => {
    const busy = errorReply(529, 'Overloaded', { retryAfterSeconds: 0 });
    const { api, client } = await start({ responder: [busy, textReply('recovered')] }, 1);
    const msg = await client.messages.create(ask('Try'));
    expect(msg.content).toEqual([{ type: 'text', text: 'recovered' }]);
    expect(api.requests).toHaveLength(2);
    const [first, second] = api.requests as [FakeApi['requests'][0], FakeApi['requests'][0]];
    expect(second.headers['x-stainless-retry-count']).toBe('1');
    // The SDK's default backoff would be at least 375 ms; retry-after-ms makes it immediate.
    expect(second.startedAt - first.endedAt).toBeLessThan(250);
  });

  it('sends the real error shape, type and retry-after headers', async () => {
    const { api } = await start({ responder: [errorReply(429, 'Slow down', { retryAfterSeconds: 2 }), errorReply(418, undefined, { errorType: 'teapot_error' })] });
    const post = () => fetch(`${api.url}/v1/messages`, { method: 'POST', body: JSON.stringify(ask('x')) });
    const res = await post();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('retry-after-ms')).toBe('2000');
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } });
    const custom = await post();
    expect(custom.status).toBe(418);
    expect(await custom.json()).toMatchObject({ error: { type: 'teapot_error' } });
  });

  it('fails with APIError after maxRetries + 1 attempts on a persistent 500', async () => {
    const { api, client } = await start({ responder: () => errorReply(500, 'boom', { retryAfterSeconds: 0 }) }, 2);
    const err = await client.messages.create(ask('Again')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err).toMatchObject({ status: 500, type: 'api_error' });
    expect((err as APIError).message).toContain('boom');
    expect(api.requests).toHaveLength(3);
  });

  it('answers an exhausted script with a 500 naming the request, not retried', async () => {
    const { api, client } = await start({ responder: [textReply('only one')] }, 2);
    await client.messages.create(ask('first question'));
    const err = await client.messages.create(ask('second question, unscripted')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(500);
    const message = (err as APIError).message;
    expect(message).toContain('no scripted reply for request #1 POST /v1/messages');
    expect(message).toContain('second question, unscripted');
    expect(message).not.toContain('test-key');
    expect(api.requests).toHaveLength(2); // x-should-retry: false stops the SDK's retries
  });

  it('answers 500 naming the request when a responder throws', async () => {
    const { client } = await start({ responder: () => { throw new Error('script bug'); } });
    await expect(client.messages.create(ask('x'))).rejects.toThrow(/responder threw for request #0.*script bug/);
  });
});

describe('fake API: broken connections', () => {
  it('cuts an SSE stream after N events, so the SDK stream rejects', async () => {
    const { api, client } = await start({ responder: [{ kind: 'cut', afterEvents: 4 }] });
    const stream = client.messages.stream(ask('Stream'));
    const deltas: string[] = [];
    stream.on('text', (d) => deltas.push(d));
    stream.on('error', () => {}); // finalMessage() below carries the rejection
    // A body that breaks after a 200 is not a connection error: the SDK says 'terminated'.
    const err = await stream.finalMessage().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnthropicError);
    expect((err as Error).message).toMatch(/terminated/);
    expect(deltas).toHaveLength(1); // message_start, ping, block start, one delta, then the break
    expect(api.requests[0]!.endedAt).toBeGreaterThanOrEqual(api.requests[0]!.startedAt);
  });

  it('cuts a JSON reply before it is sent (a connection error)', async () => {
    const { client } = await start({ responder: [{ kind: 'cut', afterEvents: 0 }] });
    await expect(client.messages.create(ask('x'))).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('resets the connection: the SDK reports a connection error and retries it', async () => {
    const { api, client } = await start({ responder: [{ kind: 'reset' }, textReply('after reset')] }, 1);
    const msg = await client.messages.create(ask('x'));
    expect(msg.content).toEqual([{ type: 'text', text: 'after reset' }]);
    expect(api.requests).toHaveLength(2);

    const { client: once } = await start({ responder: [{ kind: 'reset' }] });
    await expect(once.messages.create(ask('x'))).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('hangs until the client aborts, and records when it ended', async () => {
    const { api, client } = await start({ responder: [{ kind: 'hang' }] });
    const abort = new AbortController();
    const pending = client.messages.create(ask('x'), { signal: abort.signal });
    await arrived(api, 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(Number.isNaN(api.requests[0]!.endedAt)).toBe(true);
    abort.abort();
    await expect(pending).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 20));
    expect(api.requests[0]!.endedAt).toBeGreaterThan(api.requests[0]!.startedAt);
  });

  it('close() ends hanging and delayed requests promptly', async () => {
    const { api, client } = await start({ responder: [{ kind: 'hang' }, textReply('never', { delayMs: 10_000 })] });
    const a = client.messages.create(ask('a')).catch((e: unknown) => e);
    const b = client.messages.create(ask('b')).catch((e: unknown) => e);
    await arrived(api, 2);
    const t0 = performance.now();
    await api.close();
    expect(await a).toBeInstanceOf(APIConnectionError);
    expect(await b).toBeInstanceOf(APIConnectionError);
    expect(performance.now() - t0).toBeLessThan(5000); // the 10 s delay was cut short, not waited out;
  });
});
