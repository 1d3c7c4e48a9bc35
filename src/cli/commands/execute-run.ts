/**
 * Runs the protocol with everything a terminal run needs around it: the run log, progress,
 * the output sink, Ctrl-C handling and the closing cost line. Shared by a new run and `resume`.
 */
import { assertCapsCanStart, type ReplayCache, type RunLimits } from '../../core/context.js';
import { CapTooSmallError, EXIT_CODES, InterruptedError, isMythosError, type UsageError } from '../../core/errors.js';
import { assertEnforceable } from '../../core/budget.js';
import { EventBus, type RunEvent } from '../../core/events.js';
import { estimateWithoutPrelude, type PlanEstimate, type UnplannedEstimate } from '../../core/plan-estimate.js';
import type { CallRecord } from '../../core/state.js';
import { formatCost, type ResolvedModel } from '../../core/models/pricing.js';
import { keywordMode, type ModeKeyword } from '../../core/prelude/keywords.js';
import { assertCapFitsMode } from '../../core/prelude/routing.js';
import { loadReferences } from '../../core/prompts/reference-files.js';
import { runMythos } from '../../core/run.js';
import { AnthropicProvider } from '../../providers/anthropic.js';
import { RecordingProvider, ReplayProvider } from '../../providers/record-replay.js';
import type { ModelProvider, Usage } from '../../providers/types.js';
import { acquireRunLock, type RunLock } from '../../runlog/run-lock.js';
import { RunLogWriter } from '../../runlog/run-log.js';
import { spaceLimitFrom } from '../../runlog/write-whole.js';
import { assertBaseUrl, assertCredentials, type RunConfig } from '../config.js';
import { catalogueFor, chooseModel } from '../model-choice.js';
import type { CliIO } from '../io.js';
import { JsonSink, NdjsonSink, TextSink, type OutputSink } from '../output-sinks.js';
import { Progress } from '../progress.js';
import { reportedOnStdout, summarizeError } from '../report-error.js';
import { describeStop, stopExitCode, watchStops, type StopCause } from '../run-stops.js';
import { logInterruption, runStartOptions, withResumeCommand } from './run-records.js';
import { renderForTerminal } from '../terminal-markdown.js';

/** `1200 in / 800 out tokens (600 thinking; cache 900 read / 0 written)` for the closing line. */
export function usageLine(usage: Usage): string {
  const notes = [
    ...(usage.thinking ? [`${usage.thinking} thinking`] : []),
    ...(usage.cacheRead || usage.cacheWrite ? [`cache ${usage.cacheRead} read / ${usage.cacheWrite} written`] : []),
  ];
  return `${usage.input} in / ${usage.output} out tokens${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

export interface RunSpec {
  runId: string;
  question: string;
  keyword: ModeKeyword | undefined;
  config: RunConfig;
  replay?: ReplayCache;
  resumedFrom?: number;
  /** When the run first started; a resumed run keeps its date (and that day's prices). */
  startedAt?: Date;
  /** Calls of earlier attempts that failed after being billed: counted against the caps again. */
  failedBefore?: CallRecord[];
  /** The run's lock when the caller took it already (resume does, before reading the log). */
  lock?: RunLock;
  /** Why a real run of this question would be refused (it is over the size limit): a dry run pays for no Prelude. */
  refusedRun?: UsageError | undefined;
}

/** Rendered markdown needs the whole answer; plain markdown and NDJSON can stream it. */
function prettyOutput(config: RunConfig, io: CliIO): boolean {
  return config.output === 'text' && config.color && Boolean(io.stdout.isTTY);
}

function makeSink(config: RunConfig, io: CliIO, progress: Progress): OutputSink {
  if (config.output === 'json') return new JsonSink(io.stdout);
  if (config.output === 'stream-json') return new NdjsonSink(io.stdout);
  return new TextSink(io.stdout, prettyOutput(config, io) ? renderForTerminal : null, () => progress.pause());
}

/**
 * The SDK provider, or a replay of a recording, optionally recorded as it runs. Everything it
 * needs is checked here, before any call: credentials, ANTHROPIC_BASE_URL, MYTHOS_RECORD.
 */
export function makeProvider(config: RunConfig, env: NodeJS.ProcessEnv): ModelProvider {
  if (env.MYTHOS_REPLAY) return new ReplayProvider(config.model, env.MYTHOS_REPLAY);
  assertCredentials(env);
  assertBaseUrl(env);
  const live = new AnthropicProvider({ model: config.model, maxRetries: config.retries, timeoutMs: config.timeoutMs });
  return env.MYTHOS_RECORD ? new RecordingProvider(live, env.MYTHOS_RECORD) : live;
}

function range(min: number, max: number): string {
  return min === max ? String(max) : `${min}–${max}`;
}

function costRange({ min, max }: PlanEstimate['costUsd']): string {
  return min === null || max === null ? 'unknown for this model' : min === max ? formatCost(max) : `${formatCost(min)} – ${formatCost(max)}`;
}

function capsLine(caps: NonNullable<PlanEstimate['cappedBy']>): string {
  const parts = [
    ...(caps.maxCostUsd !== null ? [`--max-cost ${formatCost(caps.maxCostUsd)}`] : []),
    ...(caps.maxTokens !== null ? [`--max-tokens ${caps.maxTokens}`] : []),
  ];
  return parts.join(' and ');
}

export function renderPlan(plan: PlanEstimate, model: string): string {
  const unit = plan.mode === 'agent' ? 'subagents' : 'rounds';
  const cost = costRange(plan.costUsd);
  return [
    '## Plan (dry run)',
    `**Complexity:** ${plan.score}/5 → ${plan.mode} mode`,
    `**Lens sequence:** ${plan.lenses.join(' → ') || '(none: direct answer)'} (${plan.lenses.length} ${unit})`,
    `**Calls:** ${plan.calls.min === plan.calls.max ? plan.calls.max : `${plan.calls.min}–${plan.calls.max}`} including the Prelude already made`,
    `**Estimated tokens:** ${range(plan.tokens.min, plan.tokens.max)}, of which thinking ${range(plan.thinkingTokens.min, plan.thinkingTokens.max)}`,
    `**Estimated cost:** ${cost} with ${model} at list prices`,
    ...(plan.cappedBy ? [`**Caps:** ${capsLine(plan.cappedBy)} will stop the run before the whole plan (the estimate is held at the caps)`] : []),
    '',
  ].join('\n');
}

export function renderUnplanned(estimate: UnplannedEstimate, model: string): string {
  return [
    '## Estimate (dry run, no call made)',
    '**No Prelude:** a real run would be refused (see stderr), so no mode is chosen yet: the range runs from a direct answer to the deepest run',
    `**Calls:** ${range(estimate.calls.min, estimate.calls.max)} including the Prelude`,
    `**Estimated tokens:** ${range(estimate.tokens.min, estimate.tokens.max)}, of which thinking ${range(estimate.thinkingTokens.min, estimate.thinkingTokens.max)}`,
    `**Estimated cost:** ${costRange(estimate.costUsd)} with ${model} at list prices`,
    '',
  ].join('\n');
}

/**
 * A dry run that may not pay for its Prelude (the question is over the size limit, or the caps
 * cannot cover a Prelude) still shows a range, from the question's size alone, and says why a
 * real run would be refused. No call, no log; exit 0, as the dry run did what it was asked.
 */
function showUnplanned(estimate: UnplannedEstimate, refused: UsageError, config: RunConfig, io: CliIO): number {
  const hint = refused.hint ?? null;
  io.stdout.write(config.output === 'text'
    ? renderUnplanned(estimate, config.model)
    : `${JSON.stringify({ schema_version: 1, runId: null, plan: null, prelude: null, estimate, refused: { message: refused.message, hint } })}\n`);
  io.stderr.write(`mythos: a real run would be refused: ${refused.message}\n${hint ? `hint: ${hint}\n` : ''}`);
  return EXIT_CODES.ok;
}

/** Checks everything a run needs (no call made yet), takes the run's lock, and runs it. */
export async function executeRun(spec: RunSpec, io: CliIO): Promise<number> {
  let lock = spec.lock;
  try {
    const { config, question } = spec;
    const { model, warnings } = chooseModel(catalogueFor(config.home), config.model, config.effort, config.home);
    assertEnforceable(config, model);
    assertCapFitsMode({ flag: config.mode, keyword: keywordMode(spec.keyword) }, config.maxRounds);
    const refs = loadReferences();
    const limits: RunLimits = {
      maxRounds: config.maxRounds, concurrency: config.concurrency, maxCostUsd: config.maxCostUsd, maxTokens: config.maxTokens,
      effort: model.entry ? config.effort : undefined,
    };
    const startedAt = spec.startedAt ?? new Date();
    // Caps too small for even the Prelude and an answer are refused before a log exists or a call is paid.
    let refused = config.dryRun ? spec.refusedRun : undefined;
    try {
      assertCapsCanStart(refs, question, limits, model, startedAt);
    } catch (error) {
      if (!(error instanceof CapTooSmallError)) throw error;
      if (!config.dryRun) {
        // Both dry runs work: one under the floor pays for the Prelude only, one under this cap for nothing.
        error.hint += `; to see a full run's plan and cost range first: mythos --dry-run ${error.flag} ${error.floor} … (this command with --dry-run gives a rough range, no call made)`;
        throw error;
      }
      refused ??= error;
    }
    if (refused) return showUnplanned(estimateWithoutPrelude(refs, question, limits, model, startedAt), refused, config, io);
    const provider = makeProvider(config, io.env);
    lock ??= acquireRunLock(config.home, spec.runId);
    if (!config.quiet) for (const warning of warnings) io.stderr.write(`${warning}\n`);
    if (lock.tookOverFrom && !spec.config.quiet) {
      io.stderr.write(`mythos: run ${spec.runId} was left locked by process ${lock.tookOverFrom.pid}, which is no longer running; taking it over\n`);
    }
    return await runLocked(spec, io, provider, refs, { model, limits, startedAt });
  } finally {
    lock?.release();
  }
}

interface Prepared {
  model: ResolvedModel;
  limits: RunLimits;
  startedAt: Date;
}

async function runLocked(spec: RunSpec, io: CliIO, provider: ModelProvider, refs: ReturnType<typeof loadReferences>, prepared: Prepared): Promise<number> {
  const { config, runId, question } = spec;
  const { model, limits, startedAt } = prepared;
  const abort = new AbortController();
  // A log write that fails (a full disk) stops the run: what it paid for next could not be logged.
  const log = new RunLogWriter(config.home, runId, { onFailure: () => abort.abort(), space: spaceLimitFrom(io.env) });
  const progress = new Progress({ stream: io.stderr, quiet: config.quiet || config.output !== 'text', verbose: config.verbose });
  const sink = makeSink(config, io, progress);
  const bus = new EventBus();
  let end: Extract<RunEvent, { type: 'run.end' }> | undefined;
  // Answer deltas are for the reader, not the record: the Coda event carries the whole answer.
  bus.on((event) => event.type !== 'coda.delta' && log.write(event));
  bus.on((event) => progress.handle(event));
  if (!config.dryRun) bus.on((event) => sink.handle(event));
  bus.on((event) => {
    if (event.type === 'run.end') end = event;
    // The footer says it too, but a cap that cut the run short must not pass unnoticed.
    if (event.type === 'stop' && event.reason === 'budget' && !config.quiet) io.stderr.write(`mythos: budget reached: ${event.detail}\n`);
  });

  const stop: { cause: StopCause | null } = { cause: null };
  const unwatch = watchStops(
    (cause) => {
      stop.cause = cause;
      abort.abort();
    },
    // A second signal exits at once: the log still says why it ends where it does.
    (cause) => bus.emit({ type: 'stop', reason: 'interrupted', detail: `${describeStop(cause)} twice; stopped at once` }),
  );
  bus.emit({
    type: 'run.start', runId, question, model: config.model,
    options: { ...runStartOptions(config, spec.keyword), ...(spec.resumedFrom !== undefined ? { resumedFromEvent: spec.resumedFrom } : {}) },
  });
  let logClosed = false;
  try {
    const outcome = await runMythos(provider, refs, bus, {
      runId, question,
      forced: { flag: config.mode, keyword: keywordMode(spec.keyword) },
      limits, model, startedAt, ...(spec.failedBefore?.length ? { failedBefore: spec.failedBefore } : {}),
      signal: abort.signal,
      dryRun: config.dryRun,
      streamAnswer: config.output !== 'json' && !prettyOutput(config, io),
      ...(spec.replay ? { replay: spec.replay } : {}),
    });
    progress.stop();
    if (outcome.plan) {
      io.stdout.write(config.output === 'text' ? renderPlan(outcome.plan, config.model) : `${JSON.stringify({ schema_version: 1, runId, plan: outcome.plan, prelude: outcome.record.prelude })}\n`);
    } else {
      // The answer reaches stdout even when its log could not be finished.
      await sink.finish();
      if (!config.quiet && config.output === 'text' && end) {
        const { usage, costUsd } = end;
        io.stderr.write(`mythos: ${outcome.record.mode} · ${outcome.record.calls.length} calls · ${usageLine(usage)} · ~${formatCost(costUsd)} · run ${runId}\n`);
      }
    }
    logClosed = true;
    closeLog(log, runId, config.output === 'json');
    return EXIT_CODES.ok;
  } catch (error) {
    if (logClosed) throw error;
    progress.stop();
    const cause = log.failure ? null : stop.cause ?? (error instanceof InterruptedError || abort.signal.aborted ? ({ kind: 'signal', signal: 'SIGINT' } as const) : null);
    if (cause) {
      const hint = logInterruption(bus, runId, cause);
      await sink.finish().catch(() => {});
      io.stderr.write(
        cause.kind === 'signal'
          ? `mythos: ${describeStop(cause)}; everything completed so far is in ${log.path}\n`
          : `mythos: run ${runId} stopped because its output was closed; everything completed so far is in ${log.path}\n`,
      );
      io.stderr.write(`hint: ${hint}\n`);
      return stopExitCode(cause);
    }
    // A failed log write is why the run stopped, whatever the abort made of the call in flight.
    const failure = log.failure ?? error;
    if (isMythosError(failure) && failure.exitCode === EXIT_CODES.runtime && log.failure?.action !== 'start') failure.hint = withResumeCommand(failure.hint, runId);
    const summary = summarizeError(failure);
    bus.emit({ type: 'stop', reason: 'error', detail: summary.message });
    bus.emit({ type: 'run.error', message: summary.message, exitCode: summary.exitCode, ...(summary.hint ? { hint: summary.hint } : {}) });
    await sink.finish().catch(() => {});
    if (config.output === 'json' && typeof failure === 'object' && failure !== null) reportedOnStdout.add(failure);
    // A log that never got its first line is gone: there is no run to point at.
    if (log.failure?.action !== 'start') io.stderr.write(`mythos: run ${runId} stopped; its log is ${log.path}\n`);
    throw failure;
  } finally {
    unwatch();
    if (!logClosed) closeLog(log, runId, config.output === 'json', { quietly: true });
  }
}

/**
 * Closes the run's log. A write or flush that failed is an error with the resume command (which
 * finishes the log without paying again), after the answer has already reached stdout.
 */
function closeLog(log: RunLogWriter, runId: string, json: boolean, options: { quietly?: boolean } = {}): void {
  try {
    log.close();
  } catch (error) {
    if (options.quietly) return;
    if (isMythosError(error) && log.failure) error.hint = withResumeCommand(error.hint, runId);
    // --json printed its one document (the answer) already: the error goes to stderr only.
    if (json && typeof error === 'object' && error !== null) reportedOnStdout.add(error);
    throw error;
  }
}
