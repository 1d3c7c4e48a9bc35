import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MergeReply, PreludeReply } from '../../src/core/schemas.js';
import { normalizeReply } from '../../src/providers/normalize-reply.js';
import { validateReply } from '../../src/providers/structured.js';

const factor = { present: true, reason: 'r' };
const prelude = (extra: Record<string, unknown>) => ({
  restated_question: 'Which store?', anti_scope: 'Not hosting.',
  factors: { multi_hop: factor, ambiguous_tradeoffs: factor, hidden_assumptions: factor, novel_domain: factor, high_stakes: factor },
  drivers: ['Trade-offs'], success_criterion: 'A pick.', extra_lenses: [], conflicting_instructions: [], ...extra,
});

describe('normalizeReply: limits the API does not enforce', () => {
  it('clamps a list to its maxItems and says so', () => {
    const { value, notes } = normalizeReply(PreludeReply, prelude({ extra_lenses: ['Invert', 'Scar-Tissue', 'Steelman'] }));
    expect((value as { extra_lenses: string[] }).extra_lenses).toEqual(['Invert', 'Scar-Tissue']);
    expect(notes).toEqual(['extra_lenses: kept the first 2 of 3']);
  });

  it('drops repeated drivers before clamping, so a repeat never pushes a real driver out', () => {
    const { value, notes } = normalizeReply(PreludeReply, prelude({ drivers: ['Trade-offs', 'Trade-offs', 'Ambiguity', 'Multi-hop'] }));
    expect((value as { drivers: string[] }).drivers).toEqual(['Trade-offs', 'Ambiguity', 'Multi-hop']);
    expect(notes).toEqual(['drivers: dropped 1 repeated ("Trade-offs")']);
  });

  it('trims strings and drops blank and repeated list entries in free text', () => {
    const merge = { convergent_points: [' a ', 'A', ''], tensions: ['speed vs safety '], synthesis: '  s ', divergent_subagents: [], unresolved: false, competing_positions: [] };
    const { value, notes } = normalizeReply(MergeReply, merge);
    expect(value).toMatchObject({ convergent_points: ['a'], tensions: ['speed vs safety'], synthesis: 's' });
    expect(notes).toEqual(['convergent_points: dropped 1 empty entry', 'convergent_points: dropped 1 repeated ("A")']);
  });

  it('a repeat is the same wording whatever its case, punctuation or Unicode form; the first spelling stays', () => {
    const merge = { convergent_points: [], tensions: ['Speed vs. safety', 'speed vs safety', 'ＳＰＥＥＤ vs safety!', 'speed vs cost'], synthesis: 's', divergent_subagents: [], unresolved: false, competing_positions: [] };
    const { value, notes } = normalizeReply(MergeReply, merge);
    expect(value).toMatchObject({ tensions: ['Speed vs. safety', 'speed vs cost'] });
    expect(notes).toEqual(['tensions: dropped 2 repeated ("speed vs safety", "ＳＰＥＥＤ vs safety!")']);
  });

  it('changes nothing and notes nothing in a reply that already fits', () => {
    const reply = prelude({});
    expect(normalizeReply(PreludeReply, reply)).toEqual({ value: reply, notes: [] });
  });

  it('follows nullable and nested schemas', () => {
    const schema = z.object({ outer: z.object({ list: z.array(z.string()).max(1) }).nullable() });
    expect(normalizeReply(schema, { outer: { list: ['x', 'y'] } })).toEqual({ value: { outer: { list: ['x'] } }, notes: ['outer.list: kept the first 1 of 2'] });
    expect(normalizeReply(schema, { outer: null })).toEqual({ value: { outer: null }, notes: [] });
  });
});

describe('validateReply: repair only when meaning is lost', () => {
  it('accepts a reply whose only fault was an unenforced limit', () => {
    const parsed = validateReply(prelude({ drivers: ['Ambiguity', 'Ambiguity'] }), PreludeReply);
    expect(parsed).toMatchObject({ ok: true, adjustments: ['drivers: dropped 1 repeated ("Ambiguity")'] });
  });

  it('still rejects a reply that says nothing where something is required', () => {
    const parsed = validateReply(prelude({ restated_question: '   ', drivers: [] }), PreludeReply);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(/restated_question/);
    expect(!parsed.ok && parsed.problem).toMatch(/drivers/);
  });
});
