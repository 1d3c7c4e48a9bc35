/**
 * One sink per output format, all fed the same events: text (the markdown on stdout, trace
 * rounds as they complete), json (one object at the end), stream-json (NDJSON as it happens).
 */
import type { Writable } from 'node:stream';
import { answerText } from '../core/coda/model-text.js';
import { footerLines, transcriptParts } from '../core/coda/render-transcript.js';
import type { RunEvent } from '../core/events.js';
import { applyEvent } from '../core/record-reducer.js';
import type { RunRecord } from '../core/state.js';
import type { Usage } from '../providers/types.js';
import { serializeEvent } from '../runlog/run-log.js';
import { errorDocument } from './report-error.js';

export interface OutputSink {
  handle(event: RunEvent): void;
  /** Resolves once everything is written. */
  finish(): Promise<void>;
}

export function usageSummary(usage: Usage, costUsd: number | null) {
  return {
    input_tokens: usage.input,
    output_tokens: usage.output,
    thinking_tokens: usage.thinking ?? 0,
    cache_read_tokens: usage.cacheRead,
    cache_write_tokens: usage.cacheWrite,
    estimated_cost_usd: costUsd,
  };
}

/** The `--json` document: the run record as logged, plus the usage summary and the markdown. */
export function jsonResult(record: RunRecord, usage: Usage, costUsd: number | null, markdown: string | null) {
  return { ...record, markdown, usage: usageSummary(usage, costUsd) };
}

export class TextSink implements OutputSink {
  private record: RunRecord | null = null;
  private printed = 0;
  private writing: Promise<void> = Promise.resolve();
  /** Answer text already written while the Coda streamed, and whitespace held back at its end. */
  private streamed: { text: string; held: string; restarted: boolean } | null = null;

  constructor(
    private readonly out: Writable,
    private readonly render: ((markdown: string) => Promise<string>) | null,
    private readonly beforeWrite: () => void = () => {},
  ) {}

  handle(event: RunEvent): void {
    this.record = applyEvent(this.record, event);
    if (event.type === 'coda.delta') return this.streamDelta(event.text);
    if (event.type === 'coda.restart') {
      if (this.streamed) this.streamed.restarted = true;
      return;
    }
    if (event.type === 'coda' && this.streamed) return this.finishStream();
    const live = this.record?.mode === 'trace' && ['prelude', 're-prelude', 'round'].includes(event.type);
    if (live || event.type === 'coda') this.flush();
  }

  private write(text: string): void {
    this.writing = this.writing.then(() => {
      this.beforeWrite();
      this.out.write(text);
    });
  }

  /** The first answer text prints everything before the answer, then `## Answer`. */
  private streamDelta(text: string): void {
    if (!this.streamed) {
      this.flush();
      this.write(this.printed === 0 ? '## Answer\n' : '\n## Answer\n');
      this.streamed = { text: '', held: '', restarted: false };
    }
    const s = this.streamed;
    if (s.restarted) return; // after a restart the whole answer is printed at the end
    // Leading whitespace is dropped and trailing whitespace held back, as the final render trims.
    const combined = s.held + (s.text ? text : text.trimStart());
    const visible = combined.trimEnd();
    s.held = combined.slice(visible.length);
    if (!visible) return;
    s.text += visible;
    this.write(visible);
  }

  private finishStream(): void {
    const record = this.record!;
    const s = this.streamed!;
    const parts = transcriptParts(record);
    // The answer as the transcript shows it: what was streamed is its prefix.
    const answer = answerText(record.answer ?? '');
    if (!s.restarted && answer.startsWith(s.text)) {
      this.write(`${answer.slice(s.text.length)}\n\n---\n${footerLines(record).join('\n')}\n`);
    } else {
      this.write(`\n\n*(The answer stream was interrupted; the complete answer follows.)*\n\n${parts.at(-1) ?? ''}\n`);
    }
    this.printed = parts.length;
  }

  private flush(): void {
    if (!this.record) return;
    const parts = transcriptParts(this.record);
    const fresh = parts.slice(this.printed);
    if (fresh.length === 0) return;
    const first = this.printed === 0;
    this.printed = parts.length;
    this.writing = this.writing.then(async () => {
      this.beforeWrite();
      for (const [i, part] of fresh.entries()) {
        // Parts are separated by one blank line, rendered or not.
        const separator = first && i === 0 ? '' : '\n';
        this.out.write(separator + (this.render ? await this.render(`${part}\n`) : `${part}\n`));
      }
    });
  }

  finish(): Promise<void> {
    return this.writing;
  }
}

export class JsonSink implements OutputSink {
  private result: unknown = null;
  private record: RunRecord | null = null;

  constructor(private readonly out: Writable) {}

  handle(event: RunEvent): void {
    this.record = applyEvent(this.record, event);
    // A failed or stopped run still prints one object: the error and the run so far.
    if (event.type === 'run.error') {
      const error = { message: event.message, hint: event.hint ?? null, exitCode: event.exitCode };
      this.result = errorDocument(this.record?.runId ?? null, error, this.record ?? undefined);
    }
    if (event.type === 'run.end') {
      const markdown = transcriptParts(event.record).join('\n\n');
      this.result = jsonResult(event.record, event.usage, event.costUsd, markdown ? `${markdown}\n` : null);
    }
  }

  async finish(): Promise<void> {
    if (this.result) this.out.write(`${JSON.stringify(this.result, null, 2)}\n`);
  }
}

export class NdjsonSink implements OutputSink {
  constructor(private readonly out: Writable) {}

  handle(event: RunEvent): void {
    this.out.write(`${serializeEvent(event)}\n`);
  }

  async finish(): Promise<void> {}
}
