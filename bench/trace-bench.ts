/**
 * Trace mode with 8 rounds that all run: orchestrator overhead per call, and the token economy
 * of the prompts the CLI actually sent (read back from the fake server's request log).
 */
import type { RecordedRequest } from '../test/fake-api/index.js';
import { promptOf, roundReply, stepOf } from '../test/helpers/mythos-script.js';
import { assertOk, runCli } from './cli-run.js';
import { QUESTION, traceResponder, TRACE_INSIGHTS, TRACE_STANCE, TRACE_WHAT_CHANGED } from './scenarios.js';
import { leastSquares, steps } from './stats.js';

export const TRACE_ROUNDS = 8;

/** ~4 characters per token: the same rough rule the fake API uses for usage. */
export const tokens = (chars: number) => chars / 4;

export interface TokenEconomy {
  /** Input tokens (system + user text) of each round's request, round 1 first. */
  perRound: number[];
  growth: number[];
  slope: number;
  r2: number;
  /** The cache-marked system block, in tokens (identical on every call). */
  prefixTokens: number;
  /** prefix / input of each round. */
  prefixShare: number[];
  /** Tokens of the insight chain inside each round's prompt: the only part meant to grow. */
  chainTokens: number[];
  /** Every call of the run (judges, Prelude, Coda too): prefix tokens / input tokens. */
  runPrefixShare: number;
  naive: { perRound: number[]; growth: number[]; slope: number; r2: number; prefixShare: number[] };
}

export interface TraceSample {
  overheadPerCallMs: number;
  spanMs: number;
  processWallMs: number;
  startupMs: number;
  calls: number;
  economy: TokenEconomy;
}

function systemText(request: RecordedRequest): string {
  const system = request.body?.system as Array<{ text?: string }> | string | undefined;
  if (typeof system === 'string') return system;
  return (system ?? []).map((b) => b.text ?? '').join('');
}

function messagesText(request: RecordedRequest): string {
  const messages = (request.body?.messages ?? []) as Array<{ content: unknown }>;
  return messages
    .map(({ content }) => (typeof content === 'string' ? content : Array.isArray(content) ? content.map((b: { text?: string }) => b.text ?? '').join('') : ''))
    .join('');
}

const inputTokens = (r: RecordedRequest) => tokens(systemText(r).length + messagesText(r).length);

/** Lines of the form `R3 (Challenge): …`: the insight chain as the prompt carries it. */
function chainChars(prompt: string): number {
  return (prompt.match(/^R\d+ \([^)\n]+\): .*$/gm) ?? []).reduce((n, line) => n + line.length + 1, 0);
}

/** The replies the fake sent for the rounds, as JSON text: what a naive prompt would carry. */
export function roundReplyTexts(): string[] {
  return TRACE_INSIGHTS.map((insight) => JSON.stringify(roundReply(insight, { what_changed: TRACE_WHAT_CHANGED, stance: TRACE_STANCE })));
}

export function tokenEconomy(requests: readonly RecordedRequest[]): TokenEconomy {
  let seenPrelude = false;
  const messages = requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages');
  const labelled = messages.map((r) => {
    const step = stepOf(r, seenPrelude);
    seenPrelude ||= step === 'prelude';
    return { step, r };
  });
  const rounds = labelled.filter((c) => c.step === 'round').map((c) => c.r);
  if (rounds.length !== TRACE_ROUNDS) {
    throw new Error(`trace run made ${rounds.length} round calls, expected ${TRACE_ROUNDS} (steps: ${labelled.map((c) => c.step).join(', ')})`);
  }
  const perRound = rounds.map(inputTokens);
  const prefixTokens = tokens(systemText(rounds[0]!).length);
  const xs = perRound.map((_, i) => i + 1);
  const fit = leastSquares(xs, perRound);

  // Naive variant, computed only: round r also carries every earlier round's full reply.
  const replies = roundReplyTexts().map((t) => tokens(t.length));
  const naivePerRound = perRound.map((input, i) => input + replies.slice(0, i).reduce((a, b) => a + b, 0));
  const naiveFit = leastSquares(xs, naivePerRound);

  const total = messages.reduce((n, r) => n + inputTokens(r), 0);
  const prefixTotal = messages.reduce((n, r) => n + tokens(systemText(r).length), 0);
  return {
    perRound,
    growth: steps(perRound),
    slope: fit.slope,
    r2: fit.r2,
    prefixTokens,
    prefixShare: perRound.map((t) => prefixTokens / t),
    chainTokens: rounds.map((r) => tokens(chainChars(promptOf(r)))),
    runPrefixShare: prefixTotal / total,
    naive: {
      perRound: naivePerRound,
      growth: steps(naivePerRound),
      slope: naiveFit.slope,
      r2: naiveFit.r2,
      prefixShare: naivePerRound.map((t) => prefixTokens / t),
    },
  };
}

/** One trace run: `mythos trace <question>` with 8 scripted rounds. */
export async function runTrace(latencyMs: number, env?: Record<string, string>): Promise<TraceSample> {
  const run = assertOk(await runCli({ args: ['trace', QUESTION], responder: traceResponder(), latencyMs, ...(env ? { env } : {}) }), 'trace run');
  return {
    overheadPerCallMs: run.server.overheadPerCallMs,
    spanMs: run.server.spanMs,
    processWallMs: run.processWallMs,
    startupMs: run.startupMs,
    calls: run.server.calls,
    economy: tokenEconomy(run.requests),
  };
}
