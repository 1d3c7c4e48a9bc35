// Reply builders, so tests script the model in one line instead of hand-writing API shapes.
import type { ErrorReply, FakeReply, MessageReply } from './types.js';

/** Options every message builder accepts: everything but the content. */
export type MessageExtra = Partial<Omit<MessageReply, 'kind' | 'content'>>;

let toolIds = 0;

/** Unique within the process, so multi-turn tool loops never reuse an id. */
function nextToolId(): string {
  toolIds += 1;
  return `toolu_fake_${String(toolIds).padStart(6, '0')}`;
}

/** One text block. */
export function textReply(text: string, extra: MessageExtra = {}): FakeReply {
  return { kind: 'message', content: [{ type: 'text', text }], ...extra };
}

/** Structured outputs arrive as one text block holding the JSON, which is what the SDK parses. */
export function jsonReply(value: unknown, extra: MessageExtra = {}): FakeReply {
  return textReply(JSON.stringify(value), extra);
}

/** tool_use blocks (after an optional text block), stop_reason 'tool_use'. */
export function toolUseReply(
  calls: Array<{ name: string; input: unknown; id?: string }>,
  text?: string,
): FakeReply {
  const content: Array<Record<string, unknown>> = [];
  if (text !== undefined) content.push({ type: 'text', text });
  for (const c of calls) content.push({ type: 'tool_use', id: c.id ?? nextToolId(), name: c.name, input: c.input });
  return { kind: 'message', content, stop_reason: 'tool_use' };
}

/** An API error; `extra` sets the error type, retry-after or a delay. */
export function errorReply(
  status: number,
  message?: string,
  extra: Partial<Omit<ErrorReply, 'kind' | 'status' | 'message'>> = {},
): FakeReply {
  return { kind: 'error', status, ...(message !== undefined ? { message } : {}), ...extra };
}
