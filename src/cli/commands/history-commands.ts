/**
 * `mythos runs`, `show`, `residue` and `resume`: everything about past runs, read from the logs.
 */
import { renderTranscript } from '../../core/coda/render-transcript.js';
import { EXIT_CODES, UsageError } from '../../core/errors.js';
import { formatCost } from '../../core/models/pricing.js';
import { catalogueFor } from '../model-choice.js';
import { acquireRunLock } from '../../runlog/run-lock.js';
import { failedCallsFrom, loadRun, renderResidue, replayCacheFrom, residueOf, resolveRunId, summarize, type RunSummary } from '../../runlog/run-history.js';
import { listRunsFolder, runsDir } from '../../runlog/runs-folder.js';
import type { RunConfig } from '../config.js';
import type { CliIO } from '../io.js';
import { questionSizeError } from '../question-input.js';
import { executeRun, type RunSpec } from './execute-run.js';

export function runsCommand(config: RunConfig, io: CliIO, limit: number): number {
  const catalogue = catalogueFor(config.home);
  const { ids, foreign } = listRunsFolder(config.home);
  const summaries: RunSummary[] = [];
  let unreadable = 0;
  for (const id of ids) {
    if (summaries.length >= limit) break;
    try {
      summaries.push(summarize(loadRun(config.home, id), catalogue));
    } catch {
      unreadable++; // skipped here; `mythos show <id>` names the file and the line
    }
  }
  const skipped = unreadable + foreign.length;
  if (skipped > 0) {
    const what = [unreadable ? `${unreadable} unreadable run log${unreadable === 1 ? '' : 's'}` : '', foreign.length ? `${foreign.length} other file${foreign.length === 1 ? '' : 's'}` : '']
      .filter(Boolean).join(' and ');
    io.stderr.write(`mythos: skipped ${what} in ${runsDir(config.home)}${unreadable ? '; mythos show <id> says what is wrong with one' : ''}\n`);
  }
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

/** Flags given to `resume` itself: each wins over what the run was started with. */
interface ResumeFlags {
  timeout?: unknown;
  retries?: unknown;
  maxCost?: unknown;
  maxTokens?: unknown;
  effort?: unknown;
}

/** Continues an unfinished run: completed calls come from the log, only the rest reach the model. */
export async function resumeCommand(config: RunConfig, io: CliIO, id: string, explicit: ResumeFlags = {}): Promise<number> {
  // The lock comes first and the log is read under it: a resume that just finished elsewhere
  // is seen as finished, and two resumes never both pay for the same calls.
  const runId = resolveRunId(config.home, id);
  const lock = acquireRunLock(config.home, runId);
  let started = false;
  try {
    const run = loadRun(config.home, runId);
    if (run.finished) throw new UsageError(`run ${run.id} already finished`, `see it with: mythos show ${run.id}`);
    // The question is re-sent by every call still to come: the size limit holds on resume too.
    const tooLong = questionSizeError(run.start.question, config.maxQuestionChars, { dryRun: false, raiseWith: (length) => `MYTHOS_MAX_QUESTION=${length} mythos resume ${run.id}` });
    if (tooLong) throw tooLong;
    started = true;
    return await executeRun(resumeSpec(config, run, explicit, lock), io);
  } finally {
    if (!started) lock.release();
  }
}

function resumeSpec(config: RunConfig, run: ReturnType<typeof loadRun>, explicit: ResumeFlags, lock: RunSpec['lock']): RunSpec {
  // Checked when the log was read: every option here is typed, or null when the run did not set it.
  const { options } = run;
  const resumed: RunConfig = {
    ...config,
    // A blank model (logged by an older version) falls back like a blank MYTHOS_MODEL.
    model: run.start.model.trim() || config.model,
    mode: options.mode ?? undefined,
    maxRounds: options.maxRounds ?? undefined,
    concurrency: options.concurrency ?? config.concurrency,
    // A flag given to resume wins (a run cut short by timeouts or its caps may need more); else as started.
    maxCostUsd: explicit.maxCost === undefined ? (options.maxCostUsd ?? config.maxCostUsd) : config.maxCostUsd,
    maxTokens: explicit.maxTokens === undefined ? (options.maxTokens ?? config.maxTokens) : config.maxTokens,
    timeoutMs: explicit.timeout === undefined ? (options.timeoutMs ?? config.timeoutMs) : config.timeoutMs,
    retries: explicit.retries === undefined ? (options.retries ?? config.retries) : config.retries,
    effort: explicit.effort === undefined ? (options.effort ?? undefined) : config.effort,
    dryRun: false,
  };
  const keyword = options.keyword ?? undefined;
  return {
    runId: run.id, question: run.start.question, keyword, config: resumed, replay: replayCacheFrom(run.events), resumedFrom: run.events.length, lock,
    failedBefore: failedCallsFrom(run.events),
    startedAt: new Date(run.events[0]?.at ?? Date.now()),
  };
}
