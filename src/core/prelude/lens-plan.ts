/**
 * Budget allocation: turns the Prelude's drivers into an ordered lens sequence.
 * A driver's lenses get two consecutive applications; specialised lenses slot in after
 * Challenge so the rotation's order (Clarify → Deepen → Challenge → Expand → Synthesize) holds.
 */
import type { DriverName, LensName } from '../schemas.js';

export interface LensTable {
  rotation: readonly LensName[];
  driverLenses: Readonly<Record<DriverName, readonly LensName[]>>;
}

export interface LensStep {
  lens: LensName;
  /** 1 for the first application of a lens, 2 for its second. */
  application: 1 | 2;
}

export const RECURRENT_MAX_ROUNDS = 8;
export const AGENT_MIN_SUBAGENTS = 3;
export const AGENT_MAX_SUBAGENTS = 5;

/** The lenses that anchor a rotation; they go last when a budget is tight, Challenge very last. */
const ANCHOR_DROP_ORDER: readonly LensName[] = ['Clarify', 'Synthesize', 'Challenge'];

function driverLensList(drivers: readonly DriverName[], table: LensTable): LensName[] {
  const seen: LensName[] = [];
  for (const driver of drivers) {
    for (const lens of table.driverLenses[driver] ?? []) if (!seen.includes(lens)) seen.push(lens);
  }
  return seen;
}

/** Orders lenses canonically: rotation order, specialised lenses right after Challenge. */
function canonicalOrder(lenses: readonly LensName[], table: LensTable): LensName[] {
  const rotation = table.rotation.filter((lens) => lenses.includes(lens));
  const specialised = lenses.filter((lens) => !table.rotation.includes(lens));
  const afterChallenge = rotation.indexOf('Challenge');
  const cut = afterChallenge === -1 ? Math.max(0, rotation.length - 1) : afterChallenge + 1;
  return [...rotation.slice(0, cut), ...specialised, ...rotation.slice(cut)];
}

function expand(order: readonly LensName[], counts: ReadonlyMap<LensName, number>): LensStep[] {
  const steps: LensStep[] = [];
  for (const lens of order) {
    const count = counts.get(lens) ?? 0;
    for (let application = 1; application <= count; application++) {
      steps.push({ lens, application: application as 1 | 2 });
    }
  }
  return steps;
}

function total(counts: ReadonlyMap<LensName, number>): number {
  let sum = 0;
  for (const count of counts.values()) sum += count;
  return sum;
}

/**
 * Removes budget until it fits, least important first: the second applications of later
 * drivers; rotation lenses no driver asked for (Expand, Deepen); the primary driver's second
 * applications (rotation lenses before specialists); specialists; finally the anchors.
 */
function trim(counts: Map<LensName, number>, limit: number, drivers: readonly DriverName[], table: LensTable, keep: readonly LensName[] = []) {
  const primary = driverLensList(drivers.slice(0, 1), table);
  const doubled = driverLensList(drivers, table);
  const later = doubled.filter((lens) => !primary.includes(lens)).reverse();
  const isRotation = (lens: LensName) => table.rotation.includes(lens);
  const unasked = (['Expand', 'Deepen'] as const).filter((lens) => !doubled.includes(lens));
  const primarySeconds = [...primary.filter(isRotation).reverse(), ...primary.filter((l) => !isRotation(l)).reverse()];
  const specialists = [...counts.keys()].filter((lens) => !isRotation(lens)).reverse();
  const rotationLeft = (['Expand', 'Deepen'] as const).filter((lens) => doubled.includes(lens));

  const cuts: Array<[LensName, 'second' | 'whole']> = [
    ...later.map((lens): [LensName, 'second'] => [lens, 'second']),
    ...unasked.map((lens): [LensName, 'whole'] => [lens, 'whole']),
    ...primarySeconds.map((lens): [LensName, 'second'] => [lens, 'second']),
    ...specialists.map((lens): [LensName, 'whole'] => [lens, 'whole']),
    ...[...rotationLeft, ...ANCHOR_DROP_ORDER].map((lens): [LensName, 'whole'] => [lens, 'whole']),
  ];
  for (const [lens, cut] of cuts) {
    if (total(counts) <= limit) return;
    if (cut === 'second' && (counts.get(lens) ?? 0) > 1) counts.set(lens, 1);
    if (cut === 'whole' && !keep.includes(lens)) counts.delete(lens);
  }
}

/** Specialists the Prelude singled out join once each; rotation lenses are already there. */
function addExtras(counts: Map<LensName, number>, extras: readonly LensName[], table: LensTable): void {
  for (const lens of extras) if (!table.rotation.includes(lens) && !counts.has(lens)) counts.set(lens, 1);
}

/** The Recurrent Block's sequence for silent and trace modes: 4–8 rounds, capped by maxRounds. */
export function planRounds(drivers: readonly DriverName[], table: LensTable, maxRounds = RECURRENT_MAX_ROUNDS, extras: readonly LensName[] = []): LensStep[] {
  const limit = Math.max(1, Math.min(maxRounds, RECURRENT_MAX_ROUNDS));
  const counts = new Map<LensName, number>(table.rotation.map((lens) => [lens, 1]));
  for (const lens of driverLensList(drivers, table)) counts.set(lens, 2);
  addExtras(counts, extras, table);
  trim(counts, limit, drivers, table);
  return expand(canonicalOrder([...counts.keys()], table), counts);
}

/** An explicit cap (--max-rounds) may ask for up to this many subagents. */
export const AGENT_HARD_MAX_SUBAGENTS = 8;

/**
 * Agent mode's subagents: driver lenses twice each, topped up from the rotation; 3–5 in all
 * unless the user set a cap (2–8).
 */
export function planSubagents(drivers: readonly DriverName[], table: LensTable, maxSubagents?: number, extras: readonly LensName[] = []): LensStep[] {
  const limit = maxSubagents === undefined ? AGENT_MAX_SUBAGENTS : Math.max(2, Math.min(maxSubagents, AGENT_HARD_MAX_SUBAGENTS));
  const doubled = driverLensList(drivers, table);
  const counts = new Map<LensName, number>(doubled.map((lens) => [lens, 2]));
  addExtras(counts, extras, table);
  // Someone must disagree: Challenge is always dispatched.
  if (!counts.has('Challenge')) counts.set('Challenge', 1);
  // Synthesis is the merge's job, so the rotation tops up without Synthesize.
  for (const lens of table.rotation) {
    if (total(counts) >= Math.min(AGENT_MIN_SUBAGENTS, limit)) break;
    if (lens !== 'Synthesize' && !counts.has(lens)) counts.set(lens, 1);
  }
  trim(counts, limit, drivers, table, ['Challenge']);
  return expand(canonicalOrder([...counts.keys()], table), counts);
}

/** `Clarify ×1 → Deepen ×2 → …` for the Prelude's Budget line. */
export function budgetLine(steps: readonly LensStep[]): string {
  const groups: Array<{ lens: LensName; count: number }> = [];
  for (const step of steps) {
    const last = groups.at(-1);
    if (last && last.lens === step.lens) last.count++;
    else groups.push({ lens: step.lens, count: 1 });
  }
  return groups.map((group) => `${group.lens} ×${group.count}`).join(' → ');
}
