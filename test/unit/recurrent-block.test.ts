import { describe, expect, it } from 'vitest';
import { planRounds, type LensStep } from '../../src/core/prelude/lens-plan.js';
import { loadReferences } from '../../src/core/prompts/reference-files.js';
import { remainingSteps } from '../../src/core/recurrent/recurrent-block.js';

const table = loadReferences();
const step = (lens: LensStep['lens'], application: 1 | 2 = 1): LensStep => ({ lens, application });

describe('remainingSteps (after a re-Prelude)', () => {
  it('drops the steps already run and keeps the rest in plan order', () => {
    const plan = planRounds(['Ambiguity'], table);
    const ran = [step('Clarify'), step('Clarify', 2), step('Deepen')];
    expect(remainingSteps(plan, ran)).toEqual([step('Challenge'), step('Expand'), step('Synthesize')]);
  });

  it('keeps a new second application of a lens that already ran once', () => {
    // Rounds 1–2 ran Clarify and Deepen; the re-Prelude adds Multi-hop, so Deepen now gets two.
    const ran = [step('Clarify'), step('Deepen')];
    const newPlan = planRounds(['Multi-hop'], table);
    expect(newPlan.slice(0, 3)).toEqual([step('Clarify'), step('Deepen'), step('Deepen', 2)]);
    expect(remainingSteps(newPlan, ran)).toEqual([
      step('Deepen', 2), step('Challenge'), step('System-Think'), step('System-Think', 2), step('Expand'), step('Synthesize'),
    ]);
  });

  it('never repeats a step that ran, even when the new plan has it earlier', () => {
    const ran = [step('Clarify'), step('Deepen'), step('Challenge')];
    const newPlan = planRounds(['Hidden assumptions'], table);
    const rest = remainingSteps(newPlan, ran);
    expect(rest).toEqual([step('Challenge', 2), step('Steelman'), step('Steelman', 2), step('Expand'), step('Synthesize')]);
    for (const done of ran) expect(rest).not.toContainEqual(done);
  });

  it('returns nothing when everything ran, and the whole plan when nothing did', () => {
    const plan = planRounds(['Trade-offs'], table);
    expect(remainingSteps(plan, plan)).toEqual([]);
    expect(remainingSteps(plan, [])).toEqual(plan);
  });
});

describe('a round whose judge cannot be paid for', () => {
  it('is kept, decided by code alone, and the block stops for budget', async () => {
    const { EventBus } = await import('../../src/core/events.js');
    const { runMythos } = await import('../../src/core/run.js');
    const { ScriptedProvider } = await import('../../src/providers/scripted.js');
    const { BudgetExhaustedError } = await import('../../src/core/errors.js');
    const { codaReply, crossCheckReply, judgeReply, preludeReply, roundReply } = await import('../helpers/mythos-script.js');
    const insights = ['Reads outnumber writes a hundred to one on this API.', 'Hot keys expiring together cause a stampede on the database.'];
    let rounds = 0;
    const provider = new ScriptedProvider((request) => {
      if (request.step === 'prelude') return preludeReply({ score: 3 });
      if (request.step === 'round') return roundReply(insights[rounds++]!);
      if (request.step === 'judge') {
        return rounds === 1 ? judgeReply() : new BudgetExhaustedError('judge round 2', 'about 40 output tokens are left under the caps');
      }
      return request.step === 'cross-check' ? crossCheckReply() : codaReply();
    });
    const { record } = await runMythos(provider, table, new EventBus(), {
      runId: 'r', question: 'How should we cache?', forced: { keyword: 'trace' }, limits: { maxRounds: undefined, concurrency: 1 },
    });
    expect(record.rounds).toHaveLength(2);
    expect(record.rounds[1]).toMatchObject({ judge: null, judgedBy: 'none', decision: { keep: true } });
    expect(record.stopReason).toBe('budget');
    expect(record.stopDetail).toContain('judge round 2 did not fit under the budget');
  });
});
