/**
 * Spending caps against the fake API in its Claude 5.x mode, where thinking makes calls cost what
 * they really cost: caps too small for any run are refused before a call, caps hold for the whole
 * run (Prelude and Coda included, even when a reply runs far longer than expected), the dry run's
 * estimate lands within 2× of the run's cost, and an oversized or binary question is refused. A
 * dry run that may not pay for its Prelude (caps too small, a question over the limit) gives a
 * rough range with no call.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { billedCost } from '../fake-api/claude-5-rules.js';
import { jsonReply, startFakeApi, type FakeApi, type RecordedRequest } from '../fake-api/index.js';
import { CACHE_QUESTION, steadyResponder } from '../helpers/model-runs.js';
import { codaReply, stepOf } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const MODEL = 'claude-sonnet-5-5';
const billedTokens = (requests: RecordedRequest[]) =>
  requests.reduce((sum, r) => sum + (r.usage ? r.usage.input_tokens + r.usage.output_tokens + r.usage.cache_read_input_tokens + r.usage.cache_creation_input_tokens : 0), 0);
const billedUsd = (requests: RecordedRequest[]) => requests.reduce((sum, r) => sum + (r.usage ? billedCost(MODEL, r.usage) : 0), 0);

async function emulated(score: number, override?: (request: RecordedRequest) => ReturnType<ReturnType<typeof steadyResponder>> | undefined) {
  api = await startFakeApi({ emulate: 'claude-5', responder: (request) => override?.(request) ?? steadyResponder(score)(request) });
  return api;
}

describe('caps too small for any run', () => {
  it.each([
    [['--max-tokens', '10'], '--max-tokens 10 cannot cover even the Prelude and a direct answer'],
    [['--max-cost', '0.001'], '--max-cost $0.0010 cannot cover even the Prelude and a direct answer'],
  ])('%s is refused with exit 2, before any call or log', async (flags, message) => {
    await emulated(3);
    const home = tempHome();
    const result = await runCli(['trace', ...flags, CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`mythos: ${message}`);
    expect(api!.requests).toHaveLength(0);
    expect(existsSync(join(home, 'runs')) ? readdirSync(join(home, 'runs')).filter((f) => f.endsWith('.jsonl')) : []).toEqual([]);
    // The hint's next step works: a dry run under the floor it names is not refused again.
    const hint = /^hint: raise it to at least (--max-\w+) (\S+): .*; to see a full run's plan and cost range first: mythos --dry-run \1 \2 … \(this command with --dry-run gives a rough range, no call made\)$/m.exec(result.stderr);
    expect(hint).not.toBeNull();
    const dry = await runCli(['trace', '--dry-run', hint![1]!, hint![2]!, CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: home }) });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('cost');
    expect(api!.requests).toHaveLength(1);
  });

  it.each([
    [['--max-cost', '0.001'], /^\*\*Estimated cost:\*\* \$\d+\.\d+ – \$\d+\.\d+ with claude-sonnet-5-5 at list prices$/m],
    [['--max-tokens', '10'], /^\*\*Estimated tokens:\*\* \d+–\d+, of which thinking/m],
  ])('a dry run under %j shows a rough range with no call, and says the caps cannot cover a run', async (flags, line) => {
    await emulated(3);
    const home = tempHome();
    const result = await runCli(['--dry-run', ...flags, CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('## Estimate (dry run, no call made)');
    expect(result.stdout).toMatch(/^\*\*Calls:\*\* 2–\d+ including the Prelude$/m);
    expect(result.stdout).toMatch(line);
    expect(result.stderr).toMatch(new RegExp(`^mythos: a real run would be refused: ${flags[0]} \\S+ cannot cover even the Prelude and a direct answer`, 'm'));
    expect(result.stderr).toMatch(/^hint: raise it to at least --max-\w+ \d+(\.\d\d)?: that pays for the Prelude and a direct answer, and a deeper run needs more$/m);
    expect(result.stderr).not.toContain('--dry-run');
    expect(api!.requests).toHaveLength(0);
    expect(existsSync(join(home, 'runs'))).toBe(false);
    // A real run under the same cap is still refused.
    expect((await runCli([...flags, CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: home }) })).code).toBe(2);
    expect(api!.requests).toHaveLength(0);
  });

  it('the rough range brackets what a dry run with its Prelude estimates', async () => {
    await emulated(3);
    const env = cliEnv(api!.url, { MYTHOS_HOME: tempHome() });
    const rough = await runCli(['--json', '--dry-run', '--max-cost', '0.001', CACHE_QUESTION], { env });
    const planned = await runCli(['--json', '--dry-run', CACHE_QUESTION], { env });
    const { estimate, refused, plan } = JSON.parse(rough.stdout);
    expect(plan).toBeNull();
    expect(refused).toEqual({ message: expect.stringContaining('--max-cost $0.0010 cannot cover'), hint: expect.stringContaining('raise it to at least --max-cost') });
    const full = JSON.parse(planned.stdout).plan;
    expect(estimate.costUsd.min).toBeLessThanOrEqual(full.costUsd.min);
    expect(estimate.costUsd.max).toBeGreaterThanOrEqual(full.costUsd.max);
    expect(api!.requests).toHaveLength(1); // the second dry run's Prelude only
  });

  it('calibrate, which has no --dry-run, does not suggest one', async () => {
    await emulated(3);
    const result = await runCli(['calibrate', '--case', 'sqlite-vs-postgres', '--max-cost', '0.001', '--out', tempHome()], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mythos: --max-cost \$0\.0010 cannot cover even the Prelude/m);
    expect(result.stderr).toMatch(/^hint: raise it to at least --max-cost \d+\.\d\d: /m);
    expect(result.stderr).not.toContain('dry-run');
    expect(api!.requests).toHaveLength(0);
  });
});

describe('caps hold for the whole run', () => {
  it.each([
    ['trace', ['trace', '--max-tokens', '40000'], 40_000],
    ['agent', ['deep', '--max-tokens', '45000'], 45_000],
  ])('%s: the tokens billed stay under --max-tokens, Prelude and Coda included', async (_, args, cap) => {
    await emulated(3);
    const result = await runCli([...args, CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('mythos: budget reached: ');
    expect(billedTokens(api!.requests)).toBeLessThanOrEqual(cap);
  });

  it('the dollars billed stay under --max-cost', async () => {
    await emulated(3);
    const result = await runCli(['trace', '--max-cost', '0.22', CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(billedUsd(api!.requests)).toBeLessThanOrEqual(0.22);
  });

  it('a Coda that thinks far longer than expected is asked again at low effort, within the cap', async () => {
    const codaAt = (request: RecordedRequest) => request.body.output_config?.effort;
    // Thinking that only fits at low effort: the first Coda is cut at the room the caps leave.
    await emulated(3, (request) => (stepOf(request, true) === 'coda' ? jsonReply(codaReply(), { thinkingTokens: codaAt(request) === 'low' ? 500 : 60_000 }) : undefined));
    const result = await runCli(['trace', '--max-tokens', '40000', CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('## Answer');
    const codas = api!.requests.filter((r) => stepOf(r, true) === 'coda');
    expect(codas.map(codaAt)).toEqual(['high', 'low']);
    expect(billedTokens(api!.requests)).toBeLessThanOrEqual(40_000);
  });

  it('a Coda that cannot fit even at low effort ends the run with exit 1, the cap held and the spend logged', async () => {
    await emulated(3, (request) => (stepOf(request, true) === 'coda' ? jsonReply(codaReply(), { thinkingTokens: 60_000 }) : undefined));
    const home = tempHome();
    const result = await runCli(['trace', '--max-tokens', '40000', CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/mythos: Coda at low effort did not fit under the budget: the reply needed more than the \d+ tokens the caps left room for \(request req_fake_\d+\)/);
    expect(result.stderr).toMatch(/hint: raise --max-cost or --max-tokens, or lower --effort, when you continue with: mythos resume \S+/);
    expect(billedTokens(api!.requests)).toBeLessThanOrEqual(40_000);
    // Both cut-off Codas were billed, and the log counts them as failed calls.
    const dir = join(home, 'runs');
    const events = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!), 'utf8').trim().split('\n').map((l) => JSON.parse(l).event);
    const failed = events.filter((e) => e.type === 'call' && e.call.failed);
    expect(failed.map((e) => e.call.step)).toEqual(['coda', 'coda']);
    const logged = events.filter((e) => e.type === 'call').reduce((sum, e) => sum + e.call.usage.input + e.call.usage.output + e.call.usage.cacheRead + e.call.usage.cacheWrite, 0);
    expect(logged).toBe(billedTokens(api!.requests));
  });
});

describe('the dry run’s estimate', () => {
  async function estimateAndRun(args: string[], question: string, model = MODEL): Promise<{ low: number; high: number; real: number }> {
    const dry = await runCli(['--dry-run', '--json', '--model', model, '--max-question', '1000000', ...args], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }), stdin: question });
    expect(dry.code).toBe(0);
    const { plan } = JSON.parse(dry.stdout);
    const before = api!.requests.length;
    const run = await runCli(['--json', '--model', model, '--max-question', '1000000', ...args], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }), stdin: question });
    expect(run.code).toBe(0);
    return { low: plan.costUsd.min, high: plan.costUsd.max, real: api!.requests.slice(before).reduce((sum, r) => sum + (r.usage ? billedCost(model, r.usage) : 0), 0) };
  }

  it.each([
    ['trace, short question', ['trace'], CACHE_QUESTION, MODEL, 3],
    ['agent, short question', ['deep'], CACHE_QUESTION, MODEL, 3],
    ['trace, a 60,000-character question', ['trace'], `${CACHE_QUESTION}\n\n${'Context about our traffic and stack. '.repeat(1_620)}`, MODEL, 3],
    // A model that does not think: its output is nearly all reply, which the caps' prior sizes high.
    ['claude-haiku-4-5, direct', [], CACHE_QUESTION, 'claude-haiku-4-5', 1],
    ['claude-haiku-4-5, agent', ['deep'], CACHE_QUESTION, 'claude-haiku-4-5', 3],
    // Sized at three characters a token this question would cross the model's long-prompt price.
    ['claude-haiku-5-5, a 380,000-character question', ['trace'], `${CACHE_QUESTION}\n\n${'Context about our traffic and stack. '.repeat(10_500)}`, 'claude-haiku-5-5', 3],
  ])('%s: within 2× of what the run cost', async (_, args, question, model, score) => {
    await emulated(score);
    const { low, high, real } = await estimateAndRun(args, question, model);
    expect(real).toBeGreaterThan(0);
    expect(low / 2).toBeLessThanOrEqual(real);
    expect(high * 2).toBeGreaterThanOrEqual(real);
    expect(Math.max(real, (low + high) / 2) / Math.min(real, (low + high) / 2)).toBeLessThanOrEqual(2);
  });

  it('under --max-cost: says the cap will stop the run early, and holds the estimate at the cap', async () => {
    await emulated(3);
    const dry = await runCli(['--dry-run', '--max-cost', '0.3', 'trace', CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }) });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('**Caps:** --max-cost $0.30 will stop the run before the whole plan (the estimate is held at the caps)');
    const cost = /\*\*Estimated cost:\*\* (.*) with/.exec(dry.stdout)?.[1] ?? '';
    for (const amount of cost.match(/\$[\d.]+/g) ?? []) expect(Number(amount.slice(1))).toBeLessThanOrEqual(0.3);
    const json = await runCli(['--dry-run', '--json', '--max-cost', '0.3', 'trace', CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }) });
    const { plan } = JSON.parse(json.stdout);
    expect(plan.cappedBy).toEqual({ maxCostUsd: 0.3, maxTokens: null });
    expect(plan.costUsd.max).toBeLessThanOrEqual(0.3);
  });
});

describe('the question itself', () => {
  it('refuses a question over the size limit before any call, and takes it when the limit is raised', async () => {
    await emulated(1);
    const big = `${CACHE_QUESTION} ${'x'.repeat(120_000)}`;
    const refused = await runCli([], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }), stdin: big });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('mythos: the question is 120,065 characters; the limit is 100,000');
    expect(refused.stderr).toMatch(/^hint: shorten it; or, since every call re-sends it \(about [\d,]+ tokens each\), raise the limit with --max-question 120065 and cap the spend with --max-cost; to see its cost range first: the same command with --dry-run \(no call made\)$/m);
    // The dry run the hint names shows a range without a Prelude (which would send the whole question, paid).
    const home = tempHome();
    const dry = await runCli(['--dry-run'], { env: cliEnv(api!.url, { MYTHOS_HOME: home }), stdin: big });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('## Estimate (dry run, no call made)');
    expect(dry.stdout).toMatch(/^\*\*Estimated cost:\*\* \$\d+\.\d+ – \$\d+\.\d+ with claude-sonnet-5-5/m);
    expect(dry.stderr).toContain('mythos: a real run would be refused: the question is 120,065 characters; the limit is 100,000');
    expect(dry.stderr).not.toContain('--dry-run');
    expect(api!.requests).toHaveLength(0);
    expect(existsSync(join(home, 'runs'))).toBe(false);
    const taken = await runCli(['--max-question', '200000'], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }), stdin: big });
    expect(taken.code).toBe(0);
    const viaEnv = await runCli([], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome(), MYTHOS_MAX_QUESTION: '50' }), stdin: CACHE_QUESTION });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toContain('the limit is 50');
  });

  it('refuses binary input on stdin with exit 2 and no call', async () => {
    await emulated(1);
    const binary = await runCli([], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }), stdin: 'PK\u0003\u0004\u0000\u0000zip' });
    expect(binary.code).toBe(2);
    expect(binary.stderr).toContain('mythos: the question on stdin holds binary data (a NUL byte at byte 4)');
    expect(api!.requests).toHaveLength(0);
  });
});
