/**
 * An in-process provider that answers from a script and records every request: the fast seam
 * for testing the core without HTTP. When the script runs out it throws, naming the request.
 */
import { validateReply } from './structured.js';
import type { ModelProvider, ModelReply, ModelRequest, Usage } from './types.js';

export type ScriptedAnswer = unknown | Error;
export type Script = (request: ModelRequest<unknown>, index: number) => ScriptedAnswer;

export class ScriptedProvider implements ModelProvider {
  readonly name = 'scripted';
  readonly requests: Array<ModelRequest<unknown>> = [];

  constructor(private readonly script: Script | ScriptedAnswer[], readonly model = 'claude-sonnet-5-5', private readonly usage: Usage = { input: 100, output: 20, cacheRead: 0, cacheWrite: 0 }) {}

  async call<T>(request: ModelRequest<T>): Promise<ModelReply<T>> {
    const index = this.requests.length;
    this.requests.push(request as ModelRequest<unknown>);
    const answer = typeof this.script === 'function' ? this.script(request as ModelRequest<unknown>, index) : this.script[index];
    if (answer === undefined) throw new Error(`scripted provider has no answer for request #${index + 1} (${request.label})`);
    if (answer instanceof Error) throw answer;
    const parsed = validateReply(answer, request.schema);
    if (!parsed.ok) throw new Error(`scripted answer #${index + 1} (${request.label}) does not fit its schema: ${parsed.problem}`);
    return {
      value: parsed.value, text: JSON.stringify(answer), usage: this.usage, stopReason: 'end_turn', model: this.model, latencyMs: 0, attempts: 1,
      ...(parsed.adjustments.length ? { adjustments: parsed.adjustments } : {}),
    };
  }
}
