/**
 * Progress on stderr: a spinner with stage labels in a terminal, plain lines with --verbose,
 * nothing when piped or --quiet. Never touches stdout.
 */
import type { Writable } from 'node:stream';
import chalk from 'chalk';
import yoctoSpinner from 'yocto-spinner';
import type { RunEvent } from '../core/events.js';

export interface ProgressOptions {
  stream: Writable & { isTTY?: boolean };
  quiet: boolean;
  verbose: boolean;
}

export class Progress {
  private spinner: ReturnType<typeof yoctoSpinner> | null = null;
  private readonly interactive: boolean;

  constructor(private readonly options: ProgressOptions) {
    this.interactive = !options.quiet && !options.verbose && Boolean(options.stream.isTTY);
  }

  /** Stops the spinner so text written to the terminal is not mangled by it. */
  pause(): void {
    this.spinner?.clear();
  }

  handle(event: RunEvent): void {
    if (this.options.quiet) return;
    if (this.options.verbose) {
      const text = verboseLine(event);
      if (text) this.options.stream.write(`${chalk.dim(text)}\n`);
      return;
    }
    if (!this.interactive) return;
    if (event.type === 'stage') {
      // The run handles Ctrl-C itself (abort, log, resume hint); the spinner must not exit first.
      if (!this.spinner) this.spinner = yoctoSpinner({ text: event.label, stream: this.options.stream, handleSignals: false }).start();
      else this.spinner.text = event.label;
    }
    if (event.type === 'call.start' && this.spinner) this.spinner.text = `${event.label}…`;
  }

  stop(): void {
    this.spinner?.stop();
    this.spinner = null;
  }
}

function verboseLine(event: RunEvent): string | null {
  switch (event.type) {
    case 'stage':
      return `· ${event.label}`;
    case 'call':
      return `  ${event.call.label}: ${event.call.latencyMs} ms, ${event.call.usage.input} in / ${event.call.usage.output} out${event.call.replayed ? ' (from log)' : ''}`;
    case 'round':
      return `  round ${event.round.index} (${event.round.lens}): ${event.round.decision.keep ? 'kept' : 'discarded'}; ${event.round.decision.why}`;
    case 'round.skipped':
      return `  skipped ${event.skipped.lens} second application: ${event.skipped.why}`;
    case 'flag':
      return `  flag ${event.flag}: ${event.evidence}`;
    case 'stop':
      return `· stop: ${event.reason} (${event.detail})`;
    default:
      return null;
  }
}
