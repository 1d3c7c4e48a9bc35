/**
 * The per-run context every stage shares: the model, the prompts, the event bus, the abort
 * signal, and the one wrapper through which every model call goes (so each is counted, logged,
 * hashed for resume, and checked against the budget).
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { Budget, observedEstimate, priorEstimate, type BudgetLimits } from './budget.js';
import { InterruptedError } from './errors.js';
import type { EventBus } from './events.js';
import { PromptBuilder } from './prompts/build-prompts.js';
import type { ReferenceBundle } from './prompts/reference-files.js';
import type { CallRecord, RunRecord } from './state.js';
import { addUsage, ZERO_USAGE, type CallStep, type ModelProvider, type ModelReply, type StreamHandlers, type Usage } from '../providers/types.js';

export interface RunLimits extends BudgetLimits {
  maxRounds: number | undefined;
  concurrency: number;
}

/** Replies from an earlier run of the same question, keyed by request hash (resume). */
export type ReplayCache = Map<string, Array<ModelReply<unknown>>>;

export const MAX_TOKENS: Record<CallStep, number> = {
  prelude: 2_000,
  're-prelude': 2_000,
  round: 1_200,
  judge: 600,
  subagent: 1_500,
  merge: 2_500,
  coda: 4_000,
  'cross-check': 800,
};

export function requestHash(parts: { model: string; step: CallStep; system: string; prompt: string }): string {
  return createHash('sha256').update(JSON.stringify([parts.model, parts.step, parts.system, parts.prompt])).digest('hex').slice(0, 16);
}

export class RunContext {
  readonly prompts: PromptBuilder;
  readonly system: string;
  usage: Usage = ZERO_USAGE;
  readonly budget: Budget;
  private readonly origin = performance.now();

  constructor(
    readonly provider: ModelProvider,
    readonly refs: ReferenceBundle,
    readonly bus: EventBus,
    readonly record: RunRecord,
    readonly limits: RunLimits,
    readonly signal: AbortSignal | undefined,
    private readonly replay: ReplayCache = new Map(),
  ) {
    this.prompts = new PromptBuilder(refs);
    this.system = this.prompts.system();
    // Later prompts carry the Prelude and the chain: assume ~3,000 characters beyond the prefix.
    this.budget = new Budget(limits, provider.model, (step) =>
      observedEstimate(step, record.calls) ?? priorEstimate(step, this.system.length + 3_000, MAX_TOKENS[step]),
    );
  }

  /** Whether these calls and the Coda (with its cross-check) still fit under --max-cost / --max-tokens. */
  canAfford(...steps: CallStep[]): boolean {
    return this.budget.fits(this.usage, steps);
  }

  /** Whether these calls fit on their own, once nothing is left to reserve for (after the Coda). */
  canAffordAlone(...steps: CallStep[]): boolean {
    return this.budget.fits(this.usage, steps, []);
  }

  throwIfAborted(): void {
    if (this.signal?.aborted) throw new InterruptedError();
  }

  /** Milliseconds since the run began, for overlap checks in logs. */
  clock(): number {
    return Math.round((performance.now() - this.origin) * 10) / 10;
  }

  /**
   * Lets the provider pay each schema's one-time costs now, one schema per turn of the event
   * loop, so a reply that lands meanwhile is handled between two of them, not after all.
   */
  prepareAhead(schemas: readonly z.ZodType[]): void {
    const prepare = this.provider.prepare?.bind(this.provider);
    if (!prepare) return;
    const queue = [...schemas];
    const next = () => {
      const schema = queue.shift();
      if (!schema || this.signal?.aborted) return;
      // A schema that cannot be prepared fails again, with context, in its real call.
      try {
        prepare(schema);
      } catch {
        /* see above */
      }
      setImmediate(next).unref();
    };
    setImmediate(next).unref();
  }

  async call<T>(step: CallStep, label: string, prompt: string, schema: z.ZodType<T>, stream?: StreamHandlers): Promise<ModelReply<T>> {
    this.throwIfAborted();
    const hash = requestHash({ model: this.provider.model, step, system: this.system, prompt });
    this.bus.emit({ type: 'call.start', step, label, requestHash: hash });
    const startedAt = this.clock();
    const cached = this.replay.get(hash)?.shift() as ModelReply<T> | undefined;
    const reply =
      cached ??
      (await this.provider.call({ step, label, system: this.system, prompt, schema, maxTokens: MAX_TOKENS[step], signal: this.signal, stream }));
    const value = cached ? schema.parse(cached.value) : reply.value;
    const call: CallRecord = {
      step, label, requestHash: hash,
      // A reply served from the log still cost what it cost: budgets and totals count it.
      usage: reply.usage,
      latencyMs: Math.round(reply.latencyMs),
      attempts: reply.attempts,
      replayed: cached !== undefined,
      startedAt,
      endedAt: this.clock(),
    };
    this.usage = addUsage(this.usage, call.usage);
    this.record.calls.push(call);
    this.bus.emit({ type: 'call', call, value });
    return { ...reply, value };
  }
}
