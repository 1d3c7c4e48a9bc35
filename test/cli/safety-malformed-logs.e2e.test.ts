/**
 * A run log whose lines parse but whose run.start says nonsense is refused by `resume` before
 * any call: exit 2, "run log … is malformed: …", zero requests. The question limit holds too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { byRoundNumber, runLogPath } from '../helpers/run-logs.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const ID = '20261205-115501-ab12';
const OPTIONS = { mode: null, keyword: 'trace', maxRounds: null, concurrency: 8, maxCostUsd: null, maxTokens: null, dryRun: false, timeoutMs: 300000, retries: 4, effort: null };
const start = (fields: Record<string, unknown>) => ({ type: 'run.start', runId: ID, question: 'Pivot or stay?', model: 'claude-sonnet-5-5', options: OPTIONS, ...fields });

function logWith(home: string, event: unknown, at = '2026-12-05T11:55:01.000Z'): void {
  mkdirSync(join(home, 'runs'), { recursive: true, mode: 0o700 });
  writeFileSync(runLogPath(home, ID), `${JSON.stringify({ at, event })}\n`, { mode: 0o600 });
}

describe('resume of a run log that parses but is malformed', () => {
  it.each([
    ['run.start with no fields', { type: 'run.start' }, undefined, /line 1: run\.start runId: .*question: .*options: /],
    ['a time that is not one', start({}), 'not a date', /line 1: "at" is not a time \("not a date"\)/],
    ['an empty question', start({ question: '   ' }), undefined, /line 1: run\.start question: the question is empty/],
    ['a negative cost cap', start({ options: { ...OPTIONS, maxCostUsd: -1 } }), undefined, /line 1: run\.start options\.maxCostUsd: /],
    ['a mode that does not exist', start({ options: { ...OPTIONS, mode: 'turbo' } }), undefined, /line 1: run\.start options\.mode: /],
  ])('%s: exit 2 naming the file, no request', async (_name, event, at, problem) => {
    api = await startFakeApi({ responder: byRoundNumber() });
    const home = tempHome();
    logWith(home, event, at);
    const result = await runCli(['resume', ID], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(2);
    const [message, hint, ...rest] = result.stderr.trim().split('\n');
    expect(message).toContain(`mythos: run log ${runLogPath(home, ID)} is malformed: `);
    expect(message).toMatch(problem);
    expect(hint).toMatch(/^hint: /);
    expect(rest).toEqual([]);
    expect(result.stderr).not.toMatch(/unexpected|--max-cost/);
    expect(api.requests).toHaveLength(0);
  });

  it('a question over the limit in the log: exit 2 before any call, with the way to go on', async () => {
    api = await startFakeApi({ responder: byRoundNumber() });
    const home = tempHome();
    logWith(home, start({ question: 'x'.repeat(100_001) }));
    const result = await runCli(['resume', ID], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe([
      'mythos: the question is 100,001 characters; the limit is 100,000',
      `hint: every call re-sends the question, so each remaining call pays for all of it; to go on anyway: MYTHOS_MAX_QUESTION=100001 mythos resume ${ID}`,
      '',
    ].join('\n'));
    expect(api.requests).toHaveLength(0);
    // The stated way on works.
    const raised = await runCli(['--quiet', 'resume', ID], { env: cliEnv(api.url, { MYTHOS_HOME: home, MYTHOS_MAX_QUESTION: '100001' }) });
    expect(raised.stderr).toBe('');
    expect(raised.code).toBe(0);
    expect(api.requests.length).toBeGreaterThan(0);
  });

  it('show and runs say the same or skip it, never crash', async () => {
    const home = tempHome();
    logWith(home, { type: 'run.start' });
    const show = await runCli(['show', ID], { env: cliEnv(null, { MYTHOS_HOME: home }) });
    expect(show.code).toBe(2);
    expect(show.stderr).toContain('is malformed');
    const runs = await runCli(['runs'], { env: cliEnv(null, { MYTHOS_HOME: home }) });
    expect(runs.code).toBe(0);
    expect(runs.stderr + runs.stdout).not.toContain('unexpected');
  });
});
