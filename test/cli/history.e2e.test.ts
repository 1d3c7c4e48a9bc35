/**
 * Runs on disk: listing, re-rendering, residue, budgets, dry runs, and Ctrl-C then resume
 * without repeating a completed call.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonReply, startFakeApi, type FakeApi } from '../fake-api/index.js';
import { judgeReply, mythosResponder, preludeReply, promptOf, roundReply, stepOf } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { byRoundNumber, INSIGHTS, QUESTION } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const Q = QUESTION;
function onlyLog(home: string): string {
  const dir = join(home, 'runs');
  return join(dir, readdirSync(dir)[0]!);
}

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Ctrl-C and resume', () => {
  it('interrupts mid-run with exit 130, then resumes without repeating any completed call', async () => {
    const home = tempHome();
    api = await startFakeApi({ responder: byRoundNumber({ slowRound: 4 }) });
    const interrupted = await runCli(['trace', Q], {
      env: cliEnv(api.url, { MYTHOS_HOME: home }),
      onSpawn: (child) => {
        void waitFor(() => api!.requests.some((r) => /Round 4 of/.test(promptOf(r)))).then(() => child.kill('SIGINT'));
      },
    });
    expect(interrupted.code).toBe(130);
    const id = /mythos resume (\S+)/.exec(interrupted.stderr)?.[1];
    expect(id).toBeDefined();
    const before = readFileSync(onlyLog(home), 'utf8');
    expect(before).toContain('"reason":"interrupted"');
    const completed = before.split('\n').filter((l) => l.includes('"type":"call"')).length;
    expect(completed).toBe(7); // prelude, rounds 1–3 and their judges
    await api.close();

    api = await startFakeApi({ responder: byRoundNumber() });
    const resumed = await runCli(['resume', id!], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(resumed.code).toBe(0);
    const prompts = api.requests.map((r) => promptOf(r));
    expect(prompts[0]).toMatch(/Round 4 of/);
    expect(prompts.some((p) => /Round [123] of/.test(p))).toBe(false);

    // The same run uninterrupted prints the same transcript.
    await api.close();
    api = await startFakeApi({ responder: byRoundNumber() });
    const straight = await runCli(['trace', Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(resumed.stdout).toBe(straight.stdout);
  });
});

describe('resume keeps how the run was started', () => {
  const startOptions = (home: string) =>
    readFileSync(onlyLog(home), 'utf8').trim().split('\n').map((l) => JSON.parse(l).event).filter((e) => e.type === 'run.start').map((e) => e.options);

  it('reuses --timeout and --retries from the log unless resume is given its own', async () => {
    const home = tempHome();
    api = await startFakeApi({ responder: () => ({ kind: 'hang' }) });
    const hang = (args: string[]) => runCli(args, {
      env: cliEnv(api!.url, { MYTHOS_HOME: home }),
      onSpawn: (child) => {
        const seen = api!.requests.length;
        void waitFor(() => api!.requests.length > seen).then(() => child.kill('SIGINT'));
      },
    });
    const first = await hang(['--timeout', '7', '--retries', '1', Q]);
    expect(first.code).toBe(130);
    const id = /mythos resume (\S+)/.exec(first.stderr)?.[1];
    expect((await hang(['resume', id!])).code).toBe(130);
    expect((await hang(['resume', '--timeout', '9', id!])).code).toBe(130);
    expect(startOptions(home).map((o) => [o.timeoutMs, o.retries])).toEqual([[7000, 1], [7000, 1], [9000, 1]]);
  });
});

describe('run history', () => {
  it('lists runs, re-renders them, and shows the residue, with no model calls', async () => {
    const home = tempHome();
    const bad = 'Pivoting is always wrong for startups.';
    api = await startFakeApi({
      responder: mythosResponder({
        prelude: preludeReply({ score: 3, drivers: ['Hidden assumptions'], conflicts: ['be brief vs cover every option'] }),
        rounds: [roundReply(INSIGHTS[0]!), roundReply(INSIGHTS[1]!), roundReply(bad)],
        judge: (i) => (i === 3 ? judgeReply('regresses', { reason: 'contradicts R1' }) : judgeReply('advances')),
      }),
    });
    const env = cliEnv(api.url, { MYTHOS_HOME: home });
    const run = await runCli([Q], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('*Conflicting instructions: be brief vs cover every option.*');
    const calls = api.requests.length;

    const list = await runCli(['runs', '--json'], { env });
    const [summary] = JSON.parse(list.stdout);
    expect(summary).toMatchObject({ mode: 'silent', stopReason: 'negative-delta', calls, question: Q });
    const show = await runCli(['show', 'last'], { env });
    expect(show.stdout).toBe(run.stdout);
    const full = await runCli(['show', summary.id, '--full'], { env });
    expect(full.stdout).toContain('### Round 2: Deepen');
    expect(full.stdout).not.toContain(bad);
    const residue = await runCli(['residue', 'last'], { env });
    expect(residue.stdout).toContain('**Stop:** negative-delta');
    expect(residue.stdout).toContain(`- round 3 (Challenge): "${bad}"`);
    expect(residue.stdout).toContain('judged by judge-call, verdict regresses');
    expect(residue.stdout).toContain('- REGRESSION (round 3): judge: contradicts R1');
    expect(residue.stdout).toContain('- CONFLICTING_CONSTRAINTS: be brief vs cover every option');
    expect(api.requests.length).toBe(calls);
    const missing = await runCli(['show', '20990101-000000-abcd'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no run with id 20990101-000000-abcd');
  });

  it('a question that starts with a command word is asked after --', async () => {
    api = await startFakeApi({ responder: mythosResponder({ prelude: preludeReply({ score: 1 }), coda: { answer: 'Like this.' } }) });
    const env = cliEnv(api.url, { MYTHOS_HOME: tempHome() });
    expect((await runCli(['show', 'me', 'how', 'to', 'cache'], { env })).code).toBe(2);
    expect(api.requests.length).toBe(0);
    const result = await runCli(['--', 'show', 'me', 'how', 'to', 'cache'], { env });
    expect(result.code).toBe(0);
    expect(promptOf(api.requests[0]!)).toContain('show me how to cache');
  });
});

describe('budgets and dry runs', () => {
  it('stops the block before a round would pass --max-tokens, keeps the Coda, and says so', async () => {
    api = await startFakeApi({ responder: byRoundNumber() });
    const home = tempHome();
    const result = await runCli(['trace', '--max-tokens', '40000', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\*Depth: \d rounds, stopped at round \d: budget reached\. Mode: trace\.\*/);
    expect(result.stdout).toContain('*Note: the cost or token budget was reached, so the block stopped early.*');
    const events = readFileSync(onlyLog(home), 'utf8').trim().split('\n').map((l) => JSON.parse(l).event);
    const used = events.filter((e) => e.type === 'call').reduce((sum, e) => sum + e.call.usage.input + e.call.usage.output, 0);
    expect(used).toBeLessThanOrEqual(40_000);
    expect(events.find((e) => e.type === 'stop').reason).toBe('budget');
  });

  it('stops before --max-cost would be passed, and trims an agent dispatch to what fits', async () => {
    // Costs are only real with thinking on: the fake behaves as the 5.x API here.
    api = await startFakeApi({ responder: byRoundNumber(), emulate: 'claude-5' });
    const home = tempHome();
    const result = await runCli(['trace', '--max-cost', '0.25', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('stopped at round');
    expect(result.stdout).toContain(': budget reached. Mode: trace.*');
    expect(result.stderr).toContain('mythos: budget reached: ');
    const events = readFileSync(onlyLog(home), 'utf8').trim().split('\n').map((l) => JSON.parse(l).event);
    expect(events.at(-1).costUsd).toBeLessThanOrEqual(0.25);

    await api.close();
    let subagents = 0;
    const fallback = byRoundNumber();
    api = await startFakeApi({
      emulate: 'claude-5',
      responder: (request) => {
        const step = stepOf(request, true);
        if (step === 'subagent') return (subagents++, jsonReply({ finding: `finding ${subagents}`, confidence: 'medium', stance: 'a' }));
        if (step === 'merge') return jsonReply({ convergent_points: [], tensions: ['t'], synthesis: 's', divergent_subagents: [], unresolved: false, competing_positions: [] });
        return step === 're-prelude' ? jsonReply(preludeReply({ score: 3, drivers: ['Hidden assumptions'] })) : fallback(request);
      },
    });
    const agent = await runCli(['deep', '--max-cost', '0.36', Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(agent.code).toBe(0);
    expect(subagents).toBeGreaterThanOrEqual(2);
    expect(subagents).toBeLessThan(4);
    expect(agent.stdout).toContain('*Note: the cost or token budget was reached, so the block stopped early.*');
  });

  it('refuses --max-cost for a model without a known price, before any call', async () => {
    api = await startFakeApi({ responder: byRoundNumber() });
    const result = await runCli(['--model', 'acme-reasoner-1', '--max-cost', '0.50', Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-cost cannot be enforced for acme-reasoner-1: its price is not known');
    expect(result.stderr).toContain('--max-tokens');
    expect(api.requests).toHaveLength(0);
  });

  it('--dry-run runs only the Prelude and prints the plan with a cost range', async () => {
    api = await startFakeApi({ responder: byRoundNumber() });
    const home = tempHome();
    const result = await runCli(['--dry-run', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(api.requests).toHaveLength(1);
    expect(result.stdout).toContain('## Plan (dry run)\n**Complexity:** 3/5 → silent mode\n');
    expect(result.stdout).toContain('**Lens sequence:** Clarify → Deepen → Challenge → Challenge → Steelman → Steelman → Expand → Synthesize (8 rounds)');
    // Low: three rounds to Challenge and their judges, the Coda, its cross-check. High: all eight rounds.
    expect(result.stdout).toContain('**Calls:** 9–19 including the Prelude already made\n');
    expect(result.stdout).toMatch(/\*\*Estimated cost:\*\* \$[\d.]+ – \$[\d.]+ with claude-sonnet-5-5/);
    const list = await runCli(['runs', '--json'], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ stopReason: 'dry-run', calls: 1 });
    const resume = await runCli(['resume', 'last'], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain('already finished');
  });
});
