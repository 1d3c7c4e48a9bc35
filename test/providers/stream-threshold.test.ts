import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AnthropicProvider, streamAboveTokens } from '../../src/providers/anthropic.js';
import { jsonReply, startFakeApi, type FakeApi } from '../fake-api/index.js';

const Reply = z.object({ ok: z.boolean() });

function request(maxTokens: number) {
  return {
    step: 'round' as const, label: 'round 1', system: 'Be brief.', prompt: 'Say ok.', schema: Reply,
    maxTokens, maxTokensCeiling: maxTokens, effort: null,
  };
}

describe('which calls stream', () => {
  it('holds the SDK’s hour-per-128K-tokens estimate against the per-attempt timeout', () => {
    expect(streamAboveTokens(300_000)).toBe(10_666);
    expect(streamAboveTokens(60_000)).toBe(2_133);
    // The SDK's own ten-minute ceiling still applies to a longer timeout.
    expect(streamAboveTokens(3_600_000)).toBe(21_333);
  });

  let api: FakeApi;
  const saved = { url: process.env.ANTHROPIC_BASE_URL, key: process.env.ANTHROPIC_API_KEY };
  beforeEach(async () => {
    api = await startFakeApi({ responder: () => jsonReply({ ok: true }) });
    process.env.ANTHROPIC_BASE_URL = api.url;
    process.env.ANTHROPIC_API_KEY = 'sk-test';
  });
  afterEach(async () => {
    await api.close();
    for (const [name, value] of [['ANTHROPIC_BASE_URL', saved.url], ['ANTHROPIC_API_KEY', saved.key]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('streams a call whose reply could outlast the timeout, and sends a short one plainly', async () => {
    const provider = new AnthropicProvider({ model: 'claude-sonnet-5-5', timeoutMs: 300_000, maxRetries: 0 });
    await provider.call(request(10_666));
    await provider.call(request(10_667));
    expect(api.requests.map((r) => [r.body.max_tokens, r.body.stream === true])).toEqual([[10_666, false], [10_667, true]]);
  });

  it('streams sooner under a shorter --timeout', async () => {
    const provider = new AnthropicProvider({ model: 'claude-sonnet-5-5', timeoutMs: 60_000, maxRetries: 0 });
    const reply = await provider.call(request(4_000));
    expect(reply.value).toEqual({ ok: true });
    expect(api.requests[0]?.body.stream).toBe(true);
  });
});
