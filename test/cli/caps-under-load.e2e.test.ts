/**
 * Caps where they are hardest to hold, against the fake API's 5.x mode: subagents in flight at
 * once, attempts that fail after being billed, a round whose judge no longer fits, and a run
 * resumed with more room after its caps ran out. Every token the API billed is in the log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jsonReply, startFakeApi, textReply, type FakeApi, type FakeReply, type RecordedRequest } from '../fake-api/index.js';
import { CACHE_QUESTION, steadyResponder } from '../helpers/model-runs.js';
import { codaReply, promptOf, stepOf } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { onlyRunEvents } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const billed = (requests: RecordedRequest[]) =>
  requests.reduce((sum, r) => sum + (r.usage ? r.usage.input_tokens + r.usage.output_tokens + r.usage.cache_read_input_tokens + r.usage.cache_creation_input_tokens : 0), 0);

/** Tokens the log counts in its last attempt (calls replayed from earlier attempts included). */
function loggedTokens(events: Array<{ type: string; call?: { usage: Record<string, number> } }>): number {
  const lastStart = events.map((e) => e.type).lastIndexOf('run.start');
  return events.slice(lastStart).filter((e) => e.type === 'call')
    .reduce((sum, e) => sum + e.call!.usage.input! + e.call!.usage.output! + e.call!.usage.cacheRead! + e.call!.usage.cacheWrite!, 0);
}

async function emulated(score: number, override: (request: RecordedRequest) => FakeReply | undefined) {
  api = await startFakeApi({ emulate: 'claude-5', responder: (request) => override(request) ?? steadyResponder(score)(request) });
  return api;
}

describe('subagents in flight together', () => {
  it('share what the cap leaves instead of each taking all of it', async () => {
    await emulated(4, (request) => (stepOf(request, true) === 'subagent'
      ? jsonReply({ finding: 'A shared cache absorbs the hot reads.', confidence: 'medium', stance: 'tiered' }, { thinkingTokens: 9_000 })
      : undefined));
    const home = tempHome();
    const result = await runCli(['deep', '--max-tokens', '70000', CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('## Answer');
    expect(billed(api!.requests)).toBeLessThanOrEqual(70_000);
    expect(loggedTokens(onlyRunEvents(home))).toBe(billed(api!.requests));
  });
});

describe('attempts that fail after being billed', () => {
  it('are counted against the cap and logged as failed calls', async () => {
    // Two subagents reply with no usable JSON, first time and on repair: four billed attempts.
    let broken = 0;
    await emulated(4, (request) => (stepOf(request, true) === 'subagent' && broken++ < 4 ? textReply('not json at all', { thinkingTokens: 7_000 }) : undefined));
    const home = tempHome();
    const result = await runCli(['deep', '--concurrency', '1', '--max-tokens', '60000', CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: home }) });
    expect(billed(api!.requests)).toBeLessThanOrEqual(60_000);
    const events = onlyRunEvents(home);
    expect(events.filter((e) => e.type === 'call' && e.call.failed).length).toBeGreaterThanOrEqual(1);
    expect(loggedTokens(events)).toBe(billed(api!.requests));
    expect([0, 1]).toContain(result.code);
  });

  it('a refusing subagent is not asked twice', async () => {
    await emulated(4, (request) => (stepOf(request, true) === 'subagent' && /lens name="Challenge"/.test(promptOf(request))
      ? { kind: 'message', content: [], stop_reason: 'refusal', stop_details: { type: 'refusal', category: 'general_harms', explanation: null } }
      : undefined));
    const result = await runCli(['deep', CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    const challenge = api!.requests.filter((r) => stepOf(r, true) === 'subagent' && /lens name="Challenge"/.test(promptOf(r)));
    expect(challenge).toHaveLength(1);
    expect(result.stdout).toContain('(failed: subagent');
  });
});

describe('a round that thinks far more than expected', () => {
  it('leaves room for its judge: every paid round is in the record, and the block stops for budget', async () => {
    let rounds = 0;
    await emulated(3, (request) => {
      if (stepOf(request, true) !== 'round') return undefined;
      rounds++;
      return rounds === 2 ? { ...(steadyResponder(3)(request) as object), thinkingTokens: 40_000 } as FakeReply : undefined;
    });
    const home = tempHome();
    const result = await runCli(['trace', '--effort', 'xhigh', '--max-tokens', '120000', CACHE_QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    const events = onlyRunEvents(home);
    const paidRounds = events.filter((e) => e.type === 'call' && e.call.step === 'round' && !e.call.failed).length;
    expect(events.filter((e) => e.type === 'round')).toHaveLength(paidRounds);
    expect(events.find((e) => e.type === 'stop')).toMatchObject({ reason: 'budget' });
    expect(billed(api!.requests)).toBeLessThanOrEqual(120_000);
  });
});

describe('resuming with more room', () => {
  it('finishes a run whose caps ran out, with its earlier spend still counted', async () => {
    let roomy = false;
    await emulated(3, (request) => (stepOf(request, true) === 'coda' ? jsonReply(codaReply(), { thinkingTokens: roomy ? 500 : 60_000 }) : undefined));
    const home = tempHome();
    const env = cliEnv(api!.url, { MYTHOS_HOME: home });
    const first = await runCli(['trace', '--max-tokens', '40000', CACHE_QUESTION], { env });
    expect(first.code).toBe(1);
    const spentFirst = billed(api!.requests);
    roomy = true;
    const resumed = await runCli(['resume', 'last', '--max-tokens', '200000', '--effort', 'medium'], { env });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('## Answer');
    // Only the missing calls went out again, and the log's last attempt counts everything billed.
    expect(api!.requests.slice(api!.requests.length - 2).map((r) => stepOf(r, true))).toEqual(['coda', 'cross-check']);
    expect(loggedTokens(onlyRunEvents(home))).toBe(billed(api!.requests));
    expect(billed(api!.requests)).toBeGreaterThan(spentFirst);
    expect(billed(api!.requests)).toBeLessThanOrEqual(200_000);
  });
});
