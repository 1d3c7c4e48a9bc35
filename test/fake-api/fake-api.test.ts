// The fake API against the REAL SDK over HTTP: success paths (JSON, SSE, structured output),
// accounting and timing. Failure paths live in fake-api-failures.test.ts.
import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonReply, startFakeApi, textReply, toolUseReply, type FakeApi, type FakeApiOptions } from './index.js';

const MODEL = 'claude-test-model';
const open: FakeApi[] = [];

async function start(opts: FakeApiOptions): Promise<{ api: FakeApi; client: Anthropic }> {
  const api = await startFakeApi(opts);
  open.push(api);
  return { api, client: new Anthropic({ baseURL: api.url, apiKey: 'test-key', maxRetries: 0 }) };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

const ask = (text: string) => ({ model: MODEL, max_tokens: 256, messages: [{ role: 'user' as const, content: text }] });

describe('fake API: JSON replies', () => {
  it('round-trips a message with real API shapes and records the request', async () => {
    const { api, client } = await start({ responder: [textReply('hello there', { usage: { cache_read_input_tokens: 7 } })] });
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const msg = await client.messages.create(ask('Say hello'));
    expect(msg.id).toMatch(/^msg_/);
    expect(msg.type).toBe('message');
    expect(msg.role).toBe('assistant');
    expect(msg.model).toBe(MODEL);
    expect(msg.content).toEqual([{ type: 'text', text: 'hello there' }]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.stop_sequence).toBeNull();
    expect(msg.usage.output_tokens).toBe(Math.ceil('hello there'.length / 4));
    expect(msg.usage.cache_read_input_tokens).toBe(7);
    expect(msg.usage.cache_creation_input_tokens).toBe(0);
    expect(msg._request_id).toMatch(/^req_/);

    expect(api.requests).toHaveLength(1);
    const rec = api.requests[0]!;
    expect(rec).toMatchObject({ index: 0, method: 'POST', path: '/v1/messages' });
    // SDK 1.14 sends apiKey as a bearer token, not x-api-key (Claude Code sends x-api-key).
    expect(rec.headers.authorization).toBe('Bearer test-key');
    expect(rec.headers['anthropic-version']).toBeDefined();
    expect(rec.body).toMatchObject({ model: MODEL, messages: [{ role: 'user', content: 'Say hello' }] });
    expect(msg.usage.input_tokens).toBe(Math.ceil(JSON.stringify(rec.body).length / 4));
    expect(rec.endedAt).toBeGreaterThanOrEqual(rec.startedAt);
  });

  it('charges more input tokens for bigger prompts', async () => {
    const { client } = await start({ responder: [textReply('a'), textReply('b')] });
    const small = await client.messages.create(ask('short'));
    const big = await client.messages.create(ask('long '.repeat(200)));
    expect(big.usage.input_tokens).toBeGreaterThan(small.usage.input_tokens + 200);
  });

  it('serves a function responder and keeps the query string out of path', async () => {
    const { api } = await start({ responder: (req) => textReply(`you said ${String(req.body.messages[0].content)}`) });
    const res = await fetch(`${api.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ask('ping ✓ é')),
    });
    const body = (await res.json()) as { content: Array<{ text: string }> };
    expect(body.content[0]!.text).toBe('you said ping ✓ é');
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(api.requests[0]).toMatchObject({ path: '/v1/messages', url: '/v1/messages?beta=true' });
  });

  it('yields parsed_output for messages.parse with a zod output format', async () => {
    const Verdict = z.object({ verdict: z.string(), score: z.number() });
    const { api, client } = await start({ responder: [jsonReply({ verdict: 'sound', score: 4 })] });
    const msg = await client.messages.parse({ ...ask('Judge it'), output_config: { format: zodOutputFormat(Verdict) } });
    expect(msg.parsed_output).toEqual({ verdict: 'sound', score: 4 });
    expect(api.requests[0]!.body.output_config.format.type).toBe('json_schema');
  });

  it('answers count_tokens and records 404s for unknown paths', async () => {
    const { api, client } = await start({ responder: [] });
    const count = await client.messages.countTokens(ask('how many tokens is this?'));
    expect(count.input_tokens).toBeGreaterThan(0);

    const res = await fetch(`${api.url}/v1/models`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/messages/count_tokens',
      'GET /v1/models',
    ]);
  });
});

describe('fake API: streaming', () => {
  it('streams text deltas and a tool_use block that the SDK reassembles', async () => {
    const text = 'Let me look that up in the index before answering the question.';
    const reply = toolUseReply([{ name: 'lookup', input: { query: 'recurrent depth', limit: 3, tags: ['a', 'b'] } }], text);
    const { client } = await start({ responder: [reply] });

    const stream = client.messages.stream(ask('Find it'));
    const deltas: string[] = [];
    stream.on('text', (d) => deltas.push(d));
    const msg = await stream.finalMessage();

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(text);
    expect(msg.content).toEqual(reply.kind === 'message' ? reply.content : []);
    const tool = msg.content[1];
    expect(tool?.type === 'tool_use' && tool.input).toEqual({ query: 'recurrent depth', limit: 3, tags: ['a', 'b'] });
    expect(tool?.type === 'tool_use' && tool.id).toMatch(/^toolu_/);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
  });

  it('sends real SSE framing, thinking blocks included', async () => {
    const content = [
      { type: 'thinking', thinking: 'First I weigh the options carefully, then decide.', signature: 'sig-1' },
      { type: 'text', text: 'Decided.' },
    ];
    const { api, client } = await start({ responder: [{ kind: 'message', content }, textReply('hi')] });
    const msg = await client.messages.stream(ask('Think')).finalMessage();
    expect(msg.content).toEqual(content);

    // Raw framing, as Claude Code's own SSE parser sees it.
    const res = await fetch(`${api.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({ ...ask('raw'), stream: true }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const raw = await res.text();
    const events = [...raw.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(events).toEqual([
      'message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop',
    ]);
    expect(raw).toContain('data: {"type":"message_stop"}\n\n');
  });

  it('delays the first token by firstTokenDelayMs', async () => {
    const { api, client } = await start({ responder: [textReply('late', { firstTokenDelayMs: 120 })] });
    let connectAt = 0;
    let firstAt = 0;
    const stream = client.messages.stream(ask('Wait'));
    stream.once('connect', () => (connectAt = performance.now()));
    stream.once('text', () => (firstAt = performance.now()));
    await stream.finalMessage();
    // Headers and message_start come at once; only the first delta waits.
    expect(firstAt - api.requests[0]!.startedAt).toBeGreaterThanOrEqual(115);
    expect(firstAt - connectAt).toBeGreaterThanOrEqual(100);
  });
});

describe('fake API: timing', () => {
  it('applies latencyMs plus the reply delayMs', async () => {
    const { api, client } = await start({ responder: [textReply('slow', { delayMs: 60 })], latencyMs: 80 });
    const t0 = performance.now();
    await client.messages.create(ask('Slowly'));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(135);
    const rec = api.requests[0]!;
    expect(rec.endedAt - rec.startedAt).toBeGreaterThanOrEqual(135);
  });

  it('records overlapping time spans for concurrent calls', async () => {
    const { api, client } = await start({ responder: [textReply('a'), textReply('b')], latencyMs: 150 });
    const [a, b] = await Promise.all([client.messages.create(ask('one')), client.messages.create(ask('two'))]);
    expect([a.content[0], b.content[0]]).toEqual([{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }]);
    const [r0, r1] = api.requests as [typeof api.requests[0], typeof api.requests[0]];
    expect(r0.startedAt).toBeLessThan(r1.endedAt);
    expect(r1.startedAt).toBeLessThan(r0.endedAt);
  });
});
