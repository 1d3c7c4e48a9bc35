/**
 * Helpers for tests that stop, resume and inspect runs: a scenario keyed by round number (so a
 * resumed run gets the same replies), waiting on the fake API, and reading a run log back.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonReply, type FakeApi, type RecordedRequest } from '../fake-api/index.js';
import { codaReply, crossCheckReply, judgeReply, preludeReply, promptOf, roundReply, stepOf } from './mythos-script.js';
import { runCli, type CliResult } from './run-cli.js';

export const QUESTION = 'Our startup has 3 months of runway and declining retention. Pivot or stay?';
export const INSIGHTS = [
  'Declining retention with good reviews points to a value gap after onboarding.',
  'Runway of three months allows one real experiment, not two.',
  'The pivot framing assumes the current users cannot be won back.',
  'Steelmanning stay: a retention fix is cheaper than new acquisition.',
  'Steelmanning pivot: adjacent segments already show pull.',
  'Expanding: a partial pivot to the strongest segment keeps the codebase.',
  'Synthesis: run a four-week retention sprint with a pivot trigger.',
  'Hiring freezes buy a few extra weeks without touching the product.',
];

/** Answers by the round number in the prompt; `slowRound` never answers in time (a run to stop). */
export function byRoundNumber(options: { slowRound?: number } = {}) {
  let seenPrelude = false;
  return (request: RecordedRequest) => {
    const step = stepOf(request, seenPrelude);
    if (step === 'prelude') seenPrelude = true;
    const round = Number(/Round (\d+) of/.exec(promptOf(request))?.[1] ?? /round (\d+)/i.exec(promptOf(request))?.[1] ?? 0);
    if (step === 'prelude') return jsonReply(preludeReply({ score: 3, drivers: ['Hidden assumptions'] }));
    if (step === 'round') return jsonReply(roundReply(INSIGHTS[round - 1] ?? `Extra insight ${round} about runway.`), { delayMs: round === options.slowRound ? 60_000 : 0 });
    if (step === 'judge') return jsonReply(judgeReply('advances'));
    if (step === 'coda') return jsonReply(codaReply('Run a four-week retention sprint, then decide.', ['the sprint can ship in four weeks']));
    if (step === 'cross-check') return jsonReply(crossCheckReply());
    throw new Error(`unexpected ${step}`);
  };
}

export async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function runLogPath(home: string, id: string): string {
  return join(home, 'runs', `${id}.jsonl`);
}

export function lockPath(home: string, id: string): string {
  return join(home, 'runs', `${id}.lock`);
}

/** The only run log under a home, as its id. */
export function onlyRunId(home: string): string {
  const logs = readdirSync(join(home, 'runs')).filter((name) => name.endsWith('.jsonl'));
  if (logs.length !== 1) throw new Error(`expected one run log, found ${logs.length}`);
  return logs[0]!.slice(0, -'.jsonl'.length);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function eventsOf(home: string, id: string): any[] {
  return readFileSync(runLogPath(home, id), 'utf8').trim().split('\n').map((line) => JSON.parse(line).event);
}

/** The events of the only run under a home. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function onlyRunEvents(home: string): any[] {
  return eventsOf(home, onlyRunId(home));
}

export function lockExists(home: string, id: string): boolean {
  return existsSync(lockPath(home, id));
}

/** Starts a trace run and stops it with `signal` once round 4 is in flight; the run's id comes back. */
export async function stoppedRun(api: FakeApi, env: NodeJS.ProcessEnv, signal: NodeJS.Signals = 'SIGINT'): Promise<{ result: CliResult; id: string }> {
  const result = await runCli(['trace', QUESTION], {
    env,
    onSpawn: (child) => {
      void waitFor(() => api.requests.some((r) => /Round 4 of/.test(promptOf(r)))).then(() => child.kill(signal));
    },
  });
  const id = /mythos resume (\S+)/.exec(result.stderr)?.[1];
  if (!id) throw new Error(`no resume hint in: ${result.stderr}`);
  return { result, id };
}
