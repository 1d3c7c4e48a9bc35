/**
 * Paying a schema's one-time costs ahead: the skeleton a parse walks, and the context that
 * schedules the work while a call is in flight.
 */
import { describe, expect, it } from 'vitest';
import { toJSONSchema, z } from 'zod';
import { RunContext } from '../../src/core/context.js';
import { EventBus } from '../../src/core/events.js';
import { loadReferences } from '../../src/core/prompts/reference-files.js';
import { CodaReply, JudgeReply, MergeReply, PreludeReply, RoundReply, SubagentReply } from '../../src/core/schemas.js';
import { runMythos } from '../../src/core/run.js';
import { emptyRun } from '../../src/core/state.js';
import { ScriptedProvider } from '../../src/providers/scripted.js';
import { skeleton, warmParser, type JsonSchema } from '../../src/providers/warm-up.js';
import { codaReply, preludeReply } from '../helpers/mythos-script.js';

const jsonOf = (schema: z.ZodType) => toJSONSchema(schema, { io: 'input' }) as JsonSchema;

describe('skeleton', () => {
  it('fills every property, one element per array, the first enum value and the minimum', () => {
    const schema = z.object({
      name: z.string(),
      level: z.enum(['low', 'high']),
      count: z.number().int().min(2),
      done: z.boolean(),
      tags: z.array(z.object({ key: z.string() })),
      nested: z.object({ inner: z.literal('x') }),
      maybe: z.string().nullable(),
    });
    expect(skeleton(jsonOf(schema))).toEqual({
      name: '', level: 'low', count: 2, done: false, tags: [{ key: '' }], nested: { inner: 'x' }, maybe: '',
    });
  });

  it('reaches every nested key of the Prelude reply, so its nested parsers compile too', () => {
    const value = skeleton(jsonOf(PreludeReply)) as Record<string, unknown>;
    expect(Object.keys(value).sort()).toEqual(Object.keys(PreludeReply.shape).sort());
    const factors = value.factors as Record<string, { present: unknown; reason: unknown }>;
    for (const factor of Object.values(factors)) expect(factor).toEqual({ present: false, reason: '' });
  });

  it('stops at a depth limit instead of recursing forever', () => {
    const deep: JsonSchema = { type: 'object', properties: {} };
    let node = deep;
    for (let i = 0; i < 20; i++) node = node.properties!.next = { type: 'object', properties: {} };
    expect(JSON.stringify(skeleton(deep))).toContain('null');
  });
});

describe('warmParser', () => {
  it('parses each schema once, however often it is asked', () => {
    let parses = 0;
    const schema = z.object({ a: z.string() }).transform((v) => (parses++, v));
    warmParser(schema, jsonOf(z.object({ a: z.string() })));
    warmParser(schema, jsonOf(z.object({ a: z.string() })));
    expect(parses).toBe(1);
  });

  it('accepts every reply schema without throwing', () => {
    for (const schema of [PreludeReply, RoundReply, JudgeReply, SubagentReply, MergeReply, CodaReply]) {
      expect(() => warmParser(schema, jsonOf(schema))).not.toThrow();
    }
  });
});

class PreparingProvider extends ScriptedProvider {
  readonly prepared: z.ZodType[] = [];
  prepare(schema: z.ZodType): void {
    this.prepared.push(schema);
    if (schema === JudgeReply) throw new Error('cannot convert');
  }
}

function contextFor(provider: ScriptedProvider, signal?: AbortSignal) {
  const record = emptyRun('warm', 'q', provider.model, 'silent');
  return new RunContext(provider, loadReferences(), new EventBus(), record, { maxRounds: undefined, concurrency: 4 }, signal);
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RunContext.prepareAhead', () => {
  it('prepares one schema per turn of the event loop, in order, and survives one that throws', async () => {
    const provider = new PreparingProvider([]);
    contextFor(provider).prepareAhead([RoundReply, JudgeReply, MergeReply]);
    expect(provider.prepared).toEqual([]);
    await turn();
    expect(provider.prepared).toEqual([RoundReply]);
    await turn();
    await turn();
    expect(provider.prepared).toEqual([RoundReply, JudgeReply, MergeReply]);
  });

  it('stops once the run is aborted', async () => {
    const provider = new PreparingProvider([]);
    const abort = new AbortController();
    contextFor(provider, abort.signal).prepareAhead([RoundReply, MergeReply]);
    await turn();
    abort.abort();
    await turn();
    await turn();
    expect(provider.prepared).toEqual([RoundReply]);
  });

  it('does nothing for a provider without prepare', async () => {
    const provider = new ScriptedProvider([]);
    expect(() => contextFor(provider).prepareAhead([RoundReply])).not.toThrow();
    await turn();
  });
});

describe('the Prelude stage', () => {
  it('asks the provider to prepare its own schema first, then every later reply schema', async () => {
    const provider = new PreparingProvider((request) => (request.step === 'prelude' ? preludeReply({ score: 0 }) : codaReply()));
    const run = runMythos(provider, loadReferences(), new EventBus(), {
      runId: 'warm', question: 'Tabs or spaces?', forced: {}, limits: { maxRounds: undefined, concurrency: 4 },
    });
    await run;
    for (let i = 0; i < 10; i++) await turn();
    expect(provider.prepared[0]).toBe(PreludeReply);
    expect(provider.prepared).toEqual(expect.arrayContaining([SubagentReply, RoundReply, JudgeReply, MergeReply, CodaReply]));
  });
});
