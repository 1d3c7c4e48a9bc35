/**
 * Runs the protocol with everything a terminal run needs around it: the run log, progress,
 * the output sink, Ctrl-C handling and the closing cost line. Shared by a new run and `resume`.
 */
import type { ReplayCache } from '../../core/context.js';
import { EXIT_CODES, InterruptedError, isMythosError } from '../../core/errors.js';
import { assertEnforceable } from '../../core/budget.js';
import { EventBus, type RunEvent } from '../../core/events.js';
import type { PlanEstimate } from '../../core/plan-estimate.js';
import { formatCost } from '../../core/pricing.js';
import { keywordMode, type ModeKeyword } from '../../core/prelude/keywords.js';
import { assertCapFitsMode } from '../../core/prelude/routing.js';
import { loadReferences } from '../../core/prompts/reference-files.js';
import { runMythos } from '../../core/run.js';
import { AnthropicProvider } from '../../providers/anthropic.js';
import { RecordingProvider, ReplayProvider } from '../../providers/record-replay.js';
import type { ModelProvider } from '../../providers/types.js';
import { RunLogWriter } from '../../runlog/run-log.js';
import { assertCredentials, type RunConfig } from '../config.js';
import type { CliIO } from '../io.js';
import { JsonSink, NdjsonSink, TextSink, type OutputSink } from '../output-sinks.js';
import { Progress } from '../progress.js';
import { renderForTerminal } from '../terminal-markdown.js';

export interface RunSpec {
  runId: string;
  question: string;
  keyword: ModeKeyword | undefined;
  config: RunConfig;
  replay?: ReplayCache;
  resumedFrom?: number;
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

/** The SDK provider, or a replay of a recording, optionally recorded as it runs. */
export function makeProvider(config: RunConfig, env: NodeJS.ProcessEnv): ModelProvider {
  if (env.MYTHOS_REPLAY) return new ReplayProvider(config.model, env.MYTHOS_REPLAY);
  assertCredentials(env);
  const live = new AnthropicProvider({ model: config.model, maxRetries: config.retries, timeoutMs: config.timeoutMs });
  return env.MYTHOS_RECORD ? new RecordingProvider(live, env.MYTHOS_RECORD) : live;
}

export function renderPlan(plan: PlanEstimate, model: string): string {
  const unit = plan.mode === 'agent' ? 'subagents' : 'rounds';
  const { min, max } = plan.costUsd;
  const cost = min === null || max === null ? 'unknown for this model' : min === max ? formatCost(max) : `${formatCost(min)} – ${formatCost(max)}`;
  return [
    '## Plan (dry run)',
    `**Complexity:** ${plan.score}/5 → ${plan.mode} mode`,
    `**Lens sequence:** ${plan.lenses.join(' → ') || '(none: direct answer)'} (${plan.lenses.length} ${unit})`,
    `**Calls:** ${plan.calls.min === plan.calls.max ? plan.calls.max : `${plan.calls.min}–${plan.calls.max}`} including the Prelude already made`,
    `**Estimated cost:** ${cost} with ${model}`,
    '',
  ].join('\n');
}

export async function executeRun(spec: RunSpec, io: CliIO): Promise<number> {
  const { config, runId, question } = spec;
  assertEnforceable(config, config.model);
  assertCapFitsMode({ flag: config.mode, keyword: keywordMode(spec.keyword) }, config.maxRounds);
  const refs = loadReferences();
  const provider = makeProvider(config, io.env);
  const log = new RunLogWriter(config.home, runId);
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
  });

  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(EXIT_CODES.interrupted);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  bus.emit({
    type: 'run.start', runId, question, model: config.model,
    options: {
      mode: config.mode ?? null, keyword: spec.keyword ?? null, maxRounds: config.maxRounds ?? null, concurrency: config.concurrency,
      maxCostUsd: config.maxCostUsd ?? null, maxTokens: config.maxTokens ?? null, dryRun: config.dryRun,
      timeoutMs: config.timeoutMs, retries: config.retries,
      ...(spec.resumedFrom !== undefined ? { resumedFromEvent: spec.resumedFrom } : {}),
    },
  });
  try {
    const outcome = await runMythos(provider, refs, bus, {
      runId, question,
      forced: { flag: config.mode, keyword: keywordMode(spec.keyword) },
      limits: { maxRounds: config.maxRounds, concurrency: config.concurrency, maxCostUsd: config.maxCostUsd, maxTokens: config.maxTokens },
      signal: abort.signal,
      dryRun: config.dryRun,
      streamAnswer: config.output !== 'json' && !prettyOutput(config, io),
      ...(spec.replay ? { replay: spec.replay } : {}),
    });
    progress.stop();
    if (outcome.plan) {
      io.stdout.write(config.output === 'text' ? renderPlan(outcome.plan, config.model) : `${JSON.stringify({ schema_version: 1, runId, plan: outcome.plan, prelude: outcome.record.prelude })}\n`);
      return EXIT_CODES.ok;
    }
    await sink.finish();
    if (!config.quiet && config.output === 'text' && end) {
      const { usage, costUsd } = end;
      const cache = usage.cacheRead || usage.cacheWrite ? ` (cache ${usage.cacheRead} read / ${usage.cacheWrite} written)` : '';
      io.stderr.write(
        `mythos: ${outcome.record.mode} · ${outcome.record.calls.length} calls · ${usage.input} in / ${usage.output} out tokens${cache} · ~${formatCost(costUsd)} · run ${runId}\n`,
      );
    }
    return EXIT_CODES.ok;
  } catch (error) {
    progress.stop();
    await sink.finish().catch(() => {});
    const interrupted = error instanceof InterruptedError || abort.signal.aborted;
    const message = error instanceof Error ? error.message : String(error);
    bus.emit({ type: 'stop', reason: interrupted ? 'interrupted' : 'error', detail: message });
    bus.emit({ type: 'run.error', message, exitCode: interrupted ? EXIT_CODES.interrupted : isMythosError(error) ? error.exitCode : EXIT_CODES.runtime });
    if (interrupted) {
      io.stderr.write(`mythos: interrupted; everything completed so far is in ${log.path}\n`);
      io.stderr.write(`hint: continue with: mythos resume ${runId}\n`);
      return EXIT_CODES.interrupted;
    }
    io.stderr.write(`mythos: run ${runId} stopped; its log is ${log.path}\n`);
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    log.close();
  }
}
