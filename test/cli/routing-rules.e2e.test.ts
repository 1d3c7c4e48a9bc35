/**
 * Routing rules end to end: escalation after a re-Prelude (from silent and from trace, never
 * when the user pinned the mode), `quick` never adding rounds, and `--max-rounds 1` never
 * dispatching more than one. Every transcript passes `mythos check`.
 */
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { failingChecks } from '../helpers/check-output.js';
import { DISTINCT_INSIGHTS, judgeReply, mythosResponder, preludeReply, roundReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { onlyRunEvents } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const Q = 'Design a caching strategy for a read-heavy API serving 10M users';

/** Two rounds, the second naming a driver the Prelude missed; the re-Prelude scores 4. */
function escalating() {
  return mythosResponder({
    prelude: preludeReply({ score: 2, drivers: ['Ambiguity'] }),
    rePrelude: preludeReply({ score: 4, drivers: ['Ambiguity', 'System dynamics'] }),
    rounds: [
      roundReply('Ten million users is a peak figure, not a steady load.'),
      roundReply('Invalidation couples every write path to the cache layer.', { missed_driver: 'System dynamics' }),
      roundReply('A write-through cache keeps the coupling explicit.', { convergence: 'stable' }),
    ],
    judge: (i) => judgeReply('advances', { self_consistent: i >= 2 }),
    subagent: (lens, i) => ({ finding: `${lens} finding ${i}`, confidence: 'medium', stance: 'layered cache' }),
    delayMs: { subagent: 200 },
  });
}

describe('escalation', () => {
  it('from silent: hands the remaining lenses to parallel subagents when a re-Prelude reaches complexity 4', async () => {
    const responder = escalating();
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
    expect(failingChecks(result.stdout)).toEqual([]);
    const types = onlyRunEvents(home).map((e) => e.type);
    expect(types.indexOf('escalation')).toBeGreaterThan(types.indexOf('re-prelude'));
  });

  it('from trace: the rounds, then the dispatch, the subagents and the merge, in the trace shape', async () => {
    const responder = escalating();
    api = await startFakeApi({ responder });
    const result = await runCli(['trace', Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(responder.steps.filter((s) => s === 'round')).toHaveLength(2);
    expect(responder.steps.filter((s) => s === 'subagent').length).toBeGreaterThanOrEqual(2);
    expect(result.stdout).toContain('## Prelude (re-Prelude after Round 2)\n');
    expect(result.stdout).toMatch(/\n\[Dispatching \d parallel subagents: [^\]]+\]\n\n### Subagent A — /);
    expect(result.stdout).toContain('### Merge\n');
    expect(result.stdout).toContain('*Depth: 2 rounds, stopped at round 2: escalated to agent mode. Mode: trace.*');
    expect(result.stdout).toMatch(/\*Escalated to agent mode after round 2: \d parallel subagents, merged\.\*/);
    expect(failingChecks(result.stdout)).toEqual([]);
  });

  it('under a cap that cannot pay for every lens, Challenge is the last to be left out, and the dispatched ones share the room', async () => {
    for (const cap of ['59000', '65000']) {
      const responder = mythosResponder({
        prelude: preludeReply({ score: 2, drivers: ['Ambiguity'] }),
        rePrelude: preludeReply({ score: 4, drivers: ['Ambiguity', 'Multi-hop'] }),
        rounds: [roundReply(DISTINCT_INSIGHTS[0]!, { missed_driver: 'Multi-hop' }), ...DISTINCT_INSIGHTS.slice(1).map((s) => roundReply(s))],
      });
      api = await startFakeApi({ responder });
      const result = await runCli(['trace', '--max-tokens', cap, Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
      expect(result.code, cap).toBe(0);
      const dispatched = /\[Dispatching \d parallel subagents: ([^\]]+)\]/.exec(result.stdout)?.[1]?.split(', ') ?? [];
      // The agent plan runs Clarify, Deepen, Challenge, …: a plain cut would have dropped Challenge.
      expect(dispatched.length, cap).toBeLessThan(6);
      expect(dispatched, cap).toContain('Challenge');
      // Siblings split the room the caps leave, so none is starved by the ones that started first.
      expect(result.stdout, cap).not.toContain('(failed:');
      expect(failingChecks(result.stdout), cap).toEqual([]);
      await api.close();
      api = undefined;
    }
  });

  it('never when the user pinned the mode with quick or --mode', async () => {
    for (const args of [['quick', '--max-rounds', '3', Q], ['--mode', 'trace', '--max-rounds', '3', Q]]) {
      const responder = escalating();
      api = await startFakeApi({ responder });
      const result = await runCli(args, { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
      expect(result.code).toBe(0);
      expect(responder.steps).toContain('re-prelude');
      expect(responder.steps).not.toContain('subagent');
      expect(result.stdout).not.toContain('Escalated');
      expect(failingChecks(result.stdout)).toEqual([]);
      await api.close();
      api = undefined;
    }
  });
});

describe('--max-rounds 1', () => {
  it('refuses a pinned agent mode before any model call: exit 2 with a hint', async () => {
    api = await startFakeApi({ responder: escalating() });
    for (const args of [['deep', '--max-rounds', '1', Q], ['--mode', 'agent', '--max-rounds', '1', Q]]) {
      const home = tempHome();
      const result = await runCli(args, { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^mythos: .*with --max-rounds 1: agent mode needs at least 2 subagents to merge\nhint: use --max-rounds 2 or more/);
      expect(readdirSync(home)).toEqual([]);
    }
    expect(api.requests).toHaveLength(0);
  });

  it('runs one sequential round when the score routed to agent mode, and says why', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 4, drivers: ['Trade-offs'] }),
      rounds: [roundReply('Reads outnumber writes a hundred to one on this API.')],
    });
    api = await startFakeApi({ responder });
    const result = await runCli(['--max-rounds', '1', Q], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    expect(responder.steps).toEqual(['prelude', 'round', 'judge', 'coda', 'cross-check']);
    expect(result.stdout).toContain('*Depth: 1 latent pass. Mode: silent. Lens path: Challenge.*\n');
    expect(result.stdout).toContain('*Note: complexity 4 calls for parallel subagents, but a merge needs two and --max-rounds is 1, so one sequential round ran instead.*\n');
    expect(failingChecks(result.stdout)).toEqual([]);
  });
});
