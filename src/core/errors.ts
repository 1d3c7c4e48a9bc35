/**
 * One error hierarchy and one exit-code table. The CLI's main is the only place that turns
 * these into process exit codes and printed lines.
 */
import { dirname } from 'node:path';
import type { ModelReply, Usage } from '../providers/types.js';

export const EXIT_CODES = {
  ok: 0,
  runtime: 1,
  usage: 2,
  /** 128 + the signal's number, as shells report a process a signal stopped. */
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const;

/** The signals that stop a run cleanly, and the exit code each leaves. */
export const STOP_SIGNALS = { SIGHUP: EXIT_CODES.hangup, SIGINT: EXIT_CODES.interrupted, SIGTERM: EXIT_CODES.terminated } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export class MythosError extends Error {
  readonly exitCode: ExitCode;
  /** Not readonly: errors raised below the CLI do not know the run id, and the CLI adds it. */
  hint: string | undefined;
  /** What a failed call's attempts were billed before it failed, when any came back. */
  spent: Usage | undefined;
  /** A reply that came back whole and was paid for, though the call failed after it (it is logged as a completed call). */
  received: ModelReply<unknown> | undefined;

  constructor(message: string, options: { exitCode: ExitCode; hint?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode;
    this.hint = options.hint;
  }
}

/** What a failed disk write means, in words: `ENOSPC: no space left on device`. */
export function describeDiskError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on device', EDQUOT: 'disk quota exceeded', EIO: 'input/output error', EROFS: 'read-only file system',
    EFBIG: 'file too large', EACCES: 'permission denied', EPERM: 'operation not permitted',
  };
  if (!code) return error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return words[code] ? `${code}: ${words[code]}` : code;
}

/** What to do about a failed disk write; `where` names the disk (the folder that holds the file). */
export function diskHint(error: unknown, where: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') return `free some space on the disk that holds ${where}`;
  if (code === 'EROFS') return `${where} is on a read-only file system: remount it, or point MYTHOS_HOME elsewhere`;
  if (code === 'EIO') return `the disk that holds ${where} reported an input/output error: check it`;
  return `check that ${where} can be written`;
}

/**
 * The run log could not be written (a full disk mid-run) or made durable (a failed flush). A run
 * stops at a failed write: what it pays for next could not be recorded, and so would be paid for
 * again, uncounted, on resume. The CLI names the resume command in the hint.
 */
export class RunLogError extends MythosError {
  readonly path: string;
  /** `start`: the log's first line failed, so the run stopped before its first call and there is nothing to resume. */
  readonly action: 'flush' | 'write' | 'start';
  constructor(path: string, cause: unknown, action: 'flush' | 'write' | 'start' = 'flush') {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const message = action === 'flush'
      ? `the run log ${path} could not be flushed to disk${code ? ` (${code})` : ''}`
      : `the run log ${path} could not be written (${describeDiskError(cause)})`;
    const hint = action === 'flush'
      ? 'check the disk under MYTHOS_HOME; the answer above is complete'
      : action === 'start'
        ? `${diskHint(cause, dirname(path))}, then ask again (the run stopped before its first call)`
        : `${diskHint(cause, dirname(path))}, then resume the run (calls already logged are not paid for again)`;
    super(message, { exitCode: EXIT_CODES.runtime, hint, cause });
    this.path = path;
    this.action = action;
  }
}

/**
 * MYTHOS_RECORD could not be written after a reply came back. The reply was paid for: it is kept
 * (`received`) so the run log records the call, and resume serves it instead of paying again.
 */
export class RecordFileError extends MythosError {
  constructor(path: string, cause: unknown, received: ModelReply<unknown>) {
    super(`the recording MYTHOS_RECORD ${path} could not be written (${describeDiskError(cause)})`, {
      exitCode: EXIT_CODES.runtime,
      hint: `${diskHint(cause, dirname(path))}, or point MYTHOS_RECORD at another file (or unset it); the reply it could not keep is in the run log; then resume the run`,
      cause,
    });
    this.received = received;
  }
}

/** Something the user typed or supplied is wrong: exit 2, always with a hint that says what to do. */
export class UsageError extends MythosError {
  constructor(message: string, hint: string) {
    super(message, { exitCode: EXIT_CODES.usage, hint });
  }
}

/**
 * A spending cap too small for even the Prelude and a direct answer. `flag` and `floor` say the
 * smallest cap that can start, so a command can name a next step that will work.
 */
export class CapTooSmallError extends UsageError {
  constructor(message: string, readonly flag: '--max-cost' | '--max-tokens', readonly floor: string) {
    super(message, `raise it to at least ${flag} ${floor}: that pays for the Prelude and a direct answer, and a deeper run needs more`);
  }
}

/** No credentials were found for the Messages API: a usage error that names the remedy. */
export class MissingCredentialsError extends UsageError {
  constructor() {
    super(
      'no API credentials: ANTHROPIC_API_KEY is not set',
      'export ANTHROPIC_API_KEY=sk-ant-... (or ANTHROPIC_AUTH_TOKEN for a gateway), then run again',
    );
  }
}

/** A file shipped with mythos is malformed: the install is broken, so say which file. */
export class BundledFileError extends MythosError {
  readonly path: string;
  constructor(what: string, path: string, problem: string) {
    super(`malformed ${what} ${path}: ${problem}`, {
      exitCode: EXIT_CODES.runtime,
      hint: 'reinstall mythos, or fix the file if you edited it',
    });
    this.path = path;
  }
}

/** One of the markdown prompt files in references/. */
export class PromptFileError extends BundledFileError {
  constructor(path: string, problem: string) {
    super('prompt file', path, problem);
  }
}

/** The model could not be reached or kept failing after retries: exit 1. */
export class ModelCallError extends MythosError {
  readonly step: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  constructor(step: string, message: string, options: { status?: number; hint?: string; cause?: unknown; requestId?: string | undefined } = {}) {
    super(`${step} call failed: ${message}${withRequestId(options.requestId)}`, {
      exitCode: EXIT_CODES.runtime,
      hint: options.hint ?? 'check ANTHROPIC_BASE_URL and your network, then resume the run',
      cause: options.cause,
    });
    this.step = step;
    this.status = options.status;
    this.requestId = options.requestId;
  }
}

/** ` (request req_…)`: the id the API's support asks for, when the API gave one. */
export function withRequestId(requestId: string | null | undefined): string {
  return requestId ? ` (request ${requestId})` : '';
}

/** The model replied, but not with something usable: exit 1. The raw text is kept for the log. */
export class InvalidReplyError extends MythosError {
  readonly step: string;
  readonly rawText: string;
  constructor(step: string, problem: string, rawText: string, options: { hint?: string; requestId?: string | undefined } = {}) {
    super(`${step} reply was not usable: ${problem}${withRequestId(options.requestId)}`, {
      exitCode: EXIT_CODES.runtime,
      // Only a reply that kept missing its format after a repair says anything about the model.
      hint: options.hint ?? 'try again, or pick a stronger model with --model',
    });
    this.step = step;
    this.rawText = rawText;
  }
}

/** The reply hit max_tokens; `thinkingOnly` when every token went to thinking and no reply was written. */
export class CutOffError extends InvalidReplyError {
  /** The caps, not the model's own limit, kept the reply from getting more room. */
  readonly budgetLimited: boolean;
  readonly requestId: string | undefined;
  constructor(step: string, readonly maxTokens: number, readonly thinkingOnly: boolean, rawText: string, options: { effort?: string | null; requestId?: string | undefined; budgetLimited?: boolean } = {}) {
    const effort = options.effort ? ` (this step ran at effort ${options.effort})` : '';
    super(
      step,
      thinkingOnly
        ? `the model spent all ${maxTokens} tokens it was allowed on thinking and wrote no reply`
        : `the reply was cut off at ${maxTokens} tokens`,
      rawText,
      {
        hint: `lower --effort${effort}, or raise the spending caps if they set the limit`,
        requestId: options.requestId,
      },
    );
    this.budgetLimited = options.budgetLimited ?? false;
    this.requestId = options.requestId;
  }
}

/** The model declined to answer (stop_reason refusal). Not retried, not repaired. */
export class RefusalError extends MythosError {
  constructor(step: string, detail: { category?: string | null; explanation?: string | null; requestId?: string | undefined }) {
    const why = [detail.category, detail.explanation].filter(Boolean).join(': ');
    super(`${step}: the model declined to answer${why ? ` (${why})` : ''}${withRequestId(detail.requestId)}`, {
      exitCode: EXIT_CODES.runtime,
      hint: 'mythos does not retry a refusal; rephrase the question if it was misread',
    });
  }
}

/** The prompt and reply filled the model's context window (stop_reason model_context_window_exceeded). */
export class ContextWindowError extends MythosError {
  constructor(step: string, model: string, requestId?: string) {
    super(`${step}: the prompt and reply filled the context window of ${model}${withRequestId(requestId)}`, {
      exitCode: EXIT_CODES.runtime,
      hint: 'shorten the question (or the file it came from); thinking shares the window too, so a lower --effort leaves more room',
    });
  }
}

/** What is left under --max-cost / --max-tokens cannot hold the next call: the stage stops for budget. */
export class BudgetExhaustedError extends MythosError {
  constructor(step: string, detail: string, requestId?: string) {
    super(`${step} did not fit under the budget: ${detail}${withRequestId(requestId)}`, {
      exitCode: EXIT_CODES.runtime,
      hint: 'raise --max-cost or --max-tokens, or lower --effort, when you resume the run',
    });
  }
}

/** The user pressed Ctrl-C, or a signal stopped the run: exit 128 + the signal's number. */
export class InterruptedError extends MythosError {
  constructor(signal: StopSignal = 'SIGINT') {
    super('interrupted', { exitCode: STOP_SIGNALS[signal] });
  }
}

/** Another process is writing this run's log: a second writer would pay twice and interleave it. */
export class RunInUseError extends UsageError {
  constructor(runId: string, holder: string, lockPath: string) {
    super(`run ${runId} is in use by ${holder}`, `wait for it to finish (or stop it), then try again; if that process is gone, delete ${lockPath}`);
  }
}

/** A file in the runs folder is not a run log mythos can read back. */
export class UnreadableRunLogError extends UsageError {
  constructor(path: string, problem: string) {
    super(`cannot read the run log ${path}: ${problem}`, 'it may have been edited or is not a mythos run log; move it out of the runs folder');
  }
}

/** A log whose lines are events but whose run.start cannot be trusted: exit 2, no call made. */
export class MalformedRunLogError extends UsageError {
  constructor(path: string, problem: string) {
    super(`run log ${path} is malformed: ${problem}`, 'it may have been edited; it cannot be resumed as it is (start the question again as a new run)');
  }
}

/** Puts a failed call's billed usage on its error, so the run counts what it paid for. */
export function withSpent(error: unknown, usage: Usage): unknown {
  const billed = usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
  if (error instanceof MythosError && billed > 0) error.spent = usage;
  return error;
}

export function isMythosError(value: unknown): value is MythosError {
  return value instanceof MythosError;
}
