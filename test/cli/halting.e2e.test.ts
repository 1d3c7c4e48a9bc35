/**
 * Halting and recovery end to end: code settles echoes and empty rounds without a judge, a lens
 * that repeats itself is spent, convergence waits for Challenge, negative deltas follow the
 * judge (and stay in the log), the re-Prelude keeps its own drivers, and agent mode survives
 * failed subagents and a failed merge. Every transcript passes `mythos check`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { errorReply, startFakeApi, type FakeApi } from '../fake-api/index.js';
import { failingChecks } from '../helpers/check-output.js';
import { crossCheckReply, judgeReply, mythosResponder, preludeReply, promptsFor, roundReply, DISTINCT_INSIGHTS } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { onlyRunEvents } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const Q = 'Design a caching strategy for a read-heavy API serving 10M users';

describe('echoes and empty rounds', () => {
  it('a repeat in the same words spends its lens and the block goes on; at Challenge it converges; no judge is asked about either', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 3, drivers: ['Ambiguity'] }),
      rounds: [
        roundReply('Hot keys expiring together cause a stampede on the database.'),
        roundReply('Hot keys, expiring together, cause stampedes on THE database!'),
        roundReply('Request coalescing lets one worker refill a key while others wait.'),
        roundReply('Request coalescing lets one worker refill a key while the others wait.'),
      ],
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli(['trace', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(responder.steps).toEqual(['prelude', 'round', 'judge', 'round', 'round', 'judge', 'round', 'coda', 'cross-check']);
    expect(result.stdout).toContain('### Round 2: Clarify\n**Insight chain:** R1: Hot keys expiring together cause a stampede on the database.\n**New insight:** (discarded: repeats round 1)\n');
    expect(result.stdout).toContain('### Round 4: Challenge\n');
    expect(result.stdout).toContain('**New insight:** (discarded: repeats round 3)\n**What changed:** nothing kept; the block halted here\n');
    expect(result.stdout).not.toContain('stampedes');
    expect(result.stdout).toContain('*Depth: 4 rounds, converged at round 3. Mode: trace.*');
    expect(failingChecks(result.stdout)).toEqual([]);
    const rounds = onlyRunEvents(home).filter((e) => e.type === 'round').map((e) => e.round);
    expect(rounds[1].decision).toMatchObject({ keep: false, halt: null, flags: ['ECHO'], spent: true, echo: { of: 1 } });
    expect(rounds[1].judgedBy).toBe('none');
    expect(rounds[3].decision).toMatchObject({ keep: false, halt: 'converged:no-delta', flags: ['ECHO'], echo: { of: 3 } });
  });

  it('a near-repeat, or the same words in another order, goes to the judge, who names the round it repeats', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 3, drivers: ['Ambiguity'] }),
      rounds: [
        roundReply('Choose SQLite over PostgreSQL for this desktop app.'),
        roundReply('Choose PostgreSQL over SQLite for this desktop app.'),
        roundReply('Pick SQLite over PostgreSQL for this desktop app.'),
        roundReply('Choose PostgreSQL over SQLite for this desktop app!'),
      ],
      judge: (index) => (index === 3 ? judgeReply('trivial', { repeats_round: 1, reason: 'R1 again' }) : judgeReply('advances', { stance_change: 'reverses' })),
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli(['trace', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(responder.steps).toEqual(['prelude', 'round', 'judge', 'round', 'judge', 'round', 'judge', 'round', 'coda', 'cross-check']);
    const rounds = onlyRunEvents(home).filter((e) => e.type === 'round').map((e) => e.round);
    // The reversal shares every word with round 1 yet is kept: word overlap did not decide it.
    expect(rounds[1].decision).toMatchObject({ keep: true, flags: [] });
    expect(rounds[1].decision.echo.score).toBe(1);
    expect(rounds[2].decision).toMatchObject({ keep: false, halt: null, flags: ['ECHO'], spent: true, echo: { of: 1 } });
    expect(rounds[2].judgedBy).toBe('judge-call');
    // At Challenge, round 2 in the same words: code converges without the judge.
    expect(rounds[3].decision).toMatchObject({ keep: false, halt: 'converged:no-delta', flags: ['ECHO'], echo: { of: 2 } });
    expect(rounds[3].judgedBy).toBe('none');
    expect(result.stdout).toContain('**New insight:** Choose PostgreSQL over SQLite for this desktop app.\n');
    expect(failingChecks(result.stdout)).toEqual([]);
  });

  it('an empty first application before Challenge skips the rest of that lens, never ending the block', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 3, drivers: ['Ambiguity'] }),
      rounds: [
        roundReply('No new insight.'),
        roundReply('Reads outnumber writes by two orders of magnitude here.'),
        roundReply('Staleness of a few seconds is invisible to these users.', { convergence: 'stable' }),
      ],
      judge: () => judgeReply('advances', { self_consistent: true }),
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli(['trace', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    // Clarify ×2 was planned: its second application was skipped, then Deepen and Challenge ran.
    expect(result.stdout).toMatch(/### Round 1: Clarify\n\*\*New insight:\*\* \(discarded: no concrete insight\)\n\*\*What changed:\*\* nothing kept; the rest of this lens is skipped\n/);
    expect(result.stdout).toContain('### Round 2: Deepen\n**Insight chain:** R1: (discarded: no concrete insight)\n');
    expect(result.stdout).toContain('*Depth: 3 rounds, converged at round 3. Mode: trace.*');
    expect(failingChecks(result.stdout)).toEqual([]);
    const skipped = onlyRunEvents(home).filter((e) => e.type === 'round.skipped').map((e) => e.skipped);
    expect(skipped).toEqual([{ lens: 'Clarify', application: 2, why: 'the lens is spent: round 1 gave nothing new' }]);
  });

  it('a paraphrase word overlap misses is caught when the judge names the round it repeats', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 3, drivers: ['System dynamics'] }),
      rounds: [
        roundReply('Onboarding friction explains most of the retention drop.'),
        roundReply('Cache invalidation couples every write path to the cache layer.'),
        roundReply('Retention falls because new users hit friction during setup.'),
      ],
      judge: (i) => (i === 3 ? judgeReply('advances', { repeats_round: 1, reason: 'R1 in other words' }) : judgeReply('advances')),
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli(['trace', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('### Round 3: Challenge\n');
    expect(result.stdout).toContain('**New insight:** (discarded: repeats round 1)\n**What changed:** nothing kept; the block halted here');
    expect(result.stdout).toContain('*Depth: 3 rounds, converged at round 2. Mode: trace.*');
    expect(failingChecks(result.stdout)).toEqual([]);
    const round = onlyRunEvents(home).filter((e) => e.type === 'round')[2].round;
    expect(round.decision.flags).toEqual(['ECHO']);
    expect(round.decision.why).toBe('the judge found it restates round 1 in other words (R1 in other words)');
    // The judge saw each kept round's stance and the candidate's own.
    const judgePrompt = promptsFor(api.requests, responder.steps, 'judge')[2]!;
    expect(judgePrompt).toContain('<stances>\nR1 (Clarify): leaning one way\nR2 (Deepen): leaning one way\n</stances>');
    expect(judgePrompt).toContain('Stance: leaning one way');
  });
});

describe('the judge decides, never the round itself', () => {
  it('discards a negative-delta round the judge rejects, halts, and keeps it only in the log', async () => {
    const bad = 'Caching is pointless because databases are always fast enough.';
    const responder = mythosResponder({
      prelude: preludeReply({ score: 3, drivers: ['System dynamics'] }),
      rounds: [
        roundReply('Reads dominate, so the cache hit ratio decides everything.'),
        roundReply('Request coalescing prevents a thundering herd on misses.'),
        roundReply(bad),
      ],
      judge: (i) => (i === 3 ? judgeReply('regresses', { reason: 'contradicts R1 without evidence' }) : judgeReply('advances')),
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
    expect(failingChecks(result.stdout)).toEqual([]);
    // Neither the Coda nor the cross-check saw the discarded insight.
    for (const prompt of [...promptsFor(api.requests, responder.steps, 'coda'), ...promptsFor(api.requests, responder.steps, 'cross-check')]) {
      expect(prompt).not.toContain(bad);
    }
    const round = onlyRunEvents(home).filter((e) => e.type === 'round')[2].round;
    expect(round.reply.new_insight).toBe(bad);
    expect(round.judgedBy).toBe('judge-call');
    expect(round.decision).toMatchObject({ keep: false, halt: 'negative-delta', flags: ['REGRESSION'] });
  });

  it('a round calling itself negative delta is judged, round 1 included, and kept when the judge finds it advances', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 2 }),
      rounds: [
        roundReply('Reads outnumber writes a hundred to one.', { convergence: 'negative-delta' }),
        roundReply('Staleness of a few seconds is acceptable to users.', { convergence: 'negative-delta' }),
      ],
    });
    api = await startFakeApi({ responder });
    const result = await runCli(['trace', '--max-rounds', '2', Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(responder.steps).toEqual(['prelude', 'round', 'judge', 'round', 'judge', 'coda', 'cross-check']);
    expect(result.stdout).toContain('**New insight:** Reads outnumber writes a hundred to one.\n');
    expect(result.stdout).toContain('*Depth: 2 rounds, stopped at round 2: max rounds reached. Mode: trace.*');
    expect(result.stdout).not.toContain('converged');
    expect(failingChecks(result.stdout)).toEqual([]);
  });

  it('CODA_INCONSISTENT and the cross-check note come from the separate check, not the Coda', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 2 }),
      rounds: [roundReply('Reads outnumber writes a hundred to one.'), roundReply('Staleness of a few seconds is acceptable to users.')],
      coda: { answer: 'Skip the cache.', load_bearing_assumptions: [], residual_uncertainty: 'x', consistent_with_trajectory: true, inconsistencies: [] },
      crossCheck: crossCheckReply(['R1 says reads dominate, yet the answer skips the cache']),
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli(['--max-rounds', '2', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('*Cross-check: the answer departs from the reasoning on: R1 says reads dominate, yet the answer skips the cache.*\n');
    expect(failingChecks(result.stdout)).toEqual([]);
    const crossPrompt = promptsFor(api.requests, responder.steps, 'cross-check')[0]!;
    expect(crossPrompt).toContain('<answer>\nSkip the cache.\n</answer>');
    expect(crossPrompt).toContain('R1 (Challenge, evolving): Reads outnumber writes a hundred to one.');
    const flags = onlyRunEvents(home).filter((e) => e.type === 'flag').map((e) => e.flag);
    expect(flags).toEqual(['CODA_INCONSISTENT']);
  });
});

describe('re-Prelude', () => {
  it('re-Preludes once when a round names a missed driver the re-diagnosis confirms, and says so', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 2, drivers: ['Ambiguity'] }),
      rePrelude: preludeReply({ score: 3, drivers: ['Ambiguity', 'System dynamics'] }),
      rounds: [
        roundReply('Ten million users is a peak figure, not a steady load.', { missed_driver: 'System dynamics' }),
        roundReply('Cache invalidation couples every write path to the cache.', { missed_driver: 'Multi-hop' }),
        roundReply('Invalidation storms feed back into database load.', { convergence: 'stable' }),
      ],
      judge: (i) => judgeReply('advances', { self_consistent: i >= 4 }),
    });
    api = await startFakeApi({ responder });
    const result = await runCli(['trace', '--max-rounds', '3', Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(responder.steps.filter((s) => s === 're-prelude')).toHaveLength(1);
    expect(result.stdout).toContain('## Prelude (re-Prelude after Round 1)\n');
    expect(result.stdout).toMatch(/\*Re-Prelude after round 1: added driver System dynamics; budget now .+\.\*/);
    expect(failingChecks(result.stdout)).toEqual([]);
  });

  it('keeps the re-diagnosis\'s own drivers when it does not confirm the one the round named', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 2, drivers: ['Ambiguity'] }),
      rePrelude: preludeReply({ score: 2, drivers: ['Ambiguity', 'Trade-offs'] }),
      rounds: [
        roundReply('Ten million users is a peak figure, not a steady load.', { missed_driver: 'System dynamics' }),
        roundReply('Invalidation couples every write path to the cache layer.'),
        roundReply('A write-through cache keeps that coupling explicit and testable.'),
      ],
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli(['trace', '--max-rounds', '3', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('**Drivers:** Ambiguity, Trade-offs\n');
    expect(result.stdout).toMatch(/\*Re-Prelude after round 1: round 1 named driver System dynamics, which the re-diagnosis did not confirm; drivers Ambiguity, Trade-offs; budget now .+\.\*/);
    expect(failingChecks(result.stdout)).toEqual([]);
    const rePrelude = onlyRunEvents(home).find((e) => e.type === 're-prelude').rePrelude;
    expect(rePrelude).toMatchObject({ missedDriver: 'System dynamics', confirmed: false, reply: { drivers: ['Ambiguity', 'Trade-offs'] } });
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
    expect(failingChecks(result.stdout)).toEqual([]);
    const flags = onlyRunEvents(home).filter((e) => e.type === 'flag').map((e) => e.flag);
    expect(flags).toContain('SUBAGENT_FAILED');
  });

  it('falls back to the sequential block when fewer than two subagents return, carrying the survivor into the chain', async () => {
    const survivor = 'Edge caching alone cannot absorb write-heavy bursts from the mobile apps.';
    const responder = mythosResponder({
      prelude: preludeReply({ score: 4, drivers: ['Trade-offs'] }),
      subagent: (lens) => (lens === 'Challenge' ? { finding: survivor, confidence: 'low', stance: 'layer the cache' } : errorReply(400)),
      rounds: DISTINCT_INSIGHTS.map((insight) => roundReply(insight)),
    });
    api = await startFakeApi({ responder });
    const result = await runCli([Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('*Depth: 8 latent passes. Mode: silent. Lens path: Clarify → Deepen → Challenge → Tradeoff-Map → Tradeoff-Map → Expand → Expand → Synthesize.*');
    expect(result.stdout).toMatch(/\*Fallback: agent mode got 1 of 5 subagent findings, so the lenses ran as a sequential block instead\.\*/);
    expect(failingChecks(result.stdout)).toEqual([]);
    const carried = `R0 (Challenge, carried over from subagent A): ${survivor}`;
    for (const prompt of promptsFor(api.requests, responder.steps, 'round')) expect(prompt).toContain(carried);
    expect(promptsFor(api.requests, responder.steps, 'coda')[0]).toContain(`R0 (Challenge, carried over from subagent A when agent mode fell back): ${survivor}`);
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
    expect(result.stdout).toContain(', not merged. Mode: agent.*');
    expect(failingChecks(result.stdout)).toEqual([]);
  });
});
