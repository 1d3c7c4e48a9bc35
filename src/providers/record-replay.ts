/**
 * Record and replay: a recording wraps a real provider and appends each reply (never a header
 * or key) to a JSONL file; a replay answers from such a file, in order, with no network.
 * Set MYTHOS_RECORD=<file> to record a run, MYTHOS_REPLAY=<file> to replay it.
 */
import { appendFileSync, closeSync, fchmodSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { requestHash } from '../core/context.js';
import { RecordFileError, UsageError } from '../core/errors.js';
import { CALL_STEPS, type ModelProvider, type ModelReply, type ModelRequest } from './types.js';

const Recording = z.object({
  step: z.enum(CALL_STEPS),
  requestHash: z.string(),
  value: z.unknown(),
  text: z.string(),
  usage: z.object({ input: z.number(), output: z.number(), cacheRead: z.number(), cacheWrite: z.number() }),
  stopReason: z.string().nullable(),
  model: z.string(),
});
type Recording = z.infer<typeof Recording>;

function hashOf(model: string, request: ModelRequest<unknown>): string {
  return requestHash({ model, step: request.step, system: request.system, prompt: request.prompt });
}

export class RecordingProvider implements ModelProvider {
  readonly name: string;
  readonly model: string;

  constructor(private readonly inner: ModelProvider, private readonly path: string) {
    this.name = `recording(${inner.name})`;
    this.model = inner.model;
    // Checked before the first call, so a paid reply is never lost to a path that cannot be
    // written. Private, like the run logs, since it holds every reply: the mode given to open
    // applies only to a new file, so one that already exists is made private too.
    try {
      const fd = openSync(path, 'a', 0o600);
      try {
        if (fstatSync(fd).isFile()) fchmodSync(fd, 0o600);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      throw new UsageError(
        `MYTHOS_RECORD ${path} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
        'point MYTHOS_RECORD at a file in a folder that exists and that you can write',
      );
    }
  }

  prepare(schema: z.ZodType): void {
    this.inner.prepare?.(schema);
  }

  async call<T>(request: ModelRequest<T>): Promise<ModelReply<T>> {
    const reply = await this.inner.call(request);
    const entry: Recording = {
      step: request.step, requestHash: hashOf(this.model, request as ModelRequest<unknown>),
      value: reply.value, text: reply.text, usage: reply.usage, stopReason: reply.stopReason, model: reply.model,
    };
    // The reply is paid for whatever happens here: if it cannot be recorded, the run stops and
    // the run log still keeps the call (its spend counts on resume, which serves it from the log).
    try {
      appendFileSync(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    } catch (error) {
      throw new RecordFileError(this.path, error, reply as ModelReply<unknown>);
    }
    return reply;
  }
}

export class ReplayProvider implements ModelProvider {
  readonly name = 'replay';
  private readonly byHash = new Map<string, Recording[]>();

  constructor(readonly model: string, path: string) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new UsageError(`cannot read the recording ${path}`, 'check MYTHOS_REPLAY');
    }
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (!line) continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        json = undefined;
      }
      const parsed = Recording.safeParse(json);
      // A last line with no newline was cut short by a full disk or a crash: it was never recorded.
      if (!parsed.success && i === lines.length - 1) continue;
      if (!parsed.success) throw new UsageError(`recording ${path} line ${i + 1} is malformed`, 'record it again with MYTHOS_RECORD');
      this.byHash.set(parsed.data.requestHash, [...(this.byHash.get(parsed.data.requestHash) ?? []), parsed.data]);
    }
  }

  async call<T>(request: ModelRequest<T>): Promise<ModelReply<T>> {
    const hash = hashOf(this.model, request as ModelRequest<unknown>);
    const entry = this.byHash.get(hash)?.shift();
    if (!entry) {
      // Say which request had no recording, so a stale recording is easy to spot.
      throw new UsageError(`the recording has no reply for ${request.label} (request ${hash})`, 'the prompts changed since it was made: record it again with MYTHOS_RECORD');
    }
    return {
      value: request.schema.parse(entry.value), text: entry.text, usage: entry.usage, stopReason: entry.stopReason,
      model: entry.model, latencyMs: 0, attempts: 1,
    };
  }
}
