/**
 * `mythos [trace|deep|agent|quick] <question…>`: one run of the protocol, wired to the
 * terminal. The answer goes to stdout; progress, the cost line and errors go to stderr.
 */
import { EXIT_CODES, InterruptedError, isMythosError, UsageError } from '../../core/errors.js';
import { EventBus, type RunEvent } from '../../core/events.js';
import { formatCost } from '../../core/pricing.js';
import { keywordMode, parseInvocation } from '../../core/prelude/keywords.js';
import { loadReferences } from '../../core/prompts/reference-files.js';
import { runMythos } from '../../core/run.js';
import { AnthropicProvider } from '../../providers/anthropic.js';
import { newRunId, RunLogWriter } from '../../runlog/run-log.js';
import { assertCredentials, type RunConfig } from '../config.js';
import { readAll, type CliIO } from '../io.js';
import { JsonSink, NdjsonSink, TextSink, type OutputSink } from '../output-sinks.js';
import { Progress } from '../progress.js';
import { renderForTerminal } from '../terminal-markdown.js';

export async function resolveQuestion(words: readonly string[], io: CliIO): Promise<ReturnType<typeof parseInvocation>> {
  let parsed = parseInvocation(words);
  if (!parsed.question && !io.stdin.isTTY) {
    parsed = { ...parsed, question: (await readAll(io.stdin)).trim() };
  }
  if (!parsed.question) {
    throw new UsageError('no question given', 'usage: mythos [trace|deep|agent|quick] <question>, or pipe the question on stdin');
  }
  return parsed;
}

function makeSink(config: RunConfig, io: CliIO, progress: Progress): OutputSink {
  if (config.output === 'json') return new JsonSink(io.stdout);
  if (config.output === 'stream-json') return new NdjsonSink(io.stdout);
  const pretty = config.color && Boolean(io.stdout.isTTY);
  return new TextSink(io.stdout, pretty ? renderForTerminal : null, () => progress.pause());
}

export async function runCommand(words: readonly string[], config: RunConfig, io: CliIO): Promise<number> {
  const { question, keyword } = await resolveQuestion(words, io);
  assertCredentials(io.env);
  const refs = loadReferences();
  const provider = new AnthropicProvider({ model: config.model, maxRetries: config.retries, timeoutMs: config.timeoutMs });
  const runId = newRunId();
  const log = new RunLogWriter(config.home, runId);
  const progress = new Progress({ stream: io.stderr, quiet: config.quiet || config.output !== 'text', verbose: config.verbose });
  const sink = makeSink(config, io, progress);
  const bus = new EventBus();
  bus.on((event) => log.write(event));
  bus.on((event) => progress.handle(event));
  bus.on((event) => sink.handle(event));
  let end: Extract<RunEvent, { type: 'run.end' }> | undefined;
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
    options: { mode: config.mode ?? null, keyword: keyword ?? null, maxRounds: config.maxRounds ?? null, concurrency: config.concurrency },
  });
  try {
    const { record } = await runMythos(provider, refs, bus, {
      runId, question,
      forced: { flag: config.mode, keyword: keywordMode(keyword) },
      limits: { maxRounds: config.maxRounds, concurrency: config.concurrency },
      signal: abort.signal,
    });
    await sink.finish();
    progress.stop();
    if (!config.quiet && config.output === 'text' && end) {
      const { usage, costUsd } = end;
      const cache = usage.cacheRead || usage.cacheWrite ? ` (cache ${usage.cacheRead} read / ${usage.cacheWrite} written)` : '';
      io.stderr.write(
        `mythos: ${record.mode} · ${record.calls.length} calls · ${usage.input} in / ${usage.output} out tokens${cache} · ~${formatCost(costUsd)} · run ${runId}\n`,
      );
    }
    return EXIT_CODES.ok;
  } catch (error) {
    progress.stop();
    await sink.finish().catch(() => {});
    const interrupted = error instanceof InterruptedError || abort.signal.aborted;
    const reason = interrupted ? 'interrupted' : 'error';
    const message = error instanceof Error ? error.message : String(error);
    bus.emit({ type: 'stop', reason, detail: message });
    bus.emit({ type: 'run.error', message, exitCode: isMythosError(error) ? error.exitCode : EXIT_CODES.runtime });
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
