/**
 * The one seam between the protocol and a model. The Anthropic provider, the in-process
 * scripted provider and the replay provider all implement it.
 */
import type { z } from 'zod';

export const CALL_STEPS = ['prelude', 're-prelude', 'round', 'judge', 'subagent', 'merge', 'coda', 'cross-check'] as const;
export type CallStep = (typeof CALL_STEPS)[number];

export interface ModelRequest<T> {
  step: CallStep;
  /** Human label for progress and logs, e.g. "round 3 (Challenge)". */
  label: string;
  /** Static protocol text sent first and marked for prompt caching. */
  system: string;
  prompt: string;
  schema: z.ZodType<T>;
  maxTokens: number;
  /** The most a retry of a cut-off reply may raise max_tokens to. */
  maxTokensCeiling: number;
  /**
   * Under spending caps: the output tokens another attempt (a regrown or repaired reply, with
   * its prompt sent again) may use now, given what this call's attempts have spent so far.
   * Absent: no limit.
   */
  roomForRetry?: ((spentSoFar: Usage) => number) | undefined;
  /** `output_config.effort`, or null to send none (the model's default applies). */
  effort: 'low' | 'medium' | 'high' | 'xhigh' | 'max' | null;
  signal?: AbortSignal | undefined;
  /** Stream the reply's text as it is generated; `onRestart` when a retry starts it over. */
  stream?: StreamHandlers | undefined;
}

export interface StreamHandlers {
  onText: (delta: string) => void;
  onRestart: () => void;
}

export interface Usage {
  input: number;
  /** Every output token billed, thinking included. */
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Of `output`, the tokens spent thinking, when the API reports them (absent in older logs). */
  thinking?: number;
}

export interface ModelReply<T> {
  value: T;
  /** The raw text the model produced (JSON for structured replies). */
  text: string;
  usage: Usage;
  stopReason: string | null;
  model: string;
  latencyMs: number;
  /** Attempts made at our level (a schema repair or a larger max_tokens counts as one more). */
  attempts: number;
  requestId?: string | undefined;
  /** Limits applied to the reply that the API does not enforce (a list clamped, a repeat dropped). */
  adjustments?: string[] | undefined;
}

export interface ModelProvider {
  readonly name: string;
  readonly model: string;
  call<T>(request: ModelRequest<T>): Promise<ModelReply<T>>;
  /**
   * Pays a reply schema's one-time costs (conversion, parser compilation) ahead of its first
   * call. The run calls it while another call is in flight, so the cost lands in idle time.
   */
  prepare?(schema: z.ZodType): void;
}

export const ZERO_USAGE: Usage = Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });

export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheRead: a.cacheRead + b.cacheRead,
    cacheWrite: a.cacheWrite + b.cacheWrite,
  };
  if (a.thinking !== undefined || b.thinking !== undefined) sum.thinking = (a.thinking ?? 0) + (b.thinking ?? 0);
  return sum;
}
