/**
 * The real provider: the Anthropic Messages API through @anthropic-ai/sdk. The SDK reads
 * ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN and ANTHROPIC_BASE_URL itself, exactly as Claude Code
 * does, and retries transient failures (429, 529, 5xx, connection resets) with backoff.
 *
 * What it sends is deliberately plain, so no current model rejects it: the model, max_tokens, a
 * cache-marked system block, one user message (the conversation always ends on a user turn: no
 * prefill), the reply format and, where the caller asks, `output_config.effort`. It never sends
 * `thinking` (the model's default applies: adaptive on the 5.x models), sampling parameters or
 * tools. On top of the SDK: one repair attempt for a reply that misses its schema, one retry with
 * more room for a cut-off reply, and a clear end for refusals and a full context window.
 */
import Anthropic, { APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';
import { ContextWindowError, CutOffError, InvalidReplyError, ModelCallError, MythosError, RefusalError, withSpent } from '../core/errors.js';
import { incompleteReply, isIncompleteBody, translateApiError, withoutCredentials } from './api-errors.js';
import { transportFor } from './http-transport.js';
import { constraintsOf } from './normalize-reply.js';
import { notAMessage } from './reply-shape.js';
import { parseStructured } from './structured.js';
import { warmParser, type JsonSchema } from './warm-up.js';
import { addUsage, ZERO_USAGE, type ModelProvider, type ModelReply, type ModelRequest, type StreamHandlers, type Usage } from './types.js';

export interface AnthropicProviderOptions {
  model: string;
  /** Retries the SDK makes for transient failures before giving up. */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds. */
  timeoutMs?: number;
}

function usageOf(message: Anthropic.Message): Usage {
  const usage = message.usage;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  return {
    input: usage.input_tokens ?? 0,
    output: usage.output_tokens ?? 0,
    cacheRead: usage.cache_read_input_tokens ?? 0,
    cacheWrite: usage.cache_creation_input_tokens ?? 0,
    ...(typeof thinking === 'number' ? { thinking } : {}),
  };
}

/** The reply's text blocks; a 5.x reply may open with thinking blocks, which are not the answer. */
function textOf(message: Anthropic.Message): string {
  return message.content
    .filter((block): block is Anthropic.TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('');
}

/**
 * The SDK assumes a reply may take an hour per 128K output tokens and refuses an unstreamed
 * request it expects to outlast ten minutes. mythos sets its own per-attempt timeout, so the same
 * estimate is held against that: a call whose reply could outlast the timeout streams, because a
 * timed-out plain request is retried and may be billed each time.
 */
export function streamAboveTokens(timeoutMs: number): number {
  const secondsPerToken = 3_600 / 128_000;
  return Math.floor(Math.min(timeoutMs / 1_000, 600) / secondsPerToken);
}

/** Retries of a stream that broke after it started; the SDK retries only the opening request. */
const STREAM_RETRIES = 2;

/** A stream that died mid-way (no HTTP status) is worth another try; an API verdict is not. */
function isBrokenStream(error: unknown): boolean {
  if (error instanceof APIUserAbortError || error instanceof MythosError) return false;
  return !(error instanceof APIError) || error.status === undefined;
}

/** Waits before another try of an incomplete reply: 0.5 s, 1 s, 2 s…, up to 8 s, cut short by an abort. */
function backoff(attempt: number, signal: AbortSignal | undefined): Promise<void> {
  const ms = Math.min(8_000, 500 * 2 ** attempt);
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Converting a zod schema to JSON Schema costs real time per call; each reply type converts once. */
const formats = new WeakMap<z.ZodType, ReturnType<typeof zodOutputFormat>>();
function outputFormat(schema: z.ZodType): ReturnType<typeof zodOutputFormat> {
  let format = formats.get(schema);
  if (!format) formats.set(schema, (format = zodOutputFormat(schema)));
  return format;
}

interface Exchange {
  message: Anthropic.Message;
  requestId: string | undefined;
  contentType: string | null;
}

export class AnthropicProvider implements ModelProvider {
  readonly name = 'anthropic';
  readonly model: string;
  private readonly client: Anthropic;
  private readonly streamAbove: number;

  constructor(options: AnthropicProviderOptions) {
    this.model = options.model;
    this.streamAbove = streamAboveTokens(options.timeoutMs ?? 300_000);
    this.client = new Anthropic({
      maxRetries: options.maxRetries ?? 4,
      timeout: options.timeoutMs ?? 300_000,
      fetch: transportFor(),
      // The CLI registers no tracer, so spans would only cost time on every call. Setting
      // ANTHROPIC_OPEN_TELEMETRY (with a tracer preloaded) hands the choice back to the SDK.
      ...(process.env.ANTHROPIC_OPEN_TELEMETRY === undefined ? { openTelemetry: false as const } : {}),
    });
  }

  prepare(schema: z.ZodType): void {
    warmParser(schema, outputFormat(schema).schema as JsonSchema);
    constraintsOf(schema);
  }

  /**
   * A streamed request. The raw event stream is opened first, so its content type can be read
   * before anything consumes the body: a gateway that answers with plain JSON has sent the whole
   * reply already (used as it is, not asked for again), and a web page fails at once.
   */
  private async streamed(label: string, params: Anthropic.MessageCreateParamsNonStreaming, handlers: StreamHandlers | undefined, signal: AbortSignal | undefined): Promise<Exchange> {
    for (let retry = 0; ; retry++) {
      let emitted = false;
      try {
        const { data, response, request_id: requestId } = await this.client.messages.create({ ...params, stream: true }, { signal }).withResponse();
        const contentType = response.headers.get('content-type') ?? '';
        if (/^application\/json\b/i.test(contentType)) {
          return { message: (await response.json()) as Anthropic.Message, requestId: requestId ?? undefined, contentType };
        }
        if (!/^text\/event-stream\b/i.test(contentType)) {
          data.controller.abort();
          // Anything else (a portal's page) would come back the same however often it was asked.
          throw this.notMessagesApi(label, `a ${contentType || 'body without a content type'} where an event stream was asked for`);
        }
        const stream = MessageStream.fromReadableStream(data.toReadableStream());
        if (handlers) {
          stream.on('text', (delta) => {
            emitted = true;
            handlers.onText(delta);
          });
        }
        return { message: await stream.finalMessage(), requestId: requestId ?? undefined, contentType };
      } catch (error) {
        if (!isBrokenStream(error)) throw error;
        if (emitted) handlers?.onRestart();
        // A stream that keeps breaking mid-way: after the retries, ask without it.
        if (retry >= STREAM_RETRIES) return this.plain(params, signal, label);
      }
    }
  }

  /** A 200 that is not a Messages reply: a login portal, or a base URL that points elsewhere. */
  private notMessagesApi(label: string, what: string): ModelCallError {
    return new ModelCallError(label, `${withoutCredentials(this.client.baseURL)}/v1/messages answered with ${what}, not a Messages API reply`, {
      hint: 'check ANTHROPIC_BASE_URL: it should point at the Messages API (for example https://api.anthropic.com), not a web page; then resume the run',
    });
  }

  /**
   * An unstreamed request. A 200 whose JSON body is empty or cut off (a proxy or connection that
   * dropped the rest) is retried like a broken connection, as many times as the SDK retries one.
   */
  private async plain(params: Anthropic.MessageCreateParamsNonStreaming, signal: AbortSignal | undefined, label = 'model'): Promise<Exchange> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.client.messages.create(params, { signal }).withResponse();
        return { message: response.data, requestId: response.request_id ?? undefined, contentType: response.response.headers.get('content-type') };
      } catch (error) {
        if (!isIncompleteBody(error) || signal?.aborted) throw error;
        if (attempt >= this.client.maxRetries) throw incompleteReply(label, attempt + 1, error);
        await backoff(attempt, signal);
      }
    }
  }

  async call<T>(request: ModelRequest<T>): Promise<ModelReply<T>> {
    const started = performance.now();
    // A finished response's connection goes back to its pool on a later turn of the event loop.
    // A call made straight from the previous reply's promise chain would find it busy and open
    // another: a TLS handshake on the critical path. One turn lets it be reused.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const spent = { usage: ZERO_USAGE };
    try {
      return await this.attempts(request, spent, started);
    } catch (error) {
      // Attempts that came back before the failure were billed: the caps and totals must know.
      throw withSpent(error, spent.usage);
    }
  }

  /** Every attempt of one call: the first, one with more room, one repair; `spent` sums them. */
  private async attempts<T>(request: ModelRequest<T>, spent: { usage: Usage }, started: number): Promise<ModelReply<T>> {
    const format = outputFormat(request.schema as z.ZodType);
    const messages: MessageParam[] = [{ role: 'user', content: request.prompt }];
    let maxTokens = request.maxTokens;
    let repaired = false;
    let grown = false;
    // Output tokens the caps leave another attempt right now (a regrown or repaired reply).
    const room = () => request.roomForRetry?.(spent.usage) ?? Number.POSITIVE_INFINITY;

    let streamed = false;
    for (let attempt = 1; ; attempt++) {
      const params: Anthropic.MessageCreateParamsNonStreaming = {
        model: this.model,
        max_tokens: maxTokens,
        system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
        messages,
        output_config: { format: { type: format.type, schema: format.schema }, ...(request.effort ? { effort: request.effort } : {}) },
      };
      let exchange: Exchange;
      try {
        if (request.stream || maxTokens > this.streamAbove) {
          if (streamed) request.stream?.onRestart();
          exchange = await this.streamed(request.label, params, request.stream, request.signal);
          streamed = true;
        } else {
          exchange = await this.plain(params, request.signal, request.label);
        }
      } catch (error) {
        throw translateApiError(request.label, error, this.client.baseURL, [this.client.apiKey, this.client.authToken]);
      }
      const { message, requestId, contentType } = exchange;
      // A 200 that is not a Messages reply: a login portal, or a base URL that points elsewhere.
      const notMessage = notAMessage(message, contentType, [this.client.apiKey, this.client.authToken]);
      if (notMessage) throw this.notMessagesApi(request.label, notMessage);
      const attemptUsage = usageOf(message);
      spent.usage = addUsage(spent.usage, attemptUsage);
      const text = textOf(message);

      // Neither a refusal nor a full context window is mended by asking again.
      if (message.stop_reason === 'refusal') {
        const details = message.stop_details;
        throw new RefusalError(request.label, { category: details?.category, explanation: details?.explanation, requestId });
      }
      if (message.stop_reason === 'model_context_window_exceeded') throw new ContextWindowError(request.label, this.model, requestId);
      if (message.stop_reason === 'max_tokens') {
        const wanted = Math.min(request.maxTokensCeiling, maxTokens * 2);
        const next = Math.min(wanted, room());
        if (grown || next <= maxTokens) {
          const budgetLimited = !grown && wanted > maxTokens;
          throw new CutOffError(request.label, maxTokens, !text.trim(), text, { effort: request.effort, requestId, budgetLimited });
        }
        grown = true;
        maxTokens = next;
        continue;
      }
      const parsed = parseStructured(text, request.schema);
      if (parsed.ok) {
        return {
          value: parsed.value,
          text,
          usage: spent.usage,
          stopReason: message.stop_reason,
          model: message.model,
          latencyMs: performance.now() - started,
          attempts: attempt,
          requestId,
          ...(parsed.adjustments.length ? { adjustments: parsed.adjustments } : {}),
        };
      }
      if (repaired) throw new InvalidReplyError(request.label, parsed.problem, text, { requestId });
      // A repair re-sends the prompt with the bad reply: it must fit in what the caps leave.
      // The repair's prompt carries the bad reply too, so that much less is left for its answer.
      if (room() - attemptUsage.output < maxTokens) {
        throw new InvalidReplyError(request.label, `${parsed.problem} (the spending caps leave no room for a repair)`, text, { requestId, hint: 'raise --max-cost or --max-tokens' });
      }
      // One repair: show the model its own reply and what was wrong with it. The turn ends on
      // the user's message, as every request must (a trailing assistant turn would be a prefill).
      repaired = true;
      messages.push(
        { role: 'assistant', content: text || '(empty reply)' },
        { role: 'user', content: `That reply does not match the required format: ${parsed.problem}. Reply again with the corrected JSON object only.` },
      );
    }
  }
}
