import { describe, expect, it } from 'vitest';
import {
  budgetLine, planRounds, planSubagents, RECURRENT_MAX_ROUNDS, type LensStep,
} from '../../src/core/prelude/lens-plan.js';
import { loadReferences } from '../../src/core/prompts/reference-files.js';
import { DRIVERS, type DriverName, type LensName } from '../../src/core/schemas.js';

const table = loadReferences();

/** Every set of 1–3 distinct drivers (the Prelude picks 1–3). */
function driverSets(): DriverName[][] {
  const sets: DriverName[][] = [];
  DRIVERS.forEach((a, i) => {
    sets.push([a]);
    DRIVERS.slice(i + 1).forEach((b, j) => {
      sets.push([a, b]);
      DRIVERS.slice(i + j + 2).forEach((c) => sets.push([a, b, c]));
    });
  });
  return sets;
}
const ALL_SETS = driverSets();

const lenses = (steps: readonly LensStep[]) => steps.map((s) => s.lens);
const count = (steps: readonly LensStep[], lens: LensName) => steps.filter((s) => s.lens === lens).length;

/** Same lens twice means two consecutive steps, application 1 then 2; never a third. */
function expectWellFormed(steps: readonly LensStep[], label: string) {
  steps.forEach((step, i) => {
    const previous = steps[i - 1];
    if (step.application === 2) {
      expect(previous, `${label}: second ${step.lens} must follow its first`).toEqual({ lens: step.lens, application: 1 });
    } else {
      expect(count(steps, step.lens), `${label}: ${step.lens}`).toBeLessThanOrEqual(2);
      expect(steps.slice(0, i).some((s) => s.lens === step.lens), `${label}: ${step.lens} restarted`).toBe(false);
    }
  });
}

/** No Expand or Synthesize before (or between) Challenge steps; rotation lenses keep their order. */
function expectRotationOrder(steps: readonly LensStep[], label: string) {
  const names = lenses(steps);
  const lastChallenge = names.lastIndexOf('Challenge');
  for (const lens of ['Expand', 'Synthesize'] as const) {
    const first = names.indexOf(lens);
    if (first !== -1 && lastChallenge !== -1) expect(first, `${label}: ${lens} before Challenge`).toBeGreaterThan(lastChallenge);
  }
  const rotationSeen = names.filter((n) => table.rotation.includes(n)).filter((n, i, all) => all.indexOf(n) === i);
  expect(rotationSeen, label).toEqual(table.rotation.filter((n) => rotationSeen.includes(n)));
}

describe('the lens table loaded from references/lenses.md', () => {
  it('matches the spec: rotation and the driver → lens table', () => {
    expect(table.rotation).toEqual(['Clarify', 'Deepen', 'Challenge', 'Expand', 'Synthesize']);
    expect(table.driverLenses).toEqual({
      Ambiguity: ['Clarify'],
      'Hidden assumptions': ['Challenge', 'Steelman'],
      'Multi-hop': ['Deepen', 'System-Think'],
      'Trade-offs': ['Tradeoff-Map', 'Expand'],
      'Novel domain': ['First-Principles', 'Expand'],
      'System dynamics': ['System-Think', 'Edge-Hunt'],
    });
  });
});

describe('planRounds (silent / trace)', () => {
  it('gives exact budgets for single drivers', () => {
    const line = (d: DriverName) => budgetLine(planRounds([d], table));
    expect(line('Ambiguity')).toBe('Clarify ×2 → Deepen ×1 → Challenge ×1 → Expand ×1 → Synthesize ×1');
    expect(line('Hidden assumptions')).toBe('Clarify ×1 → Deepen ×1 → Challenge ×2 → Steelman ×2 → Expand ×1 → Synthesize ×1');
    expect(line('Multi-hop')).toBe('Clarify ×1 → Deepen ×2 → Challenge ×1 → System-Think ×2 → Expand ×1 → Synthesize ×1');
    expect(line('Trade-offs')).toBe('Clarify ×1 → Deepen ×1 → Challenge ×1 → Tradeoff-Map ×2 → Expand ×2 → Synthesize ×1');
    expect(line('Novel domain')).toBe('Clarify ×1 → Deepen ×1 → Challenge ×1 → First-Principles ×2 → Expand ×2 → Synthesize ×1');
  });

  it('gives both of a single driver\'s lenses two consecutive applications (where 8 rounds allow)', () => {
    // System dynamics is left out on purpose: see the report (Edge-Hunt gets only one round).
    for (const driver of DRIVERS.filter((d) => d !== 'System dynamics')) {
      const steps = planRounds([driver], table);
      for (const lens of table.driverLenses[driver]) expect(count(steps, lens), `${driver}: ${lens}`).toBe(2);
    }
  });

  it('keeps every plan within 4–8 rounds, in rotation order, Synthesize last', () => {
    for (const drivers of ALL_SETS) {
      const steps = planRounds(drivers, table);
      const label = drivers.join(' + ');
      expect(steps.length, label).toBeGreaterThanOrEqual(4);
      expect(steps.length, label).toBeLessThanOrEqual(RECURRENT_MAX_ROUNDS);
      expect(steps.at(-1)?.lens, label).toBe('Synthesize');
      expect(lenses(steps), label).toContain('Challenge');
      expectWellFormed(steps, label);
      expectRotationOrder(steps, label);
    }
  });

  it('honours a lower maxRounds and never exceeds 8 for a higher one', () => {
    for (const drivers of ALL_SETS) {
      for (const max of [1, 2, 3, 4, 5, 6, 7]) {
        const steps = planRounds(drivers, table, max);
        const label = `${drivers.join(' + ')} max ${max}`;
        expect(steps.length, label).toBeLessThanOrEqual(max);
        expect(steps.length, label).toBe(Math.min(max, planRounds(drivers, table).length));
        expect(lenses(steps), label).toContain('Challenge');
        if (lenses(steps).includes('Synthesize')) expect(steps.at(-1)?.lens, label).toBe('Synthesize');
        expectWellFormed(steps, label);
        expectRotationOrder(steps, label);
      }
      expect(planRounds(drivers, table, 20).length).toBeLessThanOrEqual(8);
    }
  });

  it('keeps the primary driver doubled when two drivers overflow the cap', () => {
    expect(budgetLine(planRounds(['Hidden assumptions', 'System dynamics'], table))).toBe(
      'Clarify ×1 → Challenge ×2 → Steelman ×2 → System-Think ×1 → Edge-Hunt ×1 → Synthesize ×1',
    );
    expect(budgetLine(planRounds(['System dynamics'], table))).toBe(
      'Clarify ×1 → Deepen ×1 → Challenge ×1 → System-Think ×2 → Edge-Hunt ×2 → Synthesize ×1',
    );
  });

  it('trims a tight budget to the rotation core', () => {
    // A driver's lens (Expand, for Trade-offs) outlasts a rotation lens nobody asked for (Deepen).
    expect(budgetLine(planRounds(['Hidden assumptions', 'Trade-offs'], table, 4))).toBe('Clarify ×1 → Challenge ×1 → Expand ×1 → Synthesize ×1');
    expect(budgetLine(planRounds([], table, 4))).toBe('Clarify ×1 → Deepen ×1 → Challenge ×1 → Synthesize ×1');
    expect(budgetLine(planRounds(['Ambiguity'], table, 5))).toBe('Clarify ×2 → Deepen ×1 → Challenge ×1 → Synthesize ×1');
  });
});

describe('planSubagents (agent)', () => {
  it('plans 3–5 subagents, always Challenge, never Synthesize', () => {
    for (const drivers of ALL_SETS) {
      const steps = planSubagents(drivers, table);
      const label = drivers.join(' + ');
      expect(steps.length, label).toBeGreaterThanOrEqual(3);
      expect(steps.length, label).toBeLessThanOrEqual(5);
      expect(lenses(steps), label).toContain('Challenge');
      expect(lenses(steps), label).not.toContain('Synthesize');
      expectWellFormed(steps, label);
      expectRotationOrder(steps, label);
    }
  });

  it('dispatches two subagents for each lens of a single driver', () => {
    for (const driver of DRIVERS) {
      const steps = planSubagents([driver], table);
      for (const lens of table.driverLenses[driver]) expect(count(steps, lens), `${driver}: ${lens}`).toBe(2);
    }
  });

  it('calibration case 5: Hidden assumptions + Trade-offs → two Steelman and a Tradeoff-Map', () => {
    const steps = planSubagents(['Hidden assumptions', 'Trade-offs'], table);
    expect(count(steps, 'Steelman')).toBe(2);
    expect(count(steps, 'Tradeoff-Map')).toBeGreaterThanOrEqual(1);
    expect(budgetLine(steps)).toBe('Challenge ×1 → Steelman ×2 → Tradeoff-Map ×1 → Expand ×1');
    expect(steps.slice(1, 3)).toEqual([{ lens: 'Steelman', application: 1 }, { lens: 'Steelman', application: 2 }]);
  });

  it('tops a thin plan up from the rotation without Synthesize', () => {
    expect(budgetLine(planSubagents(['Ambiguity'], table))).toBe('Clarify ×2 → Challenge ×1');
    expect(budgetLine(planSubagents(['System dynamics'], table))).toBe('Challenge ×1 → System-Think ×2 → Edge-Hunt ×2');
    expect(budgetLine(planSubagents(['Hidden assumptions'], table))).toBe('Challenge ×2 → Steelman ×2');
  });

  it('caps at the requested number when it is 3–5', () => {
    for (const drivers of ALL_SETS) {
      for (const max of [3, 4, 5]) {
        const steps = planSubagents(drivers, table, max);
        expect(steps.length).toBeGreaterThanOrEqual(3);
        expect(steps.length).toBeLessThanOrEqual(max);
        expect(lenses(steps)).toContain('Challenge');
      }
    }
  });
});

describe('budgetLine', () => {
  it('renders groups as "Lens ×n" joined by " → "', () => {
    const steps: LensStep[] = [
      { lens: 'Clarify', application: 1 }, { lens: 'Deepen', application: 1 }, { lens: 'Deepen', application: 2 },
      { lens: 'Challenge', application: 1 },
    ];
    expect(budgetLine(steps)).toBe('Clarify ×1 → Deepen ×2 → Challenge ×1');
    expect(budgetLine([])).toBe('');
  });
});
