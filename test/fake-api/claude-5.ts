// The fake's Claude 5.x mode: requests a real 5.x model would refuse get the API's 400 (or 404
// for an unknown model), and accepted ones get what a thinking model sends back: a thinking block
// (empty text, as `display: omitted` returns it) whose tokens count against max_tokens and bill
// as output, usage with `output_tokens_details`, and a prompt cache that only holds prefixes
// above the model's minimum and keys on everything that is part of the cached prefix.
import { createHash } from 'node:crypto';
import { CLAUDE_5_RULES, THINKING_BY_EFFORT, type Effort, type ModelRules } from './claude-5-rules.js';
import type { ErrorReply, MessageReply } from './types.js';
import { schemaProblem } from './schema-rules.js';
import { roughTokens } from './wire.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

const EFFORTS: Effort[] = ['low', 'medium', 'high', 'xhigh', 'max'];
const invalid = (message: string): ErrorReply => ({ kind: 'error', status: 400, errorType: 'invalid_request_error', message, shouldRetry: false });

function effectiveEffort(body: Body, rules: ModelRules): Effort {
  return body.output_config?.effort ?? rules.defaultEffort ?? 'high';
}

/** The API's answer to a request this model does not take, or null when it takes it. */
export function rejectionFor(body: Body): ErrorReply | null {
  const model = String(body?.model ?? '');
  const rules = CLAUDE_5_RULES[model];
  if (!rules) return { kind: 'error', status: 404, errorType: 'not_found_error', message: `model: ${model}`, shouldRetry: false };
  for (const key of ['temperature', 'top_p', 'top_k']) if (key in body) return invalid(`${key}: Extra inputs are not permitted`);
  const messages: Array<{ role: string }> = body.messages ?? [];
  if (messages.at(-1)?.role !== 'user') return invalid('This model does not support assistant message prefill. The conversation must end with a user message.');
  const maxTokens = Number(body.max_tokens);
  if (!Number.isInteger(maxTokens) || maxTokens < 1) return invalid('max_tokens: must be a positive integer');
  if (maxTokens > rules.maxOutput) return invalid(`max_tokens: ${maxTokens} > ${rules.maxOutput}, which is the maximum allowed number of output tokens for ${model}`);
  const effort = body.output_config?.effort;
  if (effort !== undefined && effort !== null) {
    if (rules.effortLevels.length === 0) return invalid('This model does not support the effort parameter.');
    if (!rules.effortLevels.includes(effort)) return invalid(`This model does not support effort level '${effort}'. Supported levels: ${rules.effortLevels.join(', ')}.`);
  }
  const thinking = body.thinking;
  if (thinking) {
    if (!rules.accepts.includes(thinking.type)) return invalid(`"thinking.type.${thinking.type}" is not supported for this model.`);
    const level = effectiveEffort(body, rules);
    if (thinking.type === 'disabled' && rules.disabledUpTo && EFFORTS.indexOf(level) > EFFORTS.indexOf(rules.disabledUpTo)) {
      return invalid(`"thinking.type.disabled" is not supported at effort '${level}' for this model.`);
    }
    if (thinking.type === 'between_tools' && (Object.keys(thinking).length > 1 || level === 'xhigh' || level === 'max')) {
      return invalid('"thinking.type.between_tools" takes no other field and is accepted only at low, medium and high effort.');
    }
    if (thinking.type === 'enabled' && !(thinking.budget_tokens >= 1024 && thinking.budget_tokens < maxTokens)) {
      return invalid('thinking.budget_tokens: must be at least 1024 and less than max_tokens');
    }
  }
  const choice = body.tool_choice?.type;
  if ((choice === 'any' || choice === 'tool') && rules.rejectsForcedTool) return invalid('tool_choice: type "tool" and "any" are not supported for this model.');
  const problem = schemaProblem(body.output_config?.format?.schema);
  return problem ? invalid(problem) : null;
}

/** A stable spread of ±20% around the effort's thinking, so calls differ but reruns do not. */
function spread(base: number, raw: string): number {
  const byte = createHash('sha256').update(raw).digest()[0]!;
  return Math.round(base * (0.8 + (byte / 255) * 0.4));
}

function thinks(body: Body, rules: ModelRules): boolean {
  const type = body.thinking?.type;
  if (type === undefined) return rules.thinksByDefault;
  return type === 'adaptive' || type === 'enabled';
}

/**
 * Reshapes a scripted reply as the model would return it: thinking first, the reply cut where
 * max_tokens runs out, usage counted the API's way (the prompt cache included).
 */
export function emulateReply(reply: MessageReply, body: Body, raw: string, cache: Set<string>): MessageReply {
  const rules = CLAUDE_5_RULES[String(body.model)]!;
  const maxTokens = Number(body.max_tokens);
  const thinking = thinks(body, rules)
    ? Math.min(reply.thinkingTokens ?? spread(THINKING_BY_EFFORT[effectiveEffort(body, rules)], raw), body.thinking?.budget_tokens ?? Number.POSITIVE_INFINITY)
    : 0;
  const content: Array<Record<string, unknown>> = [];
  let output = thinking;
  let stop = reply.stop_reason ?? 'end_turn';
  if (thinking > 0) content.push({ type: 'thinking', thinking: '', signature: `sig_${createHash('sha256').update(raw).digest('hex').slice(0, 24)}` });
  if (thinking >= maxTokens) {
    output = maxTokens;
    stop = 'max_tokens';
  } else {
    for (const block of reply.content) {
      const text = typeof block.text === 'string' ? block.text : null;
      const tokens = text === null ? roughTokens(JSON.stringify(block).length) : roughTokens(text.length);
      if (output + tokens <= maxTokens) {
        content.push(block);
        output += tokens;
        continue;
      }
      if (text !== null) content.push({ ...block, text: text.slice(0, (maxTokens - output) * 4) });
      output = maxTokens;
      stop = 'max_tokens';
      break;
    }
  }
  return { ...reply, content, stop_reason: stop, usage: { ...cacheUsage(body, raw, rules, cache), ...reply.usage, output_tokens: output, output_tokens_details: { thinking_tokens: Math.min(thinking, output) } } };
}

/**
 * Input split the way the API reports it. The cached prefix is the system blocks up to the
 * marked one, and it is keyed on what shapes that prefix: the model, the reply format, the
 * thinking setting and the effort (sent or defaulted alike).
 */
function cacheUsage(body: Body, raw: string, rules: ModelRules, cache: Set<string>) {
  const total = roughTokens(raw.length);
  const system: Array<{ text?: string; cache_control?: unknown }> = Array.isArray(body.system) ? body.system : [];
  const marked = system.findIndex((block) => block.cache_control);
  const prefix = marked === -1 ? 0 : roughTokens(JSON.stringify(system.slice(0, marked + 1)).length);
  if (prefix < rules.minCacheTokens) return { input_tokens: total, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  const key = JSON.stringify([body.model, system.slice(0, marked + 1), body.output_config?.format ?? null, body.thinking ?? null, effectiveEffort(body, rules)]);
  const hit = cache.has(key);
  cache.add(key);
  return { input_tokens: total - prefix, cache_read_input_tokens: hit ? prefix : 0, cache_creation_input_tokens: hit ? 0 : prefix };
}
