// The fake's Claude 5.x mode against the REAL SDK: what a 5.x model refuses, how thinking spends
// max_tokens and shows up in usage (JSON and SSE), and when the prompt cache holds.
import Anthropic, { BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonReply, startFakeApi, textReply, type FakeApi, type FakeReply } from './index.js';

const open: FakeApi[] = [];

async function start(responder: FakeReply[] | (() => FakeReply)): Promise<{ api: FakeApi; client: Anthropic }> {
  const api = await startFakeApi({ responder, emulate: 'claude-5' });
  open.push(api);
  return { api, client: new Anthropic({ baseURL: api.url, apiKey: 'test-key', maxRetries: 0, timeout: 60_000 }) };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

const ask = (model: string, extra: Record<string, unknown> = {}) => ({
  model, max_tokens: 16_000, messages: [{ role: 'user' as const, content: 'Which store fits a desktop app?' }], ...extra,
});

async function rejection(client: Anthropic, body: Record<string, unknown>): Promise<unknown> {
  return client.messages.create(body as never).catch((error: unknown) => error);
}

describe('Claude 5.x mode: requests a model refuses', () => {
  it('answers 400 with the API message for each shape the docs list, and never asks the script', async () => {
    const { api, client } = await start(() => textReply('should not be sent'));
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [ask('claude-sonnet-5-5', { thinking: { type: 'disabled' } }), /thinking\.type\.disabled\\" is not supported/],
      [ask('claude-opus-5-5', { thinking: { type: 'enabled', budget_tokens: 2048 } }), /thinking\.type\.enabled\\" is not supported/],
      [ask('claude-haiku-5-5', { thinking: { type: 'disabled' }, output_config: { effort: 'max' } }), /not supported at effort 'max'/],
      [ask('claude-haiku-4-5', { output_config: { effort: 'low' } }), /does not support the effort parameter/],
      [ask('claude-sonnet-5-5', { max_tokens: 200_000 }), /maximum allowed number of output tokens/],
      [ask('claude-fable-5-1', { tools: [{ name: 't', input_schema: { type: 'object' } }], tool_choice: { type: 'any' } }), /tool_choice/],
      [ask('claude-sonnet-5-5', { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: '{' }] }), /prefill/],
      [ask('claude-sonnet-5-5', { output_config: { format: { type: 'json_schema', schema: { type: 'array', maxItems: 2 } } } }), /'maxItems' is not supported/],
    ];
    for (const [body, message] of cases) {
      const error = await rejection(client, body);
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as Error).message).toMatch(message);
    }
    // The SDK's types have no sampling parameters any more; a raw request still gets the 400.
    const raw = await fetch(`${api.url}/v1/messages`, { method: 'POST', body: JSON.stringify(ask('claude-sonnet-5-5', { temperature: 0.2 })) });
    expect(raw.status).toBe(400);
    expect(api.requests.every((r) => r.status === 400)).toBe(true);
  });

  it('answers 404 for a model id the API does not know', async () => {
    const { client } = await start([textReply('never')]);
    expect(await rejection(client, ask('claude-sonnet-9'))).toBeInstanceOf(NotFoundError);
  });

  it('takes what a model accepts: disabled thinking at high effort on Haiku 5.5, effort on Opus 5.5', async () => {
    const { api, client } = await start(() => textReply('fine'));
    await client.messages.create({ ...ask('claude-haiku-5-5'), thinking: { type: 'disabled' }, output_config: { effort: 'high' } });
    await client.messages.create({ ...ask('claude-opus-5-5'), output_config: { effort: 'xhigh' } });
    expect(api.requests.map((r) => r.status)).toEqual([200, 200]);
  });
});

describe('Claude 5.x mode: thinking spends max_tokens', () => {
  it('opens the reply with a thinking block and counts its tokens as output', async () => {
    const { client } = await start([jsonReply({ answer: 'SQLite' }, { thinkingTokens: 3_000 })]);
    const message = await client.messages.create(ask('claude-sonnet-5-5'));
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: '' });
    expect(message.usage.output_tokens_details?.thinking_tokens).toBe(3_000);
    expect(message.usage.output_tokens).toBe(3_000 + Math.ceil(JSON.stringify({ answer: 'SQLite' }).length / 4));
    expect(message.stop_reason).toBe('end_turn');
  });

  it('thinks more at higher effort, and not at all on a model that thinks only when asked', async () => {
    const { client } = await start(() => textReply('ok'));
    const at = async (model: string, effort?: string) =>
      (await client.messages.create({ ...ask(model), ...(effort ? { output_config: { effort } } : {}) } as never) as Anthropic.Message).usage.output_tokens_details?.thinking_tokens ?? 0;
    const low = await at('claude-sonnet-5-5', 'low');
    const high = await at('claude-sonnet-5-5', 'high');
    expect(high).toBeGreaterThan(low * 3);
    expect(await at('claude-haiku-4-5')).toBe(0);
  });

  it('stops at max_tokens with only a thinking block when thinking used it all (JSON and SSE)', async () => {
    const { client } = await start(() => jsonReply({ answer: 'x' }, { thinkingTokens: 5_000 }));
    const plain = await client.messages.create({ ...ask('claude-opus-5-5'), max_tokens: 1_200 });
    expect(plain.stop_reason).toBe('max_tokens');
    expect(plain.content.map((b) => b.type)).toEqual(['thinking']);
    expect(plain.usage.output_tokens).toBe(1_200);
    const streamed = await client.messages.stream({ ...ask('claude-opus-5-5'), max_tokens: 1_200 }).finalMessage();
    expect(streamed.stop_reason).toBe('max_tokens');
    expect(streamed.content.map((b) => b.type)).toEqual(['thinking']);
    expect(streamed.usage.output_tokens_details?.thinking_tokens).toBe(1_200);
  });

  it('cuts the reply text where thinking left too little room', async () => {
    const { client } = await start([textReply('word '.repeat(400), { thinkingTokens: 900 })]);
    const message = await client.messages.create({ ...ask('claude-sonnet-5-5'), max_tokens: 1_000 });
    expect(message.stop_reason).toBe('max_tokens');
    const text = message.content.find((b) => b.type === 'text');
    expect(text?.type === 'text' && text.text.length).toBe(400);
  });
});

describe('Claude 5.x mode: the prompt cache', () => {
  const system = (chars: number) => [{ type: 'text' as const, text: 'x'.repeat(chars), cache_control: { type: 'ephemeral' as const } }];

  it('writes a prefix above the minimum once, then reads it; a new effort is a new prefix', async () => {
    const { client } = await start(() => textReply('ok'));
    const call = async (effort: 'low' | 'high') => (await client.messages.create({ ...ask('claude-sonnet-5-5'), system: system(4_000), output_config: { effort } })).usage;
    const first = await call('low');
    const second = await call('low');
    const other = await call('high');
    expect(first.cache_creation_input_tokens).toBeGreaterThan(512);
    expect(first.cache_read_input_tokens).toBe(0);
    expect(second.cache_read_input_tokens).toBe(first.cache_creation_input_tokens);
    expect(second.cache_creation_input_tokens).toBe(0);
    expect(other.cache_creation_input_tokens).toBe(first.cache_creation_input_tokens);
  });

  it('caches nothing below the model minimum, without an error', async () => {
    const { client } = await start(() => textReply('ok'));
    const usage = async () => (await client.messages.create({ ...ask('claude-haiku-4-5'), system: system(8_000) })).usage;
    await usage();
    const again = await usage();
    expect(again.cache_read_input_tokens).toBe(0);
    expect(again.cache_creation_input_tokens).toBe(0);
  });
});
