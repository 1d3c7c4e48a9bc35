/**
 * The real provider: the Anthropic Messages API through @anthropic-ai/sdk. The SDK reads
 * ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN and ANTHROPIC_BASE_URL itself, exactly as Claude Code
 * does, and retries transient failures (429, 529, 5xx, connection resets) with backoff.
 * On top of that: one repair attempt for a reply that misses its schema, one retry with more
 * room for a truncated reply, and clear errors for refusals.
 */
import Anthropic, { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';
import { InterruptedError, InvalidReplyError, ModelCallError } from '../core/errors.js';
import { transportFor } from './http-transport.js';
import { describeNetworkFailure } from './network-error.js';
import { describeBody, notAMessage } from './reply-shape.js';
import { parseStructured } from './structured.js';
import { warmParser, type JsonSchema } from './warm-up.js';
import { addUsage, ZERO_USAGE, type ModelProvider, type ModelReply, type ModelRequest, type StreamHandlers, type Usage } from './types.js';

export interface AnthropicProviderOptions {
  model: string;
  /** Retries the SDK makes for transient failures before giving up. */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds. */
  timeoutMs?: number;
  /** Upper bound when a truncated reply is retried with more room. */
  maxTokensCeiling?: number;
}

function usageOf(message: Anthropic.Message): Usage {
  const usage = message.usage;
  return {
    input: usage.input_tokens ?? 0,
    output: usage.output_tokens ?? 0,
    cacheRead: usage.cache_read_input_tokens ?? 0,
    cacheWrite: usage.cache_creation_input_tokens ?? 0,
  };
}

function textOf(message: Anthropic.Message): string {
  return message.content
    .filter((block): block is Anthropic.TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('');
}

/** A base URL may carry user:password; it never goes into a message or a log. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(the configured ANTHROPIC_BASE_URL)';
  }
}

/** Turns SDK failures into our errors; the SDK's messages never carry the API key. */
function translate(step: string, error: unknown, baseURL: string): Error {
  if (error instanceof APIUserAbortError) return new InterruptedError();
  if (error instanceof APIConnectionTimeoutError) {
    return new ModelCallError(step, 'the API did not answer in time', { cause: error, hint: 'raise --timeout or try again later' });
  }
  if (error instanceof APIConnectionError) {
    const { detail, hint } = describeNetworkFailure(error);
    const where = `could not reach the API at ${withoutCredentials(baseURL)}`;
    return new ModelCallError(step, detail ? `${where}: ${detail}` : where, { cause: error, ...(hint ? { hint } : {}) });
  }
  if (error instanceof APIError) {
    const status = error.status;
    // A body that was not JSON (a proxy's or web server's page) is described, not printed whole.
    const raw = error.error === undefined ? error.message.replace(/^\d+ /, '') : null;
    const detail = raw !== null ? describeBody(raw, error.headers?.get('content-type')) : ((error.error as { error?: { message?: string } } | undefined)?.error?.message ?? error.message);
    const hint =
      status === 401 || status === 403
        ? 'check ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) for this endpoint'
        : status === 404
          ? 'check --model and ANTHROPIC_BASE_URL'
          : status === 400
            ? 'the request was rejected; run with --verbose for details'
            : undefined;
    return new ModelCallError(step, `HTTP ${status ?? '?'}: ${detail}`, { status, cause: error, ...(hint ? { hint } : {}) });
  }
  // Anything else the SDK raises (a malformed reply or stream) is still a failed call, said plainly.
  if (error instanceof AnthropicError) return new ModelCallError(step, error.message, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

/** Retries of a stream that broke after it started; the SDK retries only the opening request. */
const STREAM_RETRIES = 2;

/** A stream that died mid-way (no HTTP status) is worth another try; an API verdict is not. */
function isBrokenStream(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  return !(error instanceof APIError) || error.status === undefined;
}

/** Converting a zod schema to JSON Schema costs real time per call; each reply type converts once. */
const formats = new WeakMap<z.ZodType, ReturnType<typeof zodOutputFormat>>();
function outputFormat(schema: z.ZodType): ReturnType<typeof zodOutputFormat> {
  let format = formats.get(schema);
  if (!format) formats.set(schema, (format = zodOutputFormat(schema)));
  return format;
}

export class AnthropicProvider implements ModelProvider {
  readonly name = 'anthropic';
  readonly model: string;
  private readonly client: Anthropic;
  private readonly ceiling: number;

  constructor(options: AnthropicProviderOptions) {
    this.model = options.model;
    this.ceiling = options.maxTokensCeiling ?? 32_000;
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
  }

  private async streamed(params: Anthropic.MessageCreateParamsNonStreaming, handlers: StreamHandlers, signal: AbortSignal | undefined): Promise<Anthropic.Message> {
    for (let retry = 0; ; retry++) {
      let emitted = false;
      try {
        const stream = this.client.messages.stream(params, { signal });
        stream.on('text', (delta) => {
          emitted = true;
          handlers.onText(delta);
        });
        return await stream.finalMessage();
      } catch (error) {
        if (!isBrokenStream(error)) throw error;
        if (emitted) handlers.onRestart();
        // Some Anthropic-compatible gateways cannot stream: after the retries, ask without it.
        if (retry >= STREAM_RETRIES) return this.client.messages.create(params, { signal });
      }
    }
  }

  async call<T>(request: ModelRequest<T>): Promise<ModelReply<T>> {
    const started = performance.now();
    // A finished response's connection goes back to its pool on a later turn of the event loop.
    // A call made straight from the previous reply's promise chain would find it busy and open
    // another: a TLS handshake on the critical path. One turn lets it be reused.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const format = outputFormat(request.schema as z.ZodType);
    const messages: MessageParam[] = [{ role: 'user', content: request.prompt }];
    let maxTokens = request.maxTokens;
    let usage = ZERO_USAGE;
    let repaired = false;
    let grown = false;

    let streamed = false;
    for (let attempt = 1; ; attempt++) {
      let message: Anthropic.Message;
      let requestId: string | undefined;
      let contentType: string | null = null;
      const params: Anthropic.MessageCreateParamsNonStreaming = {
        model: this.model,
        max_tokens: maxTokens,
        system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
        messages,
        output_config: { format: { type: format.type, schema: format.schema } },
      };
      try {
        if (request.stream) {
          if (streamed) request.stream.onRestart();
          message = await this.streamed(params, request.stream, request.signal);
          streamed = true;
        } else {
          const response = await this.client.messages.create(params, { signal: request.signal }).withResponse();
          message = response.data;
          requestId = response.request_id ?? undefined;
          contentType = response.response.headers.get('content-type');
        }
      } catch (error) {
        throw translate(request.label, error, this.client.baseURL);
      }
      // A 200 that is not a Messages reply: a login portal, or a base URL that points elsewhere.
      const notMessage = notAMessage(message, contentType, [this.client.apiKey, this.client.authToken]);
      if (notMessage) {
        throw new ModelCallError(request.label, `${withoutCredentials(this.client.baseURL)}/v1/messages answered with ${notMessage}, not a Messages API reply`, {
          hint: "check ANTHROPIC_BASE_URL: it should point at the Messages API (for example https://api.anthropic.com), not a web page; then resume the run",
        });
      }
      usage = addUsage(usage, usageOf(message));
      const text = textOf(message);

      if (message.stop_reason === 'refusal') {
        throw new InvalidReplyError(request.label, 'the model declined to answer this request', text);
      }
      if (message.stop_reason === 'max_tokens') {
        if (grown || maxTokens >= this.ceiling) {
          throw new InvalidReplyError(request.label, `the reply was cut off at ${maxTokens} tokens`, text);
        }
        grown = true;
        maxTokens = Math.min(this.ceiling, maxTokens * 2);
        continue;
      }
      const parsed = parseStructured(text, request.schema);
      if (parsed.ok) {
        return {
          value: parsed.value,
          text,
          usage,
          stopReason: message.stop_reason,
          model: message.model,
          latencyMs: performance.now() - started,
          attempts: attempt,
          requestId,
        };
      }
      if (repaired) throw new InvalidReplyError(request.label, parsed.problem, text);
      // One repair: show the model its own reply and what was wrong with it.
      repaired = true;
      messages.push(
        { role: 'assistant', content: text || '(empty reply)' },
        { role: 'user', content: `That reply does not match the required format: ${parsed.problem}. Reply again with the corrected JSON object only.` },
      );
    }
  }
}
