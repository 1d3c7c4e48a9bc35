/**
 * `mythos runs`, `show`, `residue` and `resume`: everything about past runs, read from the logs.
 */
import { renderTranscript } from '../../core/coda/render-transcript.js';
import { EXIT_CODES, UsageError } from '../../core/errors.js';
import { formatCost } from '../../core/models/pricing.js';
import { catalogueFor } from '../model-choice.js';
import type { ModeKeyword } from '../../core/prelude/keywords.js';
import { Effort } from '../../core/models/catalogue.js';
import { Mode } from '../../core/schemas.js';
import { listRunIds } from '../../runlog/run-log.js';
import { loadRun, renderResidue, replayCacheFrom, residueOf, summarize } from '../../runlog/run-history.js';
import type { RunConfig } from '../config.js';
import type { CliIO } from '../io.js';
import { executeRun } from './execute-run.js';

export function runsCommand(config: RunConfig, io: CliIO, limit: number): number {
  const catalogue = catalogueFor(config.home);
  const summaries = listRunIds(config.home).slice(0, limit).flatMap((id) => {
    try {
      return [summarize(loadRun(config.home, id), catalogue)];
    } catch {
      return []; // a log that cannot be read is skipped here; `show` names the problem
    }
  });
  if (config.output !== 'text') {
    io.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
    return EXIT_CODES.ok;
  }
  if (summaries.length === 0) {
    io.stderr.write('mythos: no runs yet\n');
    return EXIT_CODES.ok;
  }
  for (const s of summaries) {
    const head = s.question.length > 60 ? `${s.question.slice(0, 57)}…` : s.question;
    io.stdout.write(`${s.id}  ${s.at.slice(0, 16).replace('T', ' ')}  ${s.mode.padEnd(6)}  ${s.stopReason.padEnd(25)}  ${String(s.calls).padStart(3)} calls  ${String(s.tokens).padStart(7)} tok  ${formatCost(s.costUsd).padStart(7)}  ${head}\n`);
  }
  return EXIT_CODES.ok;
}

/** Re-renders a run from its log; `full` shows a silent run's rounds in the trace shape. */
export function showCommand(config: RunConfig, io: CliIO, id: string, full: boolean): number {
  const run = loadRun(config.home, id);
  if (config.output !== 'text') {
    io.stdout.write(`${JSON.stringify(run.record, null, 2)}\n`);
    return EXIT_CODES.ok;
  }
  const record = full && run.record.mode === 'silent' ? { ...run.record, mode: 'trace' as const } : run.record;
  io.stdout.write(renderTranscript(record));
  if (!run.finished) io.stderr.write(`mythos: run ${run.id} did not finish (${record.stopReason ?? 'interrupted'}); continue it with: mythos resume ${run.id}\n`);
  return EXIT_CODES.ok;
}

export function residueCommand(config: RunConfig, io: CliIO, id: string): number {
  const residue = residueOf(loadRun(config.home, id));
  io.stdout.write(config.output === 'text' ? renderResidue(residue) : `${JSON.stringify(residue, null, 2)}\n`);
  return EXIT_CODES.ok;
}

/** Continues an unfinished run: completed calls come from the log, only the rest reach the model. */
export async function resumeCommand(config: RunConfig, io: CliIO, id: string, explicit: { timeout?: unknown; retries?: unknown } = {}): Promise<number> {
  const run = loadRun(config.home, id);
  if (run.finished) throw new UsageError(`run ${run.id} already finished`, `see it with: mythos show ${run.id}`);
  const options = run.start.options as Record<string, unknown>;
  const mode = Mode.safeParse(options.mode);
  const resumed: RunConfig = {
    ...config,
    model: run.start.model,
    mode: mode.success ? mode.data : undefined,
    maxRounds: typeof options.maxRounds === 'number' ? options.maxRounds : undefined,
    concurrency: typeof options.concurrency === 'number' ? options.concurrency : config.concurrency,
    maxCostUsd: typeof options.maxCostUsd === 'number' ? options.maxCostUsd : config.maxCostUsd,
    maxTokens: typeof options.maxTokens === 'number' ? options.maxTokens : config.maxTokens,
    // A flag given to resume wins (a run cut short by timeouts may need longer); else as started.
    timeoutMs: explicit.timeout === undefined && typeof options.timeoutMs === 'number' ? options.timeoutMs : config.timeoutMs,
    retries: explicit.retries === undefined && typeof options.retries === 'number' ? options.retries : config.retries,
    effort: Effort.safeParse(options.effort).data,
    dryRun: false,
  };
  const keyword = typeof options.keyword === 'string' ? (options.keyword as ModeKeyword) : undefined;
  return executeRun(
    {
      runId: run.id, question: run.start.question, keyword, config: resumed, replay: replayCacheFrom(run.events), resumedFrom: run.events.length,
      startedAt: new Date(run.events[0]?.at ?? Date.now()),
    },
    io,
  );
}
