// The real Messages API's wire shapes: message objects, error bodies, usage and the SSE event
// sequence. Pure functions, so the server only decides *when* to write, never *what*.
import type { ErrorReply, FakeUsage, MessageReply } from './types.js';

/** Default error type per status, as the real API names them. */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function errorTypeFor(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function errorBody(type: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return { type: 'error', error: { type, message, ...(details ? { details } : {}) } };
}

/**
 * Headers for an error reply. SDK 1.14 treats `retry-after: 0` as "no advice" and falls back to
 * its exponential backoff (0.5 s, 1 s, …), so we also send `retry-after-ms`, which it reads
 * first; 0 s becomes 1 ms so scripted retries stay instant.
 */
export function errorHeaders(reply: ErrorReply): Record<string, string> {
  const h: Record<string, string> = {};
  const s = reply.retryAfterSeconds;
  if (s !== undefined) {
    h['retry-after'] = String(s);
    h['retry-after-ms'] = String(Math.max(1, Math.round(s * 1000)));
  }
  if (reply.shouldRetry !== undefined) h['x-should-retry'] = String(reply.shouldRetry);
  return h;
}

/** Rough token estimate: ~4 characters per token, at least 1. */
export function roughTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

/** Characters a block "costs" as output: its text, thinking or tool input JSON. */
function blockChars(block: Record<string, unknown>): number {
  if (typeof block.text === 'string') return block.text.length;
  if (typeof block.thinking === 'string') return block.thinking.length;
  if ('input' in block) return JSON.stringify(block.input ?? {}).length;
  return JSON.stringify(block).length;
}

/** Scripted usage wins; the rest is estimated so bigger prompts and answers cost more. */
export function usageFor(reply: MessageReply, rawBody: string): FakeUsage {
  const outChars = reply.content.reduce((n, b) => n + blockChars(b), 0);
  return {
    input_tokens: reply.usage?.input_tokens ?? roughTokens(rawBody.length),
    output_tokens: reply.usage?.output_tokens ?? roughTokens(outChars),
    cache_read_input_tokens: reply.usage?.cache_read_input_tokens ?? 0,
    cache_creation_input_tokens: reply.usage?.cache_creation_input_tokens ?? 0,
    ...(reply.usage?.output_tokens_details ? { output_tokens_details: reply.usage.output_tokens_details } : {}),
  };
}

export interface MessageContext {
  id: string;
  model: string;
  usage: FakeUsage;
}

/** The non-streaming JSON body. */
export function messageBody(reply: MessageReply, ctx: MessageContext): Record<string, unknown> {
  return {
    id: ctx.id,
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content: reply.content,
    stop_reason: reply.stop_reason ?? 'end_turn',
    stop_sequence: null,
    stop_details: reply.stop_details ?? null,
    usage: ctx.usage,
  };
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Text arrives in chunks of a few dozen characters, like the real stream. */
const CHUNK = 32;

function chunks(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += CHUNK) out.push(s.slice(i, i + CHUNK));
  return out;
}

/** content_block_start + deltas + content_block_stop for one block. */
function blockEvents(block: Record<string, unknown>, index: number): SseEvent[] {
  const delta = (d: Record<string, unknown>): SseEvent => ({
    event: 'content_block_delta',
    data: { type: 'content_block_delta', index, delta: d },
  });
  let start: Record<string, unknown>;
  let deltas: SseEvent[];
  if (block.type === 'text') {
    start = { type: 'text', text: '' };
    deltas = chunks(String(block.text ?? '')).map((text) => delta({ type: 'text_delta', text }));
  } else if (block.type === 'tool_use' || block.type === 'server_tool_use') {
    // The real API starts tool input as {} and streams the JSON text, beginning with "".
    start = { ...block, input: {} };
    const json = JSON.stringify(block.input ?? {});
    deltas = ['', ...chunks(json)].map((partial_json) => delta({ type: 'input_json_delta', partial_json }));
  } else if (block.type === 'thinking') {
    start = { type: 'thinking', thinking: '', signature: '' };
    deltas = chunks(String(block.thinking ?? '')).map((thinking) => delta({ type: 'thinking_delta', thinking }));
    deltas.push(delta({ type: 'signature_delta', signature: String(block.signature ?? 'fake-signature') }));
  } else {
    // Anything else (redacted_thinking, tool results…) arrives whole in its start event.
    start = block;
    deltas = [];
  }
  return [
    { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: start } },
    ...deltas,
    { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
  ];
}

/** The full event sequence of a streamed message, in the real API's order. */
export function streamEvents(reply: MessageReply, ctx: MessageContext): SseEvent[] {
  const start = {
    ...messageBody(reply, ctx),
    content: [],
    stop_reason: null,
    stop_details: null,
    usage: { ...ctx.usage, output_tokens: 1 },
  };
  return [
    { event: 'message_start', data: { type: 'message_start', message: start } },
    { event: 'ping', data: { type: 'ping' } },
    ...reply.content.flatMap((b, i) => blockEvents(b, i)),
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: reply.stop_reason ?? 'end_turn', stop_sequence: null, stop_details: reply.stop_details ?? null },
        usage: {
          output_tokens: ctx.usage.output_tokens,
          ...(ctx.usage.output_tokens_details ? { output_tokens_details: ctx.usage.output_tokens_details } : {}),
        },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
}

export function formatSse(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}
