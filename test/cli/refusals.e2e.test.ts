/**
 * A refusal from a step the run can do without does not end the run: a judge that declines
 * leaves its paid round to code, a re-Prelude that declines leaves the first diagnosis standing.
 * Either way the answer arrives, passes `mythos check`, and the log says what happened.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi, type FakeReply } from '../fake-api/index.js';
import { failingChecks } from '../helpers/check-output.js';
import { DISTINCT_INSIGHTS, judgeReply, mythosResponder, preludeReply, roundReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { onlyRunEvents } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const Q = 'Design a caching strategy for a read-heavy API serving 10M users';
const declined: FakeReply = { kind: 'message', content: [], stop_reason: 'refusal', stop_details: { type: 'refusal', category: 'general_harms', explanation: null } };

describe('refusals the run can do without', () => {
  it('a judge that declines: code decides the paid round alone and the block goes on', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 3, drivers: ['Ambiguity'] }),
      rounds: DISTINCT_INSIGHTS.map((text) => roundReply(text)),
      judge: (index) => (index === 2 ? declined : judgeReply()),
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli(['trace', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(responder.steps.filter((s) => s === 'round').length).toBeGreaterThan(2);
    expect(result.stdout).toContain(`**New insight:** ${DISTINCT_INSIGHTS[1]}\n`);
    expect(failingChecks(result.stdout)).toEqual([]);
    const round2 = onlyRunEvents(home).filter((e) => e.type === 'round')[1].round;
    expect(round2).toMatchObject({ judgedBy: 'none', decision: { keep: true } });
    expect(round2.decision.why).toMatch(/^judge round 2: the model declined to answer \(general_harms\).*; code alone decided: /);
  });

  it('a re-Prelude that declines: the first diagnosis stands, asked for once', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 2, drivers: ['Ambiguity'] }),
      rePrelude: declined as never,
      rounds: DISTINCT_INSIGHTS.map((text, i) => roundReply(text, i < 2 ? { missed_driver: 'System dynamics' } : {})),
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli(['trace', Q], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    expect(responder.steps.filter((s) => s === 're-prelude')).toHaveLength(1);
    expect(result.stdout).not.toContain('re-Prelude');
    expect(failingChecks(result.stdout)).toEqual([]);
    const events = onlyRunEvents(home);
    expect(events.some((e) => e.type === 're-prelude')).toBe(false);
    expect(events.filter((e) => e.type === 'call' && e.call.failed !== undefined).map((e) => e.call.step)).toEqual(['re-prelude']);
  });
});
