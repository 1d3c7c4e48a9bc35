import { describe, expect, it } from 'vitest';
import { renderTranscript, transcriptParts } from '../../src/core/coda/render-transcript.js';
import { planRounds } from '../../src/core/prelude/lens-plan.js';
import { loadReferences } from '../../src/core/prompts/reference-files.js';
import { coda, merge, prelude, rePrelude, rounds, run, steps, subagent } from './records.js';

const table = loadReferences();
const ANSWER = 'Adopt it, but enforce the format with a commit hook rather than review comments.';
const ASSUMPTIONS = ['the team keeps squash merges', 'release notes are generated from commits'];
const ASSUMPTIONS_LINE = '*Load-bearing assumptions: the team keeps squash merges; release notes are generated from commits*';
const lines = (text: string) => text.split('\n');

describe('direct', () => {
  it('renders the answer and the collapsed footer only', async () => {
    const record = run('direct', {
      prelude: prelude('direct', 'score', 1, ['Ambiguity'], []),
      coda: { answer: 'Use SQLite.' }, answer: 'Use SQLite.', stopReason: 'converged:self-consistent',
    });
    const text = renderTranscript(record);
    await expect(text).toMatchFileSnapshot('./golden/direct.md');
    expect(text).toBe('## Answer\nUse SQLite.\n\n---\n*Depth: 0 rounds. Mode: direct.*\n');
  });
});

describe('silent', () => {
  it('renders only the Coda, the lens path of the kept rounds and the assumptions', async () => {
    const record = run('silent', {
      prelude: prelude('silent', 'score', 3, ['Ambiguity'], planRounds(['Ambiguity'], table)),
      rounds: rounds(
        { lens: 'Clarify', insight: 'The real question is whether the history must feed release notes.' },
        { lens: 'Deepen', insight: 'Release tooling only works if every merge commit follows the format.' },
        { lens: 'Challenge', insight: 'Squash merges make only the PR title matter, so enforcement is cheap.', convergence: 'stable' },
        { lens: 'Expand', insight: 'Squash merges make only the PR title matter, so enforcement is cheap!', keep: false, halt: 'converged:no-delta', flags: ['ECHO'] },
      ),
      coda: coda(ANSWER, ASSUMPTIONS), answer: ANSWER, stopReason: 'converged:no-delta',
    });
    const text = renderTranscript(record);
    await expect(text).toMatchFileSnapshot('./golden/silent.md');
    expect(lines(text)).toEqual([
      '## Answer', ANSWER, '', '---',
      '*Depth: 3 latent passes. Mode: silent. Lens path: Clarify → Deepen → Challenge.*',
      ASSUMPTIONS_LINE, '',
    ]);
    expect(text).not.toContain('### Round');
    expect(text).not.toContain('## Prelude');
  });
});

const TRACE_PLAN = planRounds(['Ambiguity'], table);
const tracePrelude = prelude('trace', 'keyword', 3, ['Ambiguity'], TRACE_PLAN);
const R = [
  'Conventional Commits is a tool for release notes, not for code review.',
  'Automated changelogs need every commit on main to follow the format.',
  'Squash merging means only pull request titles need checking.',
  'A title check in CI costs minutes and removes the review burden.',
] as const;

describe('trace', () => {
  it('converged: Prelude, rounds with the insight chain from round 2, converged footer', async () => {
    const record = run('trace', {
      prelude: tracePrelude,
      rounds: rounds(
        { lens: 'Clarify', insight: R[0] }, { lens: 'Clarify', application: 2, insight: R[1] },
        { lens: 'Deepen', insight: R[2] }, { lens: 'Challenge', insight: R[3], convergence: 'stable', halt: 'converged:self-consistent' },
      ),
      coda: coda(ANSWER, ASSUMPTIONS), answer: ANSWER, stopReason: 'converged:self-consistent',
    });
    const text = renderTranscript(record);
    await expect(text).toMatchFileSnapshot('./golden/trace-converged.md');
    const all = lines(text);
    expect(all.slice(0, 5)).toEqual([
      '## Prelude',
      '**Q:** Should a three-person team adopt Conventional Commits for its monorepo? | **Not:** Not which commit linter to buy.',
      '**Complexity:** 3/5 → trace mode (forced), 6 rounds total | **Drivers:** Ambiguity',
      '**Budget:** Clarify ×2 → Deepen ×1 → Challenge ×1 → Expand ×1 → Synthesize ×1',
      '**Success:** A yes/no with the one condition that would flip it.',
    ]);
    expect(text).toContain(`### Round 1: Clarify\n**New insight:** ${R[0]}\n**What changed:** Round 1 moved the view.\n**Convergence:** evolving\n\n### Round 2: Clarify\n`);
    expect(all.filter((l) => l.startsWith('**Insight chain:**'))).toEqual([
      `**Insight chain:** R1: ${R[0]}`,
      `**Insight chain:** R1: ${R[0]} → R2: ${R[1]}`,
      `**Insight chain:** R1: ${R[0]} → R2: ${R[1]} → R3: ${R[2]}`,
    ]);
    expect(all[all.indexOf('### Round 1: Clarify') + 1]).toBe(`**New insight:** ${R[0]}`);
    expect(all[all.indexOf('### Round 4: Challenge') + 1]).toBe(`**Insight chain:** R1: ${R[0]} → R2: ${R[1]} → R3: ${R[2]}`);
    expect(text.endsWith(`## Answer\n${ANSWER}\n\n---\n*Depth: 4 rounds, converged at round 4. Mode: trace.*\n${ASSUMPTIONS_LINE}\n`)).toBe(true);
  });

  it('stopped at max rounds: the footer says so and never says "converged"', async () => {
    const plan = steps('Clarify', 'Deepen', 'Challenge', 'Synthesize');
    const record = run('trace', {
      prelude: prelude('trace', 'flag', 2, ['Ambiguity'], plan),
      rounds: rounds(
        { lens: 'Clarify', insight: R[0] }, { lens: 'Deepen', insight: R[1] },
        { lens: 'Challenge', insight: R[2] }, { lens: 'Synthesize', insight: R[3], halt: 'max-rounds' },
      ),
      coda: coda(ANSWER, []), answer: ANSWER, stopReason: 'max-rounds',
    });
    const text = renderTranscript(record);
    await expect(text).toMatchFileSnapshot('./golden/trace-max-rounds.md');
    expect(text).toContain('\n*Depth: 4 rounds, stopped at round 4: max rounds reached. Mode: trace.*\n');
    expect(text).toContain('\n*Load-bearing assumptions: none identified*\n');
    expect(text).toContain('**Complexity:** 2/5 → trace mode (forced), 4 rounds total | **Drivers:** Ambiguity');
    expect(text.toLowerCase()).not.toContain('converged');
  });

  it('negative delta: the round shows as discarded and its insight appears nowhere', async () => {
    const bad = 'Commit messages should be written in haiku to maximise reviewer delight.';
    const badChange = 'Replaced the release-notes rationale with a poetry requirement.';
    const record = run('trace', {
      prelude: tracePrelude,
      rounds: rounds(
        { lens: 'Clarify', insight: R[0] }, { lens: 'Clarify', application: 2, insight: R[1] },
        { lens: 'Deepen', insight: R[2] },
        { lens: 'Challenge', insight: bad, changed: badChange, convergence: 'breakthrough', keep: false, halt: 'negative-delta', flags: ['REGRESSION'] },
      ),
      coda: coda(ANSWER, ASSUMPTIONS), answer: ANSWER, stopReason: 'negative-delta',
    });
    const text = renderTranscript(record);
    await expect(text).toMatchFileSnapshot('./golden/trace-negative-delta.md');
    expect(text).not.toContain(bad);
    expect(text).not.toContain('haiku');
    expect(text).not.toContain(badChange);
    expect(text).not.toContain('poetry');
    expect(text).not.toContain('breakthrough');
    const all = lines(text);
    const at = all.indexOf('### Round 4: Challenge');
    expect(all.slice(at, at + 5)).toEqual([
      '### Round 4: Challenge',
      `**Insight chain:** R1: ${R[0]} → R2: ${R[1]} → R3: ${R[2]}`,
      '**New insight:** (discarded: negative delta)',
      '**What changed:** nothing kept; the block halted here',
      '**Convergence:** negative-delta',
    ]);
    expect(text).toContain('\n*Depth: 4 rounds, stopped at round 4: negative delta. Mode: trace.*\n');
  });

  it('re-Prelude: a second Prelude block headed "(re-Prelude after Round 2)" before round 3', async () => {
    const newPlan = planRounds(['Ambiguity', 'System dynamics'], table);
    const record = run('trace', {
      prelude: tracePrelude,
      rePrelude: rePrelude(tracePrelude, ['Ambiguity', 'System dynamics'], newPlan, 2, 'System dynamics'),
      rounds: rounds(
        { lens: 'Clarify', insight: R[0] },
        { lens: 'Deepen', insight: R[1], missed: 'System dynamics' },
        { lens: 'Challenge', insight: R[2] },
        { lens: 'System-Think', insight: R[3], convergence: 'stable', halt: 'converged:self-consistent' },
      ),
      coda: coda(ANSWER, ASSUMPTIONS), answer: ANSWER, stopReason: 'converged:self-consistent',
    });
    const text = renderTranscript(record);
    await expect(text).toMatchFileSnapshot('./golden/trace-re-prelude.md');
    const budget = 'Clarify ×2 → Deepen ×1 → Challenge ×1 → System-Think ×1 → Edge-Hunt ×1 → Expand ×1 → Synthesize ×1';
    expect(text).toContain([
      '**Convergence:** evolving', '',
      '## Prelude (re-Prelude after Round 2)',
      '**Q:** Should a three-person team adopt Conventional Commits for its monorepo? | **Not:** Not which commit linter to buy.',
      '**Complexity:** 3/5 → trace mode (forced), 8 rounds total | **Drivers:** Ambiguity, System dynamics',
      `**Budget:** ${budget}`,
      '**Success:** A yes/no with the one condition that would flip it.', '',
      '### Round 3: Challenge',
      `**Insight chain:** R1: ${R[0]} → R2: ${R[1]}`,
    ].join('\n'));
    expect(text.indexOf('### Round 2: Deepen')).toBeLessThan(text.indexOf('## Prelude (re-Prelude after Round 2)'));
    expect(text.match(/^## Prelude/gm)).toHaveLength(2);
    expect(text).toContain('\n*Depth: 4 rounds, converged at round 4. Mode: trace.*\n');
    expect(text).toContain(`\n*Re-Prelude after round 2: added driver System dynamics; budget now ${budget}.*\n`);
  });
});

const agentPlan = steps('Challenge', ['Challenge', 2], 'Steelman', ['Steelman', 2]);
const agentPrelude = prelude('agent', 'score', 4, ['Hidden assumptions'], agentPlan);
const F = {
  A: 'The format only pays off if release notes are generated from it.',
  B: 'Enforcement will be bypassed within a month in a three-person team.',
  D: 'Consistent history makes bisecting and reverting far cheaper.',
};

describe('agent', () => {
  it('divergent and failed subagents: dispatch line, lettered blocks, low-confidence flags', async () => {
    const record = run('agent', {
      prelude: agentPrelude,
      subagents: [
        subagent('A', 'Challenge', 1, F.A),
        subagent('B', 'Challenge', 2, F.B, { divergent: true, reply: { finding: F.B, confidence: 'high', stance: 'skip it' } }),
        subagent('C', 'Steelman', 1, null),
        subagent('D', 'Steelman', 2, F.D, { reply: { finding: F.D, confidence: 'medium', stance: 'adopt' } }),
      ],
      merge: merge({
        convergent_points: ['A and D: the value is in tooling, not in the messages'],
        tensions: ['B expects the rule to be bypassed'],
        synthesis: 'Adopt it with an automated title check.',
        divergent_subagents: ['B'],
      }),
      coda: coda(ANSWER, ASSUMPTIONS), answer: ANSWER, stopReason: 'max-rounds',
    });
    const text = renderTranscript(record);
    await expect(text).toMatchFileSnapshot('./golden/agent-divergent-failed.md');
    expect(text).toContain('**Complexity:** 4/5 → agent mode, 4 subagents total | **Drivers:** Hidden assumptions');
    expect(text).toContain('\n\n[Dispatching 4 parallel subagents: Challenge, Challenge, Steelman, Steelman]\n\n');
    expect(text).toContain(`### Subagent A — Challenge\n**Independent finding:** ${F.A}\n**Confidence:** high\n`);
    expect(text).toContain(`### Subagent B — Challenge\n**Independent finding:** ${F.B}\n**Confidence:** low (divergent)\n`);
    expect(text).toContain('### Subagent C — Steelman\n**Independent finding:** (failed: subagent call failed twice: 529 overloaded)\n**Confidence:** low\n');
    expect(text).toContain(`### Subagent D — Steelman\n**Independent finding:** ${F.D}\n**Confidence:** medium\n`);
    expect(text).toContain([
      '### Merge',
      '**Convergent points:** A and D: the value is in tooling, not in the messages',
      '**Tensions:** B expects the rule to be bypassed',
      '**Synthesis:** Adopt it with an automated title check.',
    ].join('\n'));
    expect(text.endsWith(`---\n*Depth: 3 parallel subagents merged. Mode: agent.*\n${ASSUMPTIONS_LINE}\n`)).toBe(true);
  });

  it('unresolved merge: the Synthesis sets out the competing positions', async () => {
    const plan = steps('Clarify', 'Challenge', 'Tradeoff-Map');
    const record = run('agent', {
      prelude: prelude('agent', 'keyword', 2, ['Trade-offs'], plan),
      subagents: [
        subagent('A', 'Clarify', 1, F.A), subagent('B', 'Challenge', 1, F.B), subagent('C', 'Tradeoff-Map', 1, F.D),
      ],
      merge: merge({
        convergent_points: [], tensions: ['A and C favour adopting; B expects it to fail'],
        synthesis: 'No position has enough support.', unresolved: true,
        competing_positions: ['Adopt: tooling pays for the format', 'Skip: the rule will be bypassed'],
      }),
      coda: coda(ANSWER, ASSUMPTIONS), answer: ANSWER, stopReason: 'max-rounds',
    });
    const text = renderTranscript(record);
    await expect(text).toMatchFileSnapshot('./golden/agent-unresolved.md');
    expect(text).toContain('**Complexity:** 2/5 → agent mode (forced), 3 subagents total | **Drivers:** Trade-offs');
    expect(text).toContain('[Dispatching 3 parallel subagents: Clarify, Challenge, Tradeoff-Map]');
    expect(text).toContain([
      '### Merge', '**Convergent points:** none', '**Tensions:** A and C favour adopting; B expects it to fail',
      '**Synthesis:** unresolved; competing positions: Adopt: tooling pays for the format; Skip: the rule will be bypassed',
    ].join('\n'));
    expect(text).toContain('\n*Depth: 3 parallel subagents merged. Mode: agent.*\n');
  });

  it('merge fallback: findings stand unmerged, tensions named from the stances', async () => {
    const plan = steps('Clarify', 'Challenge', 'Tradeoff-Map');
    const record = run('agent', {
      prelude: prelude('agent', 'score', 5, ['Trade-offs'], plan),
      subagents: [
        subagent('A', 'Clarify', 1, F.A, { reply: { finding: F.A, confidence: 'high', stance: 'Adopt' } }),
        subagent('B', 'Challenge', 1, F.B, { reply: { finding: F.B, confidence: 'medium', stance: 'skip it' } }),
        subagent('C', 'Tradeoff-Map', 1, F.D, { reply: { finding: F.D, confidence: 'low', stance: 'adopt ' } }),
      ],
      merge: merge(null, 'the merge call failed: 529 overloaded'),
      coda: coda(ANSWER, ASSUMPTIONS), answer: ANSWER, stopReason: 'max-rounds',
    });
    const text = renderTranscript(record);
    await expect(text).toMatchFileSnapshot('./golden/agent-merge-fallback.md');
    expect(text).toContain([
      '### Merge',
      '**Convergent points:** not merged (the merge call failed: 529 overloaded)',
      '**Tensions:** A, C: Adopt vs B: skip it',
      '**Synthesis:** not attempted; the findings above stand on their own.',
    ].join('\n'));
    // The footer here still says "3 parallel subagents merged" although the merge failed: see the report.
    expect(text).toContain('\n*Depth: 3 parallel subagents, not merged. Mode: agent.*\n');
  });
});

describe('transcriptParts', () => {
  it('has no answer part before the Coda has run', () => {
    const record = run('trace', { prelude: tracePrelude, rounds: rounds({ lens: 'Clarify', insight: R[0] }) });
    const parts = transcriptParts(record);
    expect(parts).toHaveLength(2);
    expect(parts[0]!.startsWith('## Prelude\n')).toBe(true);
    expect(parts[1]!.startsWith('### Round 1: Clarify\n')).toBe(true);
    expect(parts.join('\n')).not.toContain('## Answer');
  });
});

describe('a block that kept no round', () => {
  const empty = { lens: 'Clarify' as const, insight: 'Maybe.', keep: false, halt: 'converged:no-delta' as const };

  it('silent: answers in the direct shape and says why', async () => {
    const record = run('silent', {
      prelude: prelude('silent', 'score', 2, ['Ambiguity'], planRounds(['Ambiguity'], table)),
      rounds: rounds(empty), coda: coda(ANSWER, ASSUMPTIONS), answer: ANSWER, stopReason: 'converged:no-delta',
    });
    const text = renderTranscript(record);
    await expect(text).toMatchFileSnapshot('./golden/silent-nothing-kept.md');
    expect(lines(text)).toEqual([
      '## Answer', ANSWER, '', '---', '*Depth: 0 rounds. Mode: direct.*',
      '*Note: the block ran 1 pass and kept none; the answer rests on the diagnosis alone.*', '',
    ]);
  });

  it('trace: shows the round that stopped the block and never claims a convergence at round 0', async () => {
    const record = run('trace', {
      prelude: tracePrelude, rounds: rounds(empty), coda: coda(ANSWER, []), answer: ANSWER, stopReason: 'converged:no-delta',
    });
    const text = renderTranscript(record);
    await expect(text).toMatchFileSnapshot('./golden/trace-nothing-kept.md');
    expect(text).toContain('### Round 1: Clarify\n**New insight:** (discarded: no concrete insight)\n**What changed:** nothing kept; the block halted here\n**Convergence:** evolving\n');
    expect(text).toContain('\n*Depth: 1 round, stopped at round 1: no concrete insight. Mode: trace.*\n');
    expect(text).not.toContain('Maybe.');
    expect(text).not.toContain('round 0');
  });
});
