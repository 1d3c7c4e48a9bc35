// One-line description of a recorded request for error messages: which request had no reply.
// Never includes headers, so API keys cannot leak into test output.
import type { RecordedRequest } from './types.js';

const MAX = 80;

/** The text of the last user message, if the body has one. */
function lastUserText(body: unknown): string | undefined {
  const messages = (body as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages)) return undefined;
  const last = [...messages].reverse().find((m) => (m as { role?: unknown })?.role === 'user') as
    | { content?: unknown }
    | undefined;
  const content = last?.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content
    .map((b) => (b as { type?: unknown; text?: unknown }))
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text as string);
  return texts.length ? texts.join(' ') : undefined;
}

/** e.g. `#3 POST /v1/messages (model claude-x, last user text: "Round 2 of 4 …")` */
export function describeRequest(rec: RecordedRequest): string {
  const parts: string[] = [];
  if (rec.body?.model !== undefined) parts.push(`model ${String(rec.body.model)}`);
  const text = lastUserText(rec.body)?.replace(/\s+/g, ' ').trim();
  if (text) parts.push(`last user text: ${JSON.stringify(text.length > MAX ? `${text.slice(0, MAX)}…` : text)}`);
  const detail = parts.length ? ` (${parts.join(', ')})` : '';
  return `#${rec.index} ${rec.method} ${rec.path}${detail}`;
}
