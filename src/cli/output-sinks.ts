/**
 * One sink per output format, all fed the same events: text (the markdown on stdout, trace
 * rounds as they complete), json (one object at the end), stream-json (NDJSON as it happens).
 */
import type { Writable } from 'node:stream';
import { transcriptParts } from '../core/coda/render-transcript.js';
import type { RunEvent } from '../core/events.js';
import { estimateCost } from '../core/pricing.js';
import { applyEvent } from '../core/record-reducer.js';
import type { RunRecord } from '../core/state.js';
import type { Usage } from '../providers/types.js';
import { serializeEvent } from '../runlog/run-log.js';

export interface OutputSink {
  handle(event: RunEvent): void;
  /** Resolves once everything is written. */
  finish(): Promise<void>;
}

export function usageSummary(model: string, usage: Usage) {
  return {
    input_tokens: usage.input,
    output_tokens: usage.output,
    cache_read_tokens: usage.cacheRead,
    cache_write_tokens: usage.cacheWrite,
    estimated_cost_usd: estimateCost(model, usage),
  };
}

/** The `--json` document: the run record as logged, plus the usage summary and the markdown. */
export function jsonResult(record: RunRecord, usage: Usage, markdown: string | null) {
  return { ...record, markdown, usage: usageSummary(record.model, usage) };
}

export class TextSink implements OutputSink {
  private record: RunRecord | null = null;
  private printed = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly out: Writable,
    private readonly render: ((markdown: string) => Promise<string>) | null,
    private readonly beforeWrite: () => void = () => {},
  ) {}

  handle(event: RunEvent): void {
    this.record = applyEvent(this.record, event);
    const live = this.record?.mode === 'trace' && ['prelude', 're-prelude', 'round'].includes(event.type);
    if (live || event.type === 'coda') this.flush();
  }

  private flush(): void {
    if (!this.record) return;
    const parts = transcriptParts(this.record);
    const fresh = parts.slice(this.printed);
    if (fresh.length === 0) return;
    const text = fresh.map((part, i) => (this.printed + i === 0 ? `${part}\n` : `\n${part}\n`)).join('');
    this.printed = parts.length;
    this.writing = this.writing.then(async () => {
      this.beforeWrite();
      this.out.write(this.render ? await this.render(text) : text);
    });
  }

  finish(): Promise<void> {
    return this.writing;
  }
}

export class JsonSink implements OutputSink {
  private result: unknown = null;

  constructor(private readonly out: Writable) {}

  handle(event: RunEvent): void {
    if (event.type === 'run.end') {
      const markdown = transcriptParts(event.record).join('\n\n');
      this.result = jsonResult(event.record, event.usage, markdown ? `${markdown}\n` : null);
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
