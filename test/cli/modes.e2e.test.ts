/**
 * Each mode end to end: the built CLI against the fake Messages API, asserting on stdout's exact
 * shape and on what every request carried.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi, type RecordedRequest } from '../fake-api/index.js';
import { judgeReply, mythosResponder, preludeReply, promptOf, roundReply, stepOf } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const SQLITE = 'Should I use SQLite or PostgreSQL for a single-user desktop app?';

function stepsOf(requests: readonly RecordedRequest[]) {
  let seen = false;
  return requests.map((r) => {
    const step = stepOf(r, seen);
    if (step === 'prelude') seen = true;
    return { step, prompt: promptOf(r), request: r };
  });
}

describe('direct mode (complexity 1)', () => {
  it('skips the Recurrent Block and prints the degenerate Coda only', async () => {
    api = await startFakeApi({ responder: mythosResponder({ prelude: preludeReply({ score: 0 }), coda: { answer: 'Use SQLite.' } }) });
    const result = await runCli([SQLITE], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('## Answer\nUse SQLite.\n\n---\n*Depth: 0 rounds. Mode: direct.*\n');
    expect(stepsOf(api.requests).map((s) => s.step)).toEqual(['prelude', 'direct-coda']);
  });
});

describe('silent mode (complexity 2–3)', () => {
  it('prints only the Coda, re-sends the question each round, and halts once the chain is self-consistent', async () => {
    api = await startFakeApi({
      responder: mythosResponder({
        prelude: preludeReply({ score: 2, drivers: ['Ambiguity'] }),
        rounds: [
          roundReply('Single user means no concurrent writers to coordinate.'),
          roundReply('Clarifying again: the user is one person on one machine, offline.'),
          roundReply('Zero administration matters more than scale for a desktop install.'),
          roundReply('The framing assumes the app never syncs across devices.', { convergence: 'stable' }),
        ],
        judge: (i) => judgeReply('advances', { self_consistent: i >= 4 }),
      }),
    });
    const result = await runCli([SQLITE], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      '## Answer\nPick the simpler option; revisit if the load grows.\n\n---\n' +
        '*Depth: 4 latent passes. Mode: silent. Lens path: Clarify → Clarify → Deepen → Challenge.*\n' +
        '*Load-bearing assumptions: one user at a time*\n',
    );
    const steps = stepsOf(api.requests);
    // After the Coda, a separate call cross-checks the answer against the kept rounds.
    expect(steps.map((s) => s.step)).toEqual(['prelude', 'round', 'judge', 'round', 'judge', 'round', 'judge', 'round', 'judge', 'coda', 'cross-check']);
    const rounds = steps.filter((s) => s.step === 'round');
    for (const round of rounds) expect(round.prompt).toContain(SQLITE);
    expect(rounds[0]?.prompt).toContain('(none yet)');
    expect(rounds[3]?.prompt).toContain('R1 (Clarify): Single user means no concurrent writers to coordinate.');
    expect(rounds[3]?.prompt).toContain('R2 (Clarify): Clarifying again');
    expect(rounds[3]?.prompt).toContain('R3 (Deepen): Zero administration');
    // The static prefix is identical on every call and marked for caching.
    const systems = api.requests.map((r) => JSON.stringify(r.body.system));
    expect(new Set(systems).size).toBe(1);
    expect(api.requests[0]?.body.system[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(result.stderr).toMatch(/mythos: silent · 11 calls · \d+ in \/ \d+ out tokens · ~\$[\d.]+ · run \d{8}-\d{6}-[0-9a-f]{4}\n$/);
  });
});

describe('trace mode (keyword)', () => {
  it('strips the keyword, keeps the diagnosis, and shows every round with its insight chain', async () => {
    api = await startFakeApi({
      responder: mythosResponder({
        prelude: preludeReply({ score: 2, drivers: ['Hidden assumptions'], restated: 'Is Conventional Commits worth adopting here?' }),
        rounds: [
          roundReply('The real question is whether commit messages feed any automation.'),
          roundReply('Changelogs generated from commits are the main payoff.'),
          roundReply('The hidden premise is that the team squashes pull requests.', { convergence: 'stable' }),
        ],
        judge: (i) => judgeReply('advances', { self_consistent: i === 3 }),
      }),
    });
    const result = await runCli(['TRACE', 'Should', 'we', 'adopt', 'Conventional', 'Commits?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    const rounds = stepsOf(api.requests).filter((s) => s.step === 'round');
    expect(rounds[0]?.prompt).toContain('Should we adopt Conventional Commits?');
    expect(rounds[0]?.prompt).not.toContain('TRACE');
    expect(result.stdout).toBe(
      [
        '## Prelude',
        '**Q:** Is Conventional Commits worth adopting here? | **Not:** Not a survey of every alternative.',
        '**Complexity:** 2/5 → trace mode (forced), 8 rounds total | **Drivers:** Hidden assumptions',
        '**Budget:** Clarify ×1 → Deepen ×1 → Challenge ×2 → Steelman ×2 → Expand ×1 → Synthesize ×1',
        '**Success:** A recommendation with its deciding reason.',
        '',
        '### Round 1: Clarify',
        '**New insight:** The real question is whether commit messages feed any automation.',
        `**What changed:** Now we know: ${'The real question is whether commit messages feed any automation.'.slice(0, 40)}`,
        '**Convergence:** evolving',
        '',
        '### Round 2: Deepen',
        '**Insight chain:** R1: The real question is whether commit messages feed any automation.',
        '**New insight:** Changelogs generated from commits are the main payoff.',
        `**What changed:** Now we know: ${'Changelogs generated from commits are the main payoff.'.slice(0, 40)}`,
        '**Convergence:** evolving',
        '',
        '### Round 3: Challenge',
        '**Insight chain:** R1: The real question is whether commit messages feed any automation. → R2: Changelogs generated from commits are the main payoff.',
        '**New insight:** The hidden premise is that the team squashes pull requests.',
        `**What changed:** Now we know: ${'The hidden premise is that the team squashes pull requests.'.slice(0, 40)}`,
        '**Convergence:** stable',
        '',
        '## Answer',
        'Pick the simpler option; revisit if the load grows.',
        '',
        '---',
        '*Depth: 3 rounds, converged at round 3. Mode: trace.*',
        '*Load-bearing assumptions: one user at a time*',
        '',
      ].join('\n'),
    );
  });
});

describe('agent mode (keyword deep)', () => {
  it('dispatches isolated subagents concurrently, merges them, and renders the agent shape', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 2, drivers: ['Hidden assumptions'] }),
      subagent: (lens, i) => ({ finding: `FINDING-${i} from ${lens}`, confidence: i === 0 ? 'high' : 'medium', stance: i % 2 ? 'rewrite' : 'keep' }),
      merge: {
        convergent_points: ['the renderer is the bottleneck'], tensions: ['rewrite now vs later'], synthesis: 'Rewrite behind a flag.',
        divergent_subagents: ['B'], unresolved: false, competing_positions: [],
      },
      delayMs: { subagent: 400 },
    });
    api = await startFakeApi({ responder });
    const result = await runCli(['deep', 'Should', 'we', 'rewrite', 'the', 'renderer?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    const steps = stepsOf(api.requests);
    const subagents = steps.filter((s) => s.step === 'subagent');
    expect(subagents).toHaveLength(4);
    // Truly parallel: every subagent request arrived before any of them was answered.
    const firstEnd = Math.min(...subagents.map((s) => s.request.endedAt));
    for (const s of subagents) expect(s.request.startedAt).toBeLessThan(firstEnd);
    // Isolated: no subagent sees another's output, and each gets the question verbatim.
    for (const s of subagents) {
      expect(s.prompt).toContain('Should we rewrite the renderer?');
      expect(s.prompt).not.toMatch(/FINDING-/);
    }
    const merge = steps.find((s) => s.step === 'merge');
    for (let i = 0; i < 4; i++) expect(merge?.prompt).toContain(`FINDING-${i}`);
    expect(result.stdout).toContain('**Complexity:** 2/5 → agent mode (forced), 4 subagents total | **Drivers:** Hidden assumptions');
    expect(result.stdout).toContain('[Dispatching 4 parallel subagents: Challenge, Challenge, Steelman, Steelman]');
    expect(result.stdout).toMatch(/### Subagent A — Challenge\n\*\*Independent finding:\*\* FINDING-\d from Challenge\n\*\*Confidence:\*\* (high|medium)\n/);
    expect(result.stdout).toMatch(/### Subagent B — Challenge\n\*\*Independent finding:\*\* FINDING-\d from Challenge\n\*\*Confidence:\*\* low \(divergent\)\n/);
    expect(result.stdout).toContain('### Merge\n**Convergent points:** the renderer is the bottleneck\n**Tensions:** rewrite now vs later\n**Synthesis:** Rewrite behind a flag.\n');
    expect(result.stdout).toContain('\n---\n*Depth: 4 parallel subagents merged. Mode: agent.*\n');
  });
});
