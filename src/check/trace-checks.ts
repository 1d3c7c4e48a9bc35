/**
 * Trace mode: the visible rounds must follow the rotation, carry their insight chain and agree
 * with the footer. Each function returns one check so every rule has its own named line.
 */
import { countProblem, type ParsedTranscript, type Round } from './parse-transcript.js';
import { check, listText, type Check } from './report.js';
import { CONVERGENCE, EARLY_HALT_REASONS, ROTATION, STOP_REASONS, leadingKeyword } from './vocabulary.js';

const at = (r: Round) => `${r.lens} at round ${r.number}`;

function roundsContiguous(rounds: readonly Round[]): Check {
  const id = 'trace-rounds-contiguous';
  if (rounds.length === 0) return check(id, false, 'no ### Round sections');
  const seen = rounds.map((r) => r.number).join(', ');
  for (const [i, r] of rounds.entries()) {
    if (r.number === i + 1) continue;
    const why = r.number > i + 1 ? `round ${i + 1} missing` : `round ${r.number} out of order`;
    return check(id, false, `${why} (rounds ${seen})`);
  }
  return check(id, true, `rounds 1..${rounds.length} without gaps`);
}

function lensesKnown(rounds: readonly Round[]): Check {
  const unknown = rounds.filter((r) => !r.lensKnown).map((r) => `round ${r.number} '${r.lens}'`);
  return unknown.length
    ? check('trace-lenses-known', false, `unknown lens: ${listText(unknown)}`)
    : check('trace-lenses-known', true, `${rounds.length} rounds, all known lenses`);
}

function challengeBeforeExpand(rounds: readonly Round[]): Check {
  const id = 'trace-challenge-before-expand';
  const challenge = rounds.find((r) => r.lens === 'Challenge');
  const late = rounds.find((r) => r.lens === 'Expand' || r.lens === 'Synthesize');
  if (!late) return check(id, true, 'no Expand or Synthesize round');
  if (!challenge || challenge.number > late.number) return check(id, false, `${at(late)} before any Challenge`);
  return check(id, true, `Challenge at round ${challenge.number} before ${at(late)}`);
}

/** A trace may lack Challenge only when it halted early for cause; a convergence needs Challenge. */
function challengeRan(t: ParsedTranscript): Check {
  const id = 'trace-challenge-ran';
  const challenge = t.rounds.find((r) => r.lens === 'Challenge');
  if (challenge) return check(id, true, `Challenge at round ${challenge.number}`);
  // A trace that escalated hands its remaining lenses, Challenge among them, to subagents.
  const subagent = t.subagents.find((s) => s.lens === 'Challenge');
  if (subagent) return check(id, true, `Challenge as subagent ${subagent.letter} after the escalation`);
  // Reaching Expand or Synthesize means the trace went past Challenge's place in the rotation.
  const late = t.rounds.find((r) => r.lens === 'Expand' || r.lens === 'Synthesize');
  if (late) return check(id, false, `no Challenge round, yet the trace reached ${at(late)}`);
  const stop = t.footer?.stop;
  if (stop?.kind === 'converged') return check(id, false, `converged at round ${stop.round} without a Challenge round; convergence needs Challenge first`);
  if (stop?.reason && EARLY_HALT_REASONS.includes(stop.reason)) {
    return check(id, true, `no Challenge round, but halted at round ${stop.round}: ${stop.reason}`);
  }
  const how = stop ? `the trace stopped at round ${stop.round}: ${stop.reason ?? '?'}` : 'the footer reports no convergence';
  return check(id, false, `no Challenge round and ${how}`);
}

function synthesizeLast(rounds: readonly Round[]): Check {
  const id = 'trace-synthesize-last';
  const first = rounds.findIndex((r) => r.lens === 'Synthesize');
  if (first === -1) return check(id, true, 'no Synthesize round');
  const after = rounds.slice(first).find((r) => r.lens !== 'Synthesize');
  if (after) return check(id, false, `Synthesize at round ${rounds[first]?.number} is followed by ${at(after)}`);
  return check(id, true, `Synthesize at round ${rounds[first]?.number} closes the trace`);
}

/** Rotation lenses never step backwards; a re-Prelude reallocates budget, so it restarts the order. */
function rotationOrder(t: ParsedTranscript): Check {
  const id = 'trace-rotation-order';
  const restarts = new Set(t.preludes.filter((p) => p.reAfter !== null).map((p) => p.roundsBefore));
  let last: Round | null = null;
  for (const [i, r] of t.rounds.entries()) {
    if (restarts.has(i)) last = null;
    const rank = ROTATION.indexOf(r.lens as (typeof ROTATION)[number]);
    if (rank === -1) continue;
    if (last && ROTATION.indexOf(last.lens as (typeof ROTATION)[number]) > rank) {
      return check(id, false, `${at(r)} after ${at(last)}`);
    }
    last = r;
  }
  return check(id, true, `rotation lenses in order: ${t.rounds.map((r) => r.lens).join(' → ') || '(none)'}`);
}

function insightChain(rounds: readonly Round[]): Check {
  const id = 'trace-insight-chain';
  if (rounds.length < 2) return check(id, true, 'single round, no chain needed');
  const problems: string[] = [];
  for (const [i, r] of rounds.entries()) {
    if (i === 0) continue;
    if (r.chain === null) { problems.push(`round ${r.number} has no insight chain`); continue; }
    const missing = rounds.slice(0, i).map((p) => p.number).filter((n) => !r.chain?.includes(n));
    if (missing.length) problems.push(`round ${r.number}'s chain lacks ${missing.map((n) => `R${n}`).join(', ')}`);
  }
  return problems.length
    ? check(id, false, problems.join('; '))
    : check(id, true, `rounds 2..${rounds.length} chain every prior round`);
}

function roundFields(rounds: readonly Round[]): Check {
  const id = 'trace-round-fields';
  const problems: string[] = [];
  for (const r of rounds) {
    const missing = ['New insight', 'What changed'].filter((label) => !r.fields[label.toLowerCase()]?.trim());
    if (missing.length) problems.push(`round ${r.number} lacks ${listText(missing)}`);
  }
  if (rounds.length === 0) return check(id, false, 'no rounds');
  return problems.length
    ? check(id, false, problems.join('; '))
    : check(id, true, 'every round has New insight and What changed');
}

function convergenceValues(rounds: readonly Round[]): Check {
  const id = 'trace-convergence-values';
  const problems: string[] = [];
  for (const r of rounds) {
    const value = r.fields['convergence'];
    if (value === undefined) problems.push(`round ${r.number} has no Convergence`);
    else if (!leadingKeyword(value, CONVERGENCE)) problems.push(`round ${r.number}: '${value}' is not ${CONVERGENCE.join('/')}`);
  }
  // negative-delta ends the block: only the last round may show it.
  rounds.forEach((r, i) => {
    const next = rounds[i + 1];
    if (next && leadingKeyword(r.fields['convergence'], CONVERGENCE) === 'negative-delta') {
      problems.push(`round ${r.number} shows negative-delta, which ends the block, yet round ${next.number} follows`);
    }
  });
  if (rounds.length === 0) return check(id, false, 'no rounds');
  return problems.length
    ? check(id, false, problems.join('; '))
    : check(id, true, `valid Convergence on all ${rounds.length} rounds`);
}

function footerShape(t: ParsedTranscript): Check {
  const id = 'trace-footer';
  const f = t.footer;
  if (!f) return check(id, false, 'no footer');
  const expected = "expected 'N rounds, converged at round X' or 'N rounds, stopped at round X: <reason>'";
  if (f.unit !== 'rounds' || !f.stop) return check(id, false, `footer depth '${f.depthText}'; ${expected}`);
  const number = countProblem(f);
  if (number) return check(id, false, number);
  if (f.stop.kind === 'converged' && f.stop.reason !== null) {
    return check(id, false, `'converged at round ${f.stop.round}' takes no reason ('${f.stop.reason}')`);
  }
  if (f.stop.kind === 'stopped' && !(STOP_REASONS as readonly string[]).includes(f.stop.reason ?? '')) {
    return check(id, false, `stop reason '${f.stop.reason ?? ''}' is not one of: ${STOP_REASONS.join(', ')}`);
  }
  return check(id, true, f.depthText);
}

function depthMatches(t: ParsedTranscript): Check {
  const id = 'trace-depth-matches';
  const depth = t.footer?.unit === 'rounds' ? t.footer.depth : null;
  if (depth === null) return check(id, false, 'footer gives no round count');
  return depth === t.rounds.length
    ? check(id, true, `footer depth ${depth} equals the ${t.rounds.length} rounds shown`)
    : check(id, false, `footer says ${depth} rounds, ${t.rounds.length} shown`);
}

function convergedWithin(t: ParsedTranscript): Check {
  const id = 'trace-converged-within-depth';
  const stop = t.footer?.stop;
  const depth = t.footer?.depth ?? null;
  if (!stop || depth === null) return check(id, false, 'footer names no converged or stopped round');
  const what = `${stop.kind} at round ${stop.round}`;
  return stop.round >= 1 && stop.round <= depth
    ? check(id, true, `${what}, within depth ${depth}`)
    : check(id, false, `${what}, outside depth ${depth}`);
}

/** One re-Prelude at most, placed right after the round it names, with the full Prelude fields. */
function rePrelude(t: ParsedTranscript, missingFields: (fields: Record<string, string>) => string[]): Check {
  const id = 'trace-re-prelude';
  const re = t.preludes.filter((p) => p.reAfter !== null);
  if (re.length === 0) return check(id, true, 'no re-Prelude');
  if (re.length > 1) return check(id, false, `${re.length} re-Preludes; the protocol allows one`);
  const p = re[0]!;
  if (p.reAfter !== p.roundsBefore) {
    return check(id, false, `re-Prelude says after Round ${p.reAfter} but follows ${p.roundsBefore} rounds`);
  }
  const missing = missingFields(p.fields);
  if (missing.length) return check(id, false, `re-Prelude after Round ${p.reAfter} lacks ${listText(missing)}`);
  return check(id, true, `one re-Prelude after Round ${p.reAfter}`);
}

export function traceChecks(t: ParsedTranscript, missingFields: (fields: Record<string, string>) => string[]): Check[] {
  return [
    roundsContiguous(t.rounds),
    lensesKnown(t.rounds),
    challengeBeforeExpand(t.rounds),
    challengeRan(t),
    synthesizeLast(t.rounds),
    rotationOrder(t),
    insightChain(t.rounds),
    roundFields(t.rounds),
    convergenceValues(t.rounds),
    footerShape(t),
    depthMatches(t),
    convergedWithin(t),
    rePrelude(t, missingFields),
  ];
}
