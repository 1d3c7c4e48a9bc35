/**
 * Halting and recovery end to end: echoes stop early, negative deltas are discarded (and kept in
 * the log), max rounds never claims convergence, a missed driver triggers one re-Prelude, and
 * agent mode survives failed subagents and a failed merge.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorReply, startFakeApi, type FakeApi } from '../fake-api/index.js';
import { judgeReply, mythosResponder, preludeReply, roundReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const Q = 'Design a caching strategy for a read-heavy API serving 10M users';

function logEvents(home: string) {
  const dir = join(home, 'runs');
  const [file] = readdirSync(dir);
  return readFileSync(join(dir, file!), 'utf8').trim().split('\n').map((line) => JSON.parse(line).event);
}

describe('halting', () => {
  it('stops early when a round only echoes an earlier insight, and does not show the echo', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 3, drivers: ['System dynamics'] }),
      rounds: [
        roundReply('Hot keys expiring together cause a stampede on the database.'),
        roundReply('Hot keys that expire together cause stampedes on the database!'),
      ],
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli(['trace', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(responder.steps.filter((s) => s === 'round')).toHaveLength(2);
    expect(result.stdout).not.toContain('### Round 2');
    expect(result.stdout).toContain('*Depth: 1 rounds, converged at round 1. Mode: trace.*');
    const rounds = logEvents(home).filter((e) => e.type === 'round');
    expect(rounds[1].round.decision).toMatchObject({ keep: false, halt: 'converged:no-delta', flags: ['ECHO'] });
    expect(rounds[1].round.decision.echo.of).toBe(1);
  });

  it('discards a negative-delta round judged by a separate call, halts, and keeps it only in the log', async () => {
    const bad = 'Caching is pointless because databases are always fast enough.';
    const responder = mythosResponder({
      prelude: preludeReply({ score: 3, drivers: ['System dynamics'] }),
      rounds: [
        roundReply('Reads dominate, so the cache hit ratio decides everything.'),
        roundReply('Request coalescing prevents a thundering herd on misses.'),
        roundReply(bad),
      ],
      judge: (i) => (i === 2 ? judgeReply('regresses', { reason: 'contradicts R1 without evidence' }) : judgeReply('advances')),
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli(['trace', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(bad);
    expect(result.stdout).toContain('### Round 3: Challenge\n');
    expect(result.stdout).toContain('**New insight:** (discarded: negative delta)\n');
    expect(result.stdout).toContain('**Convergence:** negative-delta\n');
    expect(result.stdout).toContain('*Depth: 3 rounds, stopped at round 3: negative delta. Mode: trace.*');
    // The Coda never saw the discarded insight.
    const codaPrompt = JSON.stringify(api.requests.at(-1)?.body);
    expect(codaPrompt).not.toContain(bad);
    const round = logEvents(home).filter((e) => e.type === 'round')[2].round;
    expect(round.reply.new_insight).toBe(bad);
    expect(round.judgedBy).toBe('judge-call');
    expect(round.decision).toMatchObject({ keep: false, halt: 'negative-delta', flags: ['REGRESSION'] });
  });

  it('says "stopped at max rounds", never "converged", when the budget runs out while rounds still change', async () => {
    api = await startFakeApi({
      responder: mythosResponder({
        prelude: preludeReply({ score: 2 }),
        rounds: [roundReply('Reads outnumber writes a hundred to one.'), roundReply('Staleness of a few seconds is acceptable to users.')],
      }),
    });
    const result = await runCli(['trace', '--max-rounds', '2', Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('*Depth: 2 rounds, stopped at round 2: max rounds reached. Mode: trace.*');
    expect(result.stdout).not.toContain('converged');
  });

  it('re-Preludes once when a round reveals a missed driver, and says so', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 2, drivers: ['Ambiguity'] }),
      rePrelude: preludeReply({ score: 3, drivers: ['Ambiguity', 'System dynamics'] }),
      rounds: [
        roundReply('Ten million users is a peak figure, not a steady load.', { missed_driver: 'System dynamics' }),
        roundReply('Cache invalidation couples every write path to the cache.', { missed_driver: 'Multi-hop' }),
        roundReply('Invalidation storms feed back into database load.', { convergence: 'stable' }),
      ],
      judge: (i) => judgeReply('advances', { self_consistent: i >= 3 }),
    });
    api = await startFakeApi({ responder });
    const result = await runCli(['trace', '--max-rounds', '3', Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(responder.steps.filter((s) => s === 're-prelude')).toHaveLength(1);
    expect(result.stdout).toContain('## Prelude (re-Prelude after Round 1)\n');
    expect(result.stdout).toMatch(/\*Re-Prelude after round 1: added driver System dynamics; budget now .+\.\*/);
  });
});

describe('escalation', () => {
  it('hands the remaining lenses to parallel subagents when a re-Prelude reaches complexity 4', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 2, drivers: ['Ambiguity'] }),
      rePrelude: preludeReply({ score: 4, drivers: ['Ambiguity', 'System dynamics'] }),
      rounds: [
        roundReply('Ten million users is a peak figure, not a steady load.'),
        roundReply('Invalidation couples every write path to the cache layer.', { missed_driver: 'System dynamics' }),
      ],
      subagent: (lens, i) => ({ finding: `${lens} finding ${i}`, confidence: 'medium', stance: 'layered cache' }),
      delayMs: { subagent: 200 },
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli([Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(responder.steps.filter((s) => s === 'round')).toHaveLength(2);
    const subagents = api.requests.filter((_, i) => responder.steps[i] === 'subagent');
    expect(subagents.length).toBeGreaterThanOrEqual(2);
    const firstEnd = Math.min(...subagents.map((r) => r.endedAt));
    for (const r of subagents) expect(r.startedAt).toBeLessThan(firstEnd);
    expect(result.stdout).toMatch(/\*Depth: 2 latent passes\. Mode: silent\. Lens path: Clarify → Clarify\.\*/);
    expect(result.stdout).toMatch(/\*Escalated to agent mode after round 2: \d parallel subagents, merged\.\*/);
    expect(result.stdout).not.toContain('### Subagent');
    const types = logEvents(home).map((e) => e.type);
    expect(types.indexOf('escalation')).toBeGreaterThan(types.indexOf('re-prelude'));
  });

  it('does not escalate when a keyword chose the mode', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 2, drivers: ['Ambiguity'] }),
      rePrelude: preludeReply({ score: 4, drivers: ['Ambiguity', 'System dynamics'] }),
      rounds: [
        roundReply('Ten million users is a peak figure, not a steady load.'),
        roundReply('Invalidation couples every write path to the cache layer.', { missed_driver: 'System dynamics' }),
        roundReply('A write-through cache keeps the coupling explicit.', { convergence: 'stable' }),
      ],
      judge: (i) => judgeReply('advances', { self_consistent: i >= 2 }),
    });
    api = await startFakeApi({ responder });
    const result = await runCli(['quick', '--max-rounds', '3', Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(responder.steps).not.toContain('subagent');
    expect(result.stdout).not.toContain('Escalated');
  });
});

describe('agent mode faults', () => {
  it('retries a failed subagent once, leaves it out and flags it, and still merges the rest', async () => {
    let calls = 0;
    const responder = mythosResponder({
      prelude: preludeReply({ score: 4, drivers: ['Trade-offs'] }),
      subagent: (lens) => (lens === 'Challenge' ? (calls++, errorReply(400, 'bad request')) : { finding: `${lens} says cache at the edge`, confidence: 'high', stance: 'edge' }),
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli([Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(calls).toBe(2);
    expect(result.stdout).toMatch(/### Subagent [A-E] — Challenge\n\*\*Independent finding:\*\* \(failed: .*HTTP 400.*\)\n/);
    expect(result.stdout).toContain('*Depth: 4 parallel subagents merged. Mode: agent.*');
    const flags = logEvents(home).filter((e) => e.type === 'flag').map((e) => e.flag);
    expect(flags).toContain('SUBAGENT_FAILED');
  });

  it('falls back to the sequential block when fewer than two subagents return', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 4, drivers: ['Trade-offs'] }),
      subagent: (lens) => (lens === 'Challenge' ? { finding: 'only one', confidence: 'low', stance: 'x' } : errorReply(400)),
      rounds: Array.from({ length: 8 }, (_, i) => roundReply(`Distinct sequential insight number ${i} about caching layers ${'abcdefgh'[i]}.`)),
    });
    api = await startFakeApi({ responder });
    const result = await runCli([Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\*Depth: \d latent passes\. Mode: silent\. Lens path: .+\.\*/);
    expect(result.stdout).toMatch(/\*Fallback: agent mode got 1 of 5 subagent findings, so the lenses ran as a sequential block instead\.\*/);
  });

  it('shows the findings and their tensions with an honest note when the merge fails', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 4, drivers: ['Trade-offs'] }),
      subagent: (lens, i) => ({ finding: `${lens} view ${i}`, confidence: 'medium', stance: i % 2 ? 'pivot' : 'stay' }),
      merge: errorReply(400, 'merge rejected'),
    });
    api = await startFakeApi({ responder });
    const result = await runCli([Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\*\*Convergent points:\*\* not merged \(the merge call failed: .*merge rejected.*\)\n/);
    expect(result.stdout).toMatch(/\*\*Tensions:\*\* .*stay vs .*pivot\n/);
  });
});
