/**
 * `mythos calibrate`: the five calibration cases × silent, trace and agent, each invoked as a
 * user would (with its mode keyword), judged by `mythos check` plus the case's structural
 * expectations, written to calibration-report-YYYYMMDD-HHMM.md.
 */
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import {
  applyExpectations, checkTranscript, lensSequence, loadCalibrationCases, parseTranscript, renderCalibrationReport, reportFileName,
  type CalibrationResult, type Check, type CheckMode,
} from '../../check/index.js';
import { assertEnforceable } from '../../core/budget.js';
import { assertCapsCanStart } from '../../core/context.js';
import { EXIT_CODES, InterruptedError, UsageError } from '../../core/errors.js';
import { EventBus } from '../../core/events.js';
import { keywordMode, type ModeKeyword } from '../../core/prelude/keywords.js';
import { loadReferences } from '../../core/prompts/reference-files.js';
import { runMythos } from '../../core/run.js';
import type { RunRecord } from '../../core/state.js';
import { acquireRunLock } from '../../runlog/run-lock.js';
import { newRunId, RunLogWriter } from '../../runlog/run-log.js';
import { ensureRunsDir } from '../../runlog/runs-folder.js';
import { spaceLimitFrom } from '../../runlog/write-whole.js';
import { commandUsageError } from '../command-words.js';
import { commanderOutput, parseProgram, type QuestionFlags } from '../commander-errors.js';
import { colorEnabled, DEFAULT_MAX_QUESTION_CHARS, DEFAULT_MODEL, mythosHome, parseIntegerOption, parsePositiveNumber, resolveModel, RunConfig } from '../config.js';
import type { CliIO } from '../io.js';
import { catalogueFor, chooseModel } from '../model-choice.js';
import { describeStop, stopExitCode, watchStops, type StopCause } from '../run-stops.js';
import { makeProvider } from './execute-run.js';
import { logInterruption, runStartOptions, withResumeCommand } from './run-records.js';

type CalibratedMode = Exclude<CheckMode, 'direct'>;
const ALL_MODES: CalibratedMode[] = ['silent', 'trace', 'agent'];

/** Agent runs must overlap: every subagent call started before the first one finished. */
export function concurrencyCheck(record: RunRecord): Check {
  const calls = record.calls.filter((c) => c.step === 'subagent' && !c.replayed);
  if (calls.length < 2) return { id: 'agent-concurrent', pass: false, detail: `${calls.length} subagent calls; nothing ran in parallel` };
  const firstEnd = Math.min(...calls.map((c) => c.endedAt));
  const overlapping = calls.filter((c) => c.startedAt < firstEnd).length;
  return overlapping === calls.length
    ? { id: 'agent-concurrent', pass: true, detail: `all ${calls.length} subagent calls were in flight together` }
    : { id: 'agent-concurrent', pass: false, detail: `only ${overlapping} of ${calls.length} subagent calls overlapped` };
}

/** --out must be a folder that exists and can be written, before anything is paid for. */
function assertWritableFolder(dir: string, flag: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(`${flag} ${dir} is not a folder you can write (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, `make the folder first, or pick another with ${flag} <dir>`);
  }
}

/** Writes the report; if that fails after all (a full disk), keeps it under MYTHOS_HOME instead. */
function saveReport(report: string, path: string, fallback: string, io: CliIO): string {
  try {
    writeFileSync(path, report);
    return path;
  } catch (error) {
    writeFileSync(fallback, report, { mode: 0o600 });
    io.stderr.write(`mythos: could not write ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}); the report is in ${fallback}\n`);
    return fallback;
  }
}

interface CalibrateOptions {
  case?: string[];
  modes: string;
  out: string;
  model?: string;
  maxCost?: number;
  concurrency: number;
  quiet?: boolean;
}

export async function calibrateCommand(args: readonly string[], io: CliIO, questionFlags: QuestionFlags): Promise<number> {
  let code: number = EXIT_CODES.ok;
  const program = new Command('mythos calibrate')
    .description('run the calibration cases through the engine and write a report (exit 0 all pass, 1 otherwise)')
    .option('--case <id...>', 'only these case ids')
    .option('--modes <list>', 'comma-separated modes', ALL_MODES.join(','))
    .option('--out <dir>', 'where the report goes', '.')
    .option('--model <id>', `model id (default: $MYTHOS_MODEL or ${DEFAULT_MODEL})`)
    .option('--max-cost <usd>', 'cap for each run', parsePositiveNumber('--max-cost'))
    .option('--concurrency <n>', 'subagents in flight at once', parseIntegerOption('--concurrency', 1, 16), 8)
    .option('-q, --quiet', 'no progress lines')
    .option('-v, --verbose', 'stack traces on errors')
    .argument('[words...]')
    .action(async (words: string[], options: CalibrateOptions) => {
      if (words.length > 0) {
        const ids = loadCalibrationCases().cases.map((c) => c.id).join(', ');
        throw commandUsageError('calibrate', `calibrate takes options only; got "${words.join(' ')}"`, `pick cases with --case <id> (${ids})`);
      }
      code = await calibrate(options, io);
    });
  await parseProgram(commanderOutput(program, io), args, questionFlags);
  return code;
}

async function calibrate(options: CalibrateOptions, io: CliIO): Promise<number> {
  const file = loadCalibrationCases();
  const modes = options.modes.split(',').map((m) => m.trim()) as CalibratedMode[];
  for (const mode of modes) if (!ALL_MODES.includes(mode)) throw new UsageError(`--modes takes silent, trace and agent; got "${mode}"`, `separate them with commas, for example --modes ${ALL_MODES.join(',')}`);
  const cases = options.case ? file.cases.filter((c) => options.case!.includes(c.id)) : file.cases;
  const unknown = (options.case ?? []).filter((id) => !file.cases.some((c) => c.id === id));
  if (unknown.length) throw new UsageError(`unknown case ${unknown.join(', ')}`, `cases: ${file.cases.map((c) => c.id).join(', ')}`);

  const config = RunConfig.parse({
    model: resolveModel(options.model, io.env), concurrency: options.concurrency, maxCostUsd: options.maxCost,
    timeoutMs: 300_000, retries: 4, output: 'text', quiet: Boolean(options.quiet), verbose: false, color: colorEnabled(false, io.env),
    dryRun: false, home: mythosHome(io.env), maxQuestionChars: DEFAULT_MAX_QUESTION_CHARS,
  });
  const { model, warnings } = chooseModel(catalogueFor(config.home), config.model, undefined, config.home);
  assertEnforceable(config, model);
  if (!config.quiet) for (const warning of warnings) io.stderr.write(`${warning}\n`);
  // Every output is checked before the first call: a report that cannot be written after all
  // of them were paid for is the worst time to find out.
  assertWritableFolder(options.out, '--out');
  const refs = loadReferences();
  // A cap too small for any case is refused now, not after each case's Prelude.
  for (const c of cases) assertCapsCanStart(refs, c.question, { maxRounds: undefined, concurrency: config.concurrency, maxCostUsd: config.maxCostUsd }, model, new Date());
  const provider = makeProvider(config, io.env);
  ensureRunsDir(config.home);
  const abort = new AbortController();
  const space = spaceLimitFrom(io.env);
  const stop: { cause: StopCause | null } = { cause: null };
  const unwatch = watchStops((cause) => {
    stop.cause = cause;
    abort.abort();
  }, () => {});
  const results: CalibrationResult[] = [];
  try {
    for (const c of cases) {
      for (const mode of modes) {
        const keyword = c.invoke[mode] || undefined;
        const invocation = `/mythos ${keyword ? `${keyword} ` : ''}${c.question}`;
        const runId = newRunId();
        const lock = acquireRunLock(config.home, runId);
        // A log write that fails (a full disk) stops the run: what it paid for next could not be logged.
        const log = new RunLogWriter(config.home, runId, { onFailure: () => abort.abort(), space });
        const bus = new EventBus();
        bus.on((event) => log.write(event));
        // The same options a run logs, so `mythos resume` of an interrupted case keeps its caps.
        bus.emit({
          type: 'run.start', runId, question: c.question, model: config.model,
          options: { ...runStartOptions(config, keyword as ModeKeyword | undefined), calibration: c.id },
        });
        let result: CalibrationResult;
        let closeError: unknown = null;
        try {
          const { record, markdown } = await runMythos(provider, refs, bus, {
            runId, question: c.question, forced: { keyword: keywordMode(keyword as ModeKeyword | undefined) },
            limits: { maxRounds: undefined, concurrency: config.concurrency, maxCostUsd: config.maxCostUsd, maxTokens: undefined },
            model, signal: abort.signal,
          });
          const parsed = parseTranscript(markdown);
          const checks = [...checkTranscript(markdown, { mode }).checks, ...applyExpectations(parsed, c.expect[mode])];
          if (mode === 'agent' && record.mode === 'agent') checks.push(concurrencyCheck(record));
          result = {
            caseId: c.id, mode, invocation, lensPath: lensSequence(parsed), depth: parsed.footer?.depth ?? null,
            convergence: record.stopReason ?? 'unknown', checks,
          };
          if (log.failure) throw log.failure;
        } catch (error) {
          if (log.failure) {
            // Nothing else can be logged now: calibrate stops here, as a run would.
            if (log.failure.action !== 'start') log.failure.hint = withResumeCommand(log.failure.hint, runId);
            throw log.failure;
          }
          if (error instanceof InterruptedError || abort.signal.aborted) {
            // As a run does: the stop and the way to continue go in the log and on stderr.
            const cause = stop.cause ?? { kind: 'signal', signal: 'SIGINT' };
            const hint = logInterruption(bus, runId, cause);
            io.stderr.write(`mythos: calibrate ${describeStop(cause)} during ${c.id} · ${mode} (run ${runId}); everything completed so far is in ${log.path}\n`);
            io.stderr.write(`hint: ${hint} (the cases not yet run are not in any report)\n`);
            return stopExitCode(cause);
          }
          const message = error instanceof Error ? error.message : String(error);
          bus.emit({ type: 'stop', reason: 'error', detail: message });
          result = { caseId: c.id, mode, invocation, lensPath: [], depth: null, convergence: 'error', checks: [{ id: 'run-completed', pass: false, detail: message }] };
        } finally {
          try {
            log.close();
          } catch (error) {
            // A failed write is thrown above; a failed flush is the same error as for a run.
            if (error !== log.failure) closeError = error;
          }
          lock.release();
        }
        if (closeError) throw closeError;
        results.push(result);
        const failed = result.checks.filter((ch) => !ch.pass).length;
        if (!config.quiet) io.stderr.write(`${c.id} · ${mode}: ${result.checks.length - failed} passed, ${failed} failed (run ${runId})\n`);
      }
    }
  } finally {
    unwatch();
  }
  const at = new Date();
  const report = renderCalibrationReport(results, { generatedAt: at, source: `\`mythos calibrate\` with ${config.model}` });
  const path = saveReport(report, join(options.out, reportFileName(at)), join(config.home, reportFileName(at)), io);
  const failed = results.some((r) => r.checks.some((ch) => !ch.pass));
  io.stdout.write(`${path}\n`);
  return failed ? EXIT_CODES.runtime : EXIT_CODES.ok;
}
