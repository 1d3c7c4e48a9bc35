/**
 * One small edit of a passing transcript per rule, asserting exactly which checks fail. The
 * last test proves every declared check id is seen both passing and failing.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_IDS, checkTranscript, type CheckMode } from '../../src/check/index.js';
import { edit, failingIds, find, fixture } from './helpers.js';

const seenPass = new Set<string>();
const seenFail = new Set<string>();

function run(text: string, mode?: CheckMode) {
  const report = checkTranscript(text, mode ? { mode } : {});
  for (const c of report.checks) (c.pass ? seenPass : seenFail).add(c.id);
  return report;
}

const direct = fixture('direct-pass.md');
const silent = fixture('silent-pass.md');
const trace = fixture('trace-pass.md');
const stopped = fixture('trace-stopped-pass.md');
const agent = fixture('agent-pass.md');

const ROUND_5 = `### Round 5: Tradeoff-Map
**Insight chain:** R1: a → R2: b → R3: c → R4: d
**New insight:** Smaller changes cost more review sessions.
**What changed:** The plan has a price.
**Convergence:** stable

## Answer`;

const SHORT_TRACE = (lens3: string, footer: string) => `## Prelude
**Q:** q | **Not:** n
**Complexity:** 2/5 → trace mode (forced), 3 rounds total | **Drivers:** Ambiguity
**Budget:** Clarify ×1 → Deepen ×1 → ${lens3} ×1
**Success:** s

### Round 1: Clarify
**New insight:** a
**What changed:** b
**Convergence:** evolving

### Round 2: Deepen
**Insight chain:** R1: a
**New insight:** c
**What changed:** d
**Convergence:** stable

### Round 3: ${lens3}
**Insight chain:** R1: a → R2: c
**New insight:** e
**What changed:** f
**Convergence:** stable

## Answer
Done.

---
*Depth: 3 rounds, ${footer}. Mode: trace.*
*Load-bearing assumptions: x*
`;

/** A trace that halted on its first round, with the footer's count as given. */
const ONE_ROUND = (count: string) => `## Prelude
**Q:** q | **Not:** n
**Complexity:** 2/5 → trace mode (forced), 3 rounds total | **Drivers:** Ambiguity
**Budget:** Clarify ×1 → Deepen ×1 → Challenge ×1
**Success:** s

### Round 1: Clarify
**New insight:** (discarded: negative delta)
**What changed:** nothing kept; the block halted here
**Convergence:** negative-delta

## Answer
Done.

---
*Depth: ${count}, stopped at round 1: negative delta. Mode: trace.*
*Load-bearing assumptions: x*
`;

const cases: Array<{ name: string; text: string; mode?: CheckMode; fails: string[] }> = [
  // direct
  { name: 'direct footer with rounds', text: edit(direct, ['0 rounds', '1 rounds']), fails: ['direct-footer'] },
  { name: 'direct footer "0 round"', text: edit(direct, ['0 rounds', '0 round']), fails: ['direct-footer'] },
  { name: 'direct with a Prelude', text: edit(direct, ['## Answer', '## Prelude\n**Q:** x\n\n## Answer']), fails: ['direct-no-protocol'] },
  { name: 'direct with a load-bearing line', text: `${direct}*Load-bearing assumptions: x*\n`, fails: ['direct-no-protocol'] },
  { name: 'no Answer heading', text: edit(direct, ['## Answer\n', '']), fails: ['answer-present'] },
  { name: 'empty Answer', text: edit(direct, ['Use `Array.prototype.at(-1)` to read the last element.\n', '']), fails: ['answer-present'] },
  { name: 'silent checked as direct', text: silent, mode: 'direct', fails: ['footer-mode-matches', 'direct-footer', 'direct-no-protocol'] },
  // silent
  { name: 'silent with a Prelude', text: edit(silent, ['## Answer', '## Prelude\n**Q:** x\n\n## Answer']), fails: ['silent-no-prelude'] },
  { name: 'silent footer in rounds', text: edit(silent, ['3 latent passes', '3 rounds']), fails: ['silent-footer', 'silent-depth-consistent'] },
  { name: 'silent footer without lens path', text: edit(silent, [' Lens path: Clarify → Deepen → Challenge.', '']), fails: ['silent-footer', 'silent-lens-path', 'silent-depth-consistent'] },
  { name: 'silent unknown lens', text: edit(silent, ['→ Deepen →', '→ Ponder →']), fails: ['silent-lens-path'] },
  { name: 'silent footer "1 latent passes"', text: edit(silent, ['3 latent passes', '1 latent passes'], ['Clarify → Deepen → Challenge.', 'Clarify.']), fails: ['silent-footer'] },
  { name: 'silent footer "3 latent pass"', text: edit(silent, ['3 latent passes', '3 latent pass']), fails: ['silent-footer'] },
  { name: 'silent depth off by one', text: edit(silent, ['3 latent passes', '4 latent passes']), fails: ['silent-depth-consistent'] },
  { name: 'silent ×2 lens path counts twice', text: edit(silent, ['3 latent passes', '4 latent passes'], ['Deepen →', 'Deepen ×2 →']), fails: [] },
  { name: 'silent without load-bearing', text: edit(silent, ['*Load-bearing assumptions: one user at a time; no server-side sync planned*\n', '']), fails: ['load-bearing-present'] },
  // trace
  { name: 'Prelude without Not', text: edit(trace, [' | **Not:** tooling vendor choice', '']), fails: ['prelude-fields'] },
  { name: 'Prelude with a worded Complexity', text: edit(trace, ['**Complexity:** 3/5', '**Complexity:** high']), fails: ['prelude-fields'] },
  { name: 'no Prelude', text: edit(trace, ['## Prelude\n', '']), fails: ['prelude-fields'] },
  { name: 'unknown round lens', text: edit(trace, ['### Round 2 — Deepen', '### Round 2 — Ponder']), fails: ['trace-lenses-known'] },
  { name: 'rounds out of order', text: edit(trace, ['### Round 2 — Deepen', '### Round 3 — Deepen'], ['### Round 3: Challenge', '### Round 2: Challenge']), fails: ['trace-rounds-contiguous', 'trace-insight-chain'] },
  { name: 'Synthesize before the end', text: edit(trace, ['converged at round 4', 'converged at round 5'], ['*Depth: 4', '*Depth: 5'], ['## Answer', ROUND_5]), fails: ['trace-synthesize-last'] },
  { name: 'Deepen after Clarify reversed', text: edit(trace, ['### Round 1: Clarify', '### Round 1: Deepen'], ['### Round 2 — Deepen', '### Round 2 — Clarify']), fails: ['trace-rotation-order'] },
  { name: 'round without What changed', text: edit(trace, ['**What changed:** The metric moved from volume to yield.\n', '']), fails: ['trace-round-fields'] },
  { name: 'empty New insight', text: edit(trace, ['**New insight:** Most escaped defects come from changes too large to read.', '**New insight:**']), fails: ['trace-round-fields'] },
  { name: 'unfilled Convergence template', text: edit(trace, ['**Convergence:** evolving', '**Convergence:** evolving / stable']), fails: ['trace-convergence-values'] },
  { name: 'negative-delta before the last round', text: edit(trace, ['**Convergence:** evolving', '**Convergence:** negative-delta']), fails: ['trace-convergence-values'] },
  { name: 'missing Convergence', text: edit(trace, ['**Convergence:** breakthrough\n', '']), fails: ['trace-convergence-values'] },
  { name: 'unknown stop reason', text: edit(trace, ['converged at round 4', 'stopped at round 4: tired']), fails: ['trace-footer'] },
  { name: 'footer without a stop', text: edit(trace, [', converged at round 4', '']), fails: ['trace-footer', 'trace-converged-within-depth'] },
  { name: 'silent footer on a trace', text: edit(trace, ['Depth: 4 rounds, converged at round 4. Mode: trace.', 'Depth: 4 latent passes. Mode: trace.']), fails: ['trace-footer', 'trace-depth-matches', 'trace-converged-within-depth'] },
  { name: 'trace footer "4 round"', text: edit(trace, ['*Depth: 4 rounds', '*Depth: 4 round']), fails: ['trace-footer'] },
  { name: 'trace footer "1 rounds"', text: ONE_ROUND('1 rounds'), fails: ['trace-footer'] },
  { name: 'trace footer "1 round"', text: ONE_ROUND('1 round'), fails: [] },
  { name: 'converged at round 0', text: edit(trace, ['converged at round 4', 'converged at round 0']), fails: ['trace-converged-within-depth'] },
  { name: 'trace without load-bearing', text: edit(trace, ['*Load-bearing assumptions: defects escape mainly through large changes*\n', '']), fails: ['load-bearing-present'] },
  { name: 'a convergence before any Challenge', text: SHORT_TRACE('Tradeoff-Map', 'converged at round 3'), fails: ['trace-challenge-ran'] },
  { name: 'a budget stop excuses Challenge', text: SHORT_TRACE('Tradeoff-Map', 'stopped at round 3: budget reached'), fails: [] },
  { name: 'negative-delta halt excuses Challenge', text: SHORT_TRACE('Tradeoff-Map', 'stopped at round 3: negative delta'), fails: [] },
  { name: 'budget ran out without Challenge', text: SHORT_TRACE('Tradeoff-Map', 'stopped at round 3: max rounds reached'), fails: ['trace-challenge-ran'] },
  { name: 'Synthesize without Challenge', text: SHORT_TRACE('Synthesize', 'converged at round 3'), fails: ['trace-challenge-before-expand', 'trace-challenge-ran'] },
  { name: 're-Prelude names the wrong round', text: edit(stopped, ['(re-Prelude after Round 2)', '(re-Prelude after Round 3)']), fails: ['trace-re-prelude'] },
  { name: 're-Prelude without Budget', text: edit(stopped, ['**Budget:** Challenge ×1 → Tradeoff-Map ×1\n', '']), fails: ['trace-re-prelude'] },
  { name: 'two re-Preludes', text: edit(stopped, ['### Round 4', '## Prelude (re-Prelude after Round 3)\n**Q:** q\n\n### Round 4']), fails: ['trace-re-prelude'] },
  // agent
  { name: 'agent Prelude without Budget', text: edit(agent, ['**Budget:** Steelman ×2 → Tradeoff-Map ×1 → Challenge ×1\n', '']), fails: ['prelude-fields'] },
  { name: 'no dispatch line', text: edit(agent, ['[Dispatching 4 parallel subagents: Steelman, Steelman, Tradeoff-Map, Challenge]\n', '']), fails: ['agent-dispatch-line', 'agent-dispatch-count', 'agent-dispatch-lenses'] },
  { name: 'dispatch lists too few lenses', text: edit(agent, [', Challenge]', ']']), fails: ['agent-dispatch-count', 'agent-dispatch-lenses'] },
  { name: 'section lens not dispatched', text: edit(agent, ['### Subagent C — Tradeoff-Map', '### Subagent C — Invert']), fails: ['agent-dispatch-lenses'] },
  { name: 'unknown subagent lens', text: edit(agent, ['### Subagent C — Tradeoff-Map', '### Subagent C — Ponder']), fails: ['agent-dispatch-lenses'] },
  { name: 'subagent letters skip', text: edit(agent, ['### Subagent C', '### Subagent E']), fails: ['agent-subagent-letters'] },
  { name: 'subagent without a finding', text: edit(agent, ['**Independent finding:** Opt-out regimes trade creator control for model coverage.\n', '']), fails: ['agent-subagent-findings'] },
  { name: 'subagent with a bad confidence', text: edit(agent, ['**Confidence:** high', '**Confidence:** sure']), fails: ['agent-subagent-confidence'] },
  { name: 'subagent without confidence', text: edit(agent, ['**Confidence:** high\n', '']), fails: ['agent-subagent-confidence'] },
  { name: 'Merge without Convergent points', text: edit(agent, ['**Convergent points:** Accessibility is not the same as permission.\n', '']), fails: ['agent-merge-convergent-points'] },
  { name: 'Merge with empty Synthesis', text: edit(agent, ['**Synthesis:** Ethical only with meaningful opt-out; the reading/copying tension stays open.', '**Synthesis:**']), fails: ['agent-merge-synthesis'] },
  { name: 'no Merge', text: edit(agent, ['### Merge\n', '']), fails: ['agent-merge-convergent-points', 'agent-merge-tensions', 'agent-merge-synthesis'] },
  { name: 'agent footer in rounds', text: edit(agent, ['4 parallel subagents merged', '4 rounds']), fails: ['agent-footer', 'agent-footer-count'] },
  { name: 'agent footer "4 parallel subagent merged"', text: edit(agent, ['4 parallel subagents merged', '4 parallel subagent merged']), fails: ['agent-footer'] },
  { name: 'agent footer count off', text: edit(agent, ['4 parallel subagents merged', '3 parallel subagents merged']), fails: ['agent-footer-count'] },
  { name: 'a failed subagent is shown but not merged', text: edit(agent, ['4 parallel subagents merged', '3 parallel subagents merged'], ['**Independent finding:** "Public" conflates accessible with unowned.', '**Independent finding:** (failed: timeout)']), fails: [] },
  { name: 'agent without load-bearing', text: edit(agent, ['*Load-bearing assumptions: model training counts as use, not mere reading*\n', '']), fails: ['load-bearing-present'] },
];

describe('each rule', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.fails.length ? `fails ${c.fails.join(', ')}` : 'passes'}`, () => {
      expect(failingIds(run(c.text, c.mode))).toEqual(c.fails);
    });
  }

  it('names the rule in the detail', () => {
    const gapped = run(edit(trace, ['### Round 2 — Deepen', '### Round 3 — Deepen'], ['### Round 3: Challenge', '### Round 2: Challenge']));
    expect(find(gapped, 'trace-rounds-contiguous').detail).toBe('round 2 missing (rounds 1, 3, 2, 4)');
    const reversed = run(edit(trace, ['### Round 1: Clarify', '### Round 1: Deepen'], ['### Round 2 — Deepen', '### Round 2 — Clarify']));
    expect(find(reversed, 'trace-rotation-order').detail).toBe('Clarify at round 2 after Deepen at round 1');
    const reason = run(edit(trace, ['converged at round 4', 'stopped at round 4: tired']));
    expect(find(reason, 'trace-footer').detail).toMatch(/^stop reason 'tired' is not one of: max rounds reached/);
    const singular = "(a count of 1 takes the singular, any other count the plural)";
    expect(find(run(ONE_ROUND('1 rounds')), 'trace-footer').detail).toBe(`'1 rounds' should read '1 round' ${singular}`);
    expect(find(run(edit(trace, ['*Depth: 4 rounds', '*Depth: 4  Round'])), 'trace-footer').detail).toBe(`'4 round' should read '4 rounds' ${singular}`);
    expect(find(run(edit(direct, ['0 rounds', '0 round'])), 'direct-footer').detail).toBe(`'0 round' should read '0 rounds' ${singular}`);
    const onePass = edit(silent, ['3 latent passes', '1 latent passes'], ['Clarify → Deepen → Challenge.', 'Clarify.']);
    expect(find(run(onePass), 'silent-footer').detail).toBe(`'1 latent passes' should read '1 latent pass' ${singular}`);
    const agentSingular = edit(agent, ['4 parallel subagents merged', '4 parallel subagent merged']);
    expect(find(run(agentSingular), 'agent-footer').detail).toBe(`'4 parallel subagent' should read '4 parallel subagents' ${singular}`);
    const early = run(SHORT_TRACE('Tradeoff-Map', 'converged at round 3'));
    expect(find(early, 'trace-challenge-ran').detail).toBe('converged at round 3 without a Challenge round; convergence needs Challenge first');
  });
});

describe('coverage', () => {
  // Re-runs every input above so this test stands alone under filtering or shuffling.
  it('every check id is seen passing and failing', () => {
    for (const name of [
      'direct-pass.md', 'silent-pass.md', 'trace-pass.md', 'trace-stopped-pass.md', 'agent-pass.md',
      'silent-visible-rounds.md', 'trace-skips-challenge.md', 'trace-missing-chain.md', 'agent-no-tensions.md',
      'agent-dispatch-mismatch.md', 'trace-depth-mismatch.md', 'trace-converged-outside.md', 'trace-round-gap.md',
    ]) run(fixture(name));
    run(trace, 'trace');
    run('## Answer\nx\n');
    run(fixture('direct-pass.md').replace('*Depth: 0 rounds. Mode: direct.*', ''), 'direct');
    for (const c of cases) run(c.text, c.mode);
    expect(CHECK_IDS.filter((id) => !seenPass.has(id))).toEqual([]);
    expect(CHECK_IDS.filter((id) => !seenFail.has(id))).toEqual([]);
  });
});
