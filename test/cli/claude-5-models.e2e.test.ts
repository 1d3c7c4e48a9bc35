/**
 * Every mode, with every model in the catalogue, against the fake API behaving as the 5.x API
 * does (thinking on by default and spending max_tokens, 400 for what a model refuses): no request
 * is refused, no reply is repaired, the transcript passes `mythos check`, and the cost mythos
 * reports is what the published prices make of the usage the API reported.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAUDE_5_RULES, billedCost } from '../fake-api/claude-5-rules.js';
import { startFakeApi, type FakeApi, type RecordedRequest } from '../fake-api/index.js';
import { failingChecks } from '../helpers/check-output.js';
import { CACHE_QUESTION, MODE_RUNS, steadyResponder } from '../helpers/model-runs.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

const MODELS = Object.keys(CLAUDE_5_RULES);

let api: FakeApi;
let score = 1;
beforeAll(async () => {
  api = await startFakeApi({ emulate: 'claude-5', responder: (request) => steadyResponder(score)(request) });
});
afterAll(async () => api.close());

function messagesSince(from: number): RecordedRequest[] {
  return api.requests.slice(from).filter((r) => r.path === '/v1/messages');
}

describe.each(MODELS)('%s with thinking at its default', (model) => {
  const rules = CLAUDE_5_RULES[model]!;

  it.each(MODE_RUNS.map((run) => [run.mode, run] as const))('%s mode completes, unrefused, at list prices', async (mode, run) => {
    score = run.score;
    const from = api.requests.length;
    const home = tempHome();
    const result = await runCli([...run.args, '--model', model, '--json', CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.stderr.replace(/^mythos: Claude .* is a legacy model.*\n/m, '')).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.mode).toBe(mode);
    expect(failingChecks(json.markdown)).toEqual([]);

    const sent = messagesSince(from);
    // Nothing the real API would refuse: no 400, no 404; and no repair or regrown retry either.
    expect(sent.map((r) => r.status)).toEqual(sent.map(() => 200));
    expect(sent).toHaveLength(json.calls.length);
    for (const request of sent) {
      expect(request.body.thinking).toBeUndefined();
      expect(request.body.max_tokens).toBeLessThanOrEqual(rules.maxOutput);
      const effort = request.body.output_config?.effort;
      if (rules.effortLevels.length === 0) expect(effort).toBeUndefined();
      else expect(rules.effortLevels).toContain(effort);
      expect(request.body.messages.at(-1).role).toBe('user');
    }
    if (rules.thinksByDefault) expect(json.usage.thinking_tokens).toBeGreaterThan(0);

    // The cost is the published prices applied to the usage the API reported, call by call.
    const expected = sent.reduce((sum, r) => sum + billedCost(model, r.usage!), 0);
    expect(json.usage.estimated_cost_usd).toBeCloseTo(expected, 5);
    const logged = readFileSync(join(home, 'runs', readdirSync(join(home, 'runs')).find((f) => f.endsWith('.jsonl'))!), 'utf8');
    expect(logged).toContain('"effort"');
  });
});

describe('the cost line', () => {
  it('prints the list-price cost of the recorded usage, thinking counted', async () => {
    score = 3;
    const from = api.requests.length;
    const result = await runCli(['trace', '--model', 'claude-opus-5-5', CACHE_QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    const sent = messagesSince(from);
    const cost = sent.reduce((sum, r) => sum + billedCost('claude-opus-5-5', r.usage!), 0);
    const thinking = sent.reduce((sum, r) => sum + (r.usage!.output_tokens_details?.thinking_tokens ?? 0), 0);
    const line = result.stderr.trim().split('\n').at(-1)!;
    expect(line).toContain(`(${thinking} thinking;`);
    expect(line).toContain(`~$${cost.toFixed(2)} ·`);
  });
});
