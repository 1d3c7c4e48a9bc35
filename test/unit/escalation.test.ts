import { describe, expect, it } from 'vitest';
import { keepChallenge } from '../../src/core/recurrent/escalation.js';
import type { LensStep } from '../../src/core/prelude/lens-plan.js';

const steps = (...lenses: string[]) => lenses.map((lens) => ({ lens, application: 1 }) as LensStep);
const names = (list: LensStep[]) => list.map((s) => s.lens);

describe('keepChallenge', () => {
  it('cuts from the end but never cuts Challenge, keeping plan order', () => {
    const plan = steps('Clarify', 'Deepen', 'Challenge', 'Expand', 'Synthesize');
    expect(names(keepChallenge(plan, 2))).toEqual(['Clarify', 'Challenge']);
    expect(names(keepChallenge(plan, 1))).toEqual(['Challenge']);
    expect(names(keepChallenge(plan, 3))).toEqual(['Clarify', 'Deepen', 'Challenge']);
    expect(names(keepChallenge(plan, 5))).toEqual(['Clarify', 'Deepen', 'Challenge', 'Expand', 'Synthesize']);
    expect(keepChallenge(plan, 0)).toEqual([]);
  });

  it('is a plain cut when Challenge already ran', () => {
    expect(names(keepChallenge(steps('Expand', 'Synthesize', 'Edge-Hunt'), 2))).toEqual(['Expand', 'Synthesize']);
  });
});
