/**
 * The per-run context every stage shares: the model, the prompts, the event bus, the abort
 * signal, and the one wrapper through which every model call goes (so each is counted, logged,
 * hashed for resume, sized for thinking, and held under the budget).
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { Budget, CODA_RESERVE, observedEstimate, type BudgetLimits, type Spent } from './budget.js';
import { BudgetExhaustedError, CutOffError, InterruptedError, MythosError } from './errors.js';
import type { EventBus } from './events.js';
import { REPLY_TOKENS, type CallSettings } from './models/call-settings.js';
import type { Effort } from './models/catalogue.js';
import { callCost, type ResolvedModel } from './models/pricing.js';
import { CallEstimator, estimateTokens } from './models/usage-estimate.js';
import { PromptBuilder } from './prompts/build-prompts.js';
import type { ReferenceBundle } from './prompts/reference-files.js';
import type { CallRecord, RunRecord } from './state.js';
import { addUsage, ZERO_USAGE, type CallStep, type ModelProvider, type ModelReply, type StreamHandlers, type Usage } from '../providers/types.js';

export interface RunLimits extends BudgetLimits {
  maxRounds: number | undefined;
  concurrency: number;
  /** `--effort`: the level for the reasoning steps; bookkeeping steps never go above their own default. */
  effort?: Effort | undefined;
}

/** Replies from an earlier run of the same question, keyed by request hash (resume). */
export type ReplayCache = Map<string, Array<ModelReply<unknown>>>;

/**
 * What a call's max_tokens must leave room for: the Coda, which every run needs. The Coda's
 * cross-check is planned for (see canAfford) but never squeezes another call: unaffordable, it is
 * skipped.
 */
function closingAfter(step: CallStep): readonly CallStep[] {
  if (step === 'coda' || step === 'cross-check') return [];
  // A round is judged, and the merge follows the subagents, before the Coda.
  if (step === 'round') return ['judge', 'coda'];
  if (step === 'subagent') return ['merge', 'coda'];
  return ['coda'];
}

/**
 * Before anything is logged or spent: refuses caps that cannot pay for this question's Prelude
 * and a Coda with this model. The same check runs again inside the run.
 */
export function assertCapsCanStart(refs: ReferenceBundle, question: string, limits: RunLimits, model: ResolvedModel, at: Date): void {
  const prompts = new PromptBuilder(refs);
  const estimator = new CallEstimator(prompts.system(), refs.templates, question, model, limits.effort);
  const budget = new Budget(limits, model, at, (step) => estimator.prior(step, { cacheWarm: false }));
  const prelude = estimateTokens(prompts.fill('Prelude', { question }));
  budget.assertCanStart(estimator.prior('prelude', { promptTokens: prelude, cacheWarm: false }), 'coda');
}

export interface CallOptions {
  /** Stream the reply's text as it is written. */
  stream?: StreamHandlers | undefined;
  /** A different effort for this call, when the model takes it (the Coda retried at low effort). */
  effort?: Effort | undefined;
  /**
   * Calls starting together that split what the caps leave, this one included (parallel
   * subagents): without it the first to start could hold all the room and starve its siblings.
   */
  share?: number | undefined;
}

export function requestHash(parts: { model: string; step: CallStep; system: string; prompt: string }): string {
  return createHash('sha256').update(JSON.stringify([parts.model, parts.step, parts.system, parts.prompt])).digest('hex').slice(0, 16);
}

export class RunContext {
  readonly prompts: PromptBuilder;
  readonly system: string;
  usage: Usage = ZERO_USAGE;
  /** Spent so far at list prices (0 for a model without prices). */
  costUsd = 0;
  readonly budget: Budget;
  private readonly origin = performance.now();
  /** Worst-case usage of each call in flight, by call. */
  private readonly pending = new Map<symbol, Usage>();
  readonly estimator: CallEstimator;

  constructor(
    readonly provider: ModelProvider,
    readonly refs: ReferenceBundle,
    readonly bus: EventBus,
    readonly record: RunRecord,
    readonly limits: RunLimits,
    readonly signal: AbortSignal | undefined,
    private readonly replay: ReplayCache = new Map(),
    readonly model: ResolvedModel = { id: provider.model, entry: null },
    /** The run's date: the prices in force on it apply. */
    readonly at: Date = new Date(),
  ) {
    this.prompts = new PromptBuilder(refs);
    this.system = this.prompts.system();
    this.estimator = new CallEstimator(this.system, refs.templates, record.question, this.model, limits.effort);
    // A step's prefix is cached per reply format and effort, so it is warm once that step has run.
    this.budget = new Budget(limits, this.model, at, (step) =>
      observedEstimate(step, record.calls) ?? this.estimator.prior(step, { cacheWarm: record.calls.some((c) => c.step === step) }));
  }

  /** Settings a step's calls are made with (effort, max_tokens). */
  settingsFor(step: CallStep): CallSettings {
    return this.estimator.settingsFor(step);
  }

  /** What the run has spent, counting each call still in flight at its worst case. */
  spent(): Spent {
    let usage = this.usage;
    let costUsd = this.costUsd;
    for (const held of this.pending.values()) {
      usage = addUsage(usage, held);
      costUsd += this.cost(held);
    }
    return { usage, costUsd };
  }

  /** Whether these calls and the Coda (with its cross-check) still fit under --max-cost / --max-tokens. */
  canAfford(...steps: CallStep[]): boolean {
    return this.budget.fits(this.spent(), steps, CODA_RESERVE);
  }

  /** Refuses, before any call, caps that cannot pay for the Prelude and a Coda. */
  assertCanStart(): void {
    assertCapsCanStart(this.refs, this.record.question, this.limits, this.model, this.at);
  }

  /** Whether these calls fit on their own, once nothing is left to reserve for (after the Coda). */
  canAffordAlone(...steps: CallStep[]): boolean {
    return this.budget.fits(this.spent(), steps, []);
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

  /**
   * max_tokens for this call: the step's own cap, lowered to what the caps leave after its
   * prompt while the calls after it still fit. Below a quarter of the reply's room nothing useful
   * can come back, so the call is not made at all.
   */
  private maxTokensFor(step: CallStep, label: string, promptTokens: number, settings: CallSettings, share = 1): { maxTokens: number; clamped: boolean } {
    const allowance = this.budget.outputAllowance(this.spent(), promptTokens, closingAfter(step));
    if (allowance === Number.POSITIVE_INFINITY) return { maxTokens: settings.maxTokens, clamped: false };
    const minimum = REPLY_TOKENS[step] / 4;
    if (allowance < minimum) {
      throw new BudgetExhaustedError(label, `about ${allowance} output tokens are left under the caps`);
    }
    // An equal share, unless a share is too small to be useful: then this call takes what it can.
    const shared = Math.floor(allowance / Math.max(1, share));
    const maxTokens = Math.min(settings.maxTokens, shared >= minimum ? shared : allowance);
    return { maxTokens, clamped: maxTokens < settings.maxTokens };
  }

  async call<T>(step: CallStep, label: string, prompt: string, schema: z.ZodType<T>, options: CallOptions = {}): Promise<ModelReply<T>> {
    this.throwIfAborted();
    const hash = requestHash({ model: this.provider.model, step, system: this.system, prompt });
    const cached = this.replay.get(hash)?.shift() as ModelReply<T> | undefined;
    const base = this.settingsFor(step);
    const settings = options.effort && this.model.entry?.effort.levels.includes(options.effort) ? { ...base, effort: options.effort } : base;
    const promptTokens = this.estimator.systemTokens + estimateTokens(prompt);
    const { maxTokens, clamped } = cached ? { maxTokens: settings.maxTokens, clamped: false } : this.maxTokensFor(step, label, promptTokens, settings, options.share);
    // Until it returns, the call holds its worst case: calls started meanwhile (its siblings in a
    // dispatch) are sized from what is left after it.
    const hold = Symbol(label);
    if (this.budget.active && !cached) this.pending.set(hold, { ...ZERO_USAGE, input: promptTokens, output: maxTokens });
    this.bus.emit({ type: 'call.start', step, label, requestHash: hash });
    const startedAt = this.clock();
    const recordCall = (usage: Usage, extra: Partial<CallRecord>, value?: unknown) => this.account({
      step, label, requestHash: hash, usage, latencyMs: 0, attempts: 0, replayed: cached !== undefined,
      ...(cached ? {} : { effort: settings.effort, maxTokens }), startedAt, endedAt: this.clock(), ...extra,
    }, value);
    let reply: ModelReply<T>;
    try {
      reply = cached ?? (await this.provider.call({
        step, label, system: this.system, prompt, schema, signal: this.signal, stream: options.stream,
        effort: settings.effort, maxTokens, maxTokensCeiling: settings.maxTokensCeiling,
        // A regrown or repaired attempt gets only what the caps leave at that moment.
        ...(this.budget.active ? { roomForRetry: (spentSoFar: Usage) => this.roomForRetry(hold, spentSoFar, promptTokens, step) } : {}),
      }));
    } catch (error) {
      this.pending.delete(hold);
      // A reply cut short because the caps left no more room is the budget running out, not a model fault.
      const failure = error instanceof CutOffError && (clamped || error.budgetLimited)
        ? Object.assign(new BudgetExhaustedError(label, `the reply needed more than the ${error.maxTokens} tokens the caps left room for`, error.requestId), { spent: error.spent })
        : error;
      // A reply that came back whole before something after it failed (a recording that could not
      // be written) is logged as the call it was, so resume serves it instead of paying again.
      const received = failure instanceof MythosError ? failure.received : undefined;
      if (received) {
        recordCall(received.usage, { latencyMs: Math.round(received.latencyMs), attempts: received.attempts, ...(received.requestId ? { requestId: received.requestId } : {}) }, received.value);
        throw failure;
      }
      // What the failed attempts were billed is spent all the same: counted, and logged as a failed call.
      if (failure instanceof MythosError && failure.spent) recordCall(failure.spent, { failed: failure.message });
      throw failure;
    }
    this.pending.delete(hold);
    const value = cached ? schema.parse(cached.value) : reply.value;
    recordCall(reply.usage, {
      latencyMs: Math.round(reply.latencyMs),
      attempts: reply.attempts,
      ...(reply.requestId ? { requestId: reply.requestId } : {}),
      ...(reply.adjustments?.length ? { adjustments: reply.adjustments } : {}),
    }, value);
    return { ...reply, value };
  }

  /** Output tokens another attempt of a call may use now: what the caps leave besides this call's own hold. */
  private roomForRetry(hold: symbol, spentSoFar: Usage, promptTokens: number, step: CallStep): number {
    const own = this.pending.get(hold);
    this.pending.delete(hold);
    const spent = this.spent();
    if (own) this.pending.set(hold, own);
    return this.budget.outputAllowance({ usage: addUsage(spent.usage, spentSoFar), costUsd: spent.costUsd + this.cost(spentSoFar) }, promptTokens, closingAfter(step));
  }

  private cost(usage: Usage): number {
    return this.model.entry ? callCost(this.model.entry, usage, this.at) : 0;
  }

  /** A call an earlier attempt of this run paid for (resume): counted again in this attempt's totals. */
  carry(call: CallRecord): void {
    this.account({ ...call, replayed: true });
  }

  /** Counts a call's usage (a reply served from the log still cost what it cost) and reports it. */
  private account(call: CallRecord, value?: unknown): void {
    this.usage = addUsage(this.usage, call.usage);
    this.costUsd += this.cost(call.usage);
    this.record.calls.push(call);
    this.bus.emit({ type: 'call', call, value });
  }
}
