/**
 * The scripted model the bench runs against. Replies are sized like real ones (a round's
 * "what changed" is a few sentences, a Coda answer several paragraphs) so token figures and
 * parse costs are not flattered by one-word stubs.
 */
import type { FakeReply, RecordedRequest, Responder } from '../test/fake-api/index.js';
import { codaReply, judgeReply, mythosResponder, preludeReply, roundReply } from '../test/helpers/mythos-script.js';

export const QUESTION = 'Should we split the billing monolith into services before the next pricing launch?';

/** Three drivers give twelve candidate lenses, enough for 8 subagents or 8 distinct rounds. */
const DRIVERS = ['Hidden assumptions', 'Trade-offs', 'System dynamics'];

function prelude(score: number) {
  return { ...preludeReply({ score, drivers: DRIVERS, restated: 'Is splitting billing now worth the launch risk?' }), extra_lenses: [] };
}

const FINDING = 'The launch date, not the architecture, is the binding constraint: a split done under deadline '
  + 'moves risk into the release it is meant to protect, while a strangler seam around invoicing keeps the option open.';

/** Agent mode: every subagent answers after the same server latency, so the ideal path is known. */
export function agentResponder(): Responder & { steps: string[] } {
  return mythosResponder({
    prelude: prelude(4),
    subagent: (lens, i) => ({ finding: `${lens} (${i}): ${FINDING}`, confidence: i % 3 === 0 ? 'high' : 'medium', stance: 'defer the split' }),
    merge: {
      convergent_points: ['The deadline is the binding constraint.', 'Invoicing is the natural first seam.'],
      tensions: ['Speed of the launch versus the cost of a later migration.'],
      synthesis: 'Ship the launch on the monolith, cut one seam around invoicing, and revisit the split after launch.',
      divergent_subagents: [], unresolved: false, competing_positions: [],
    },
    coda: codaReply('Ship the pricing launch on the monolith and carve out invoicing behind a seam afterwards.', ['the launch date is fixed']),
  });
}

/** Eight insights with almost no shared content words, so none is an echo of another. */
export const TRACE_INSIGHTS = [
  'The real decision is sequencing: which change ships first, not whether services are good.',
  'Pricing experiments touch invoices, tax rules and dunning emails at once.',
  'Nobody has measured how often billing deploys collide with other teams today.',
  'A strangler seam around invoicing isolates the riskiest code without a big-bang cutover.',
  'Service boundaries drawn before launch would freeze guesses about future plan structures.',
  'Operational load grows: on-call rotations, tracing and contract tests become mandatory.',
  'Finance needs reconciled ledgers during migration, which doubles write paths temporarily.',
  'Defer extraction until after launch, then split along the invoicing seam first.',
];

export const TRACE_WHAT_CHANGED = 'Earlier rounds treated the split as an architectural question. This round ties it to the '
  + 'launch calendar and to the teams who carry the operational cost, which narrows the options to two '
  + 'concrete sequences. The recommendation is not settled yet.';

/** One stance throughout: a stance that swings back (A → B → A) would stop the block. */
export const TRACE_STANCE = 'leaning towards deferring';

/** Trace mode: 8 distinct rounds; the judge always says "advances" and never "self-consistent". */
export function traceResponder(): Responder & { steps: string[] } {
  return mythosResponder({
    prelude: prelude(3),
    rounds: TRACE_INSIGHTS.map((insight) => roundReply(insight, { what_changed: TRACE_WHAT_CHANGED, stance: TRACE_STANCE })),
    judge: () => judgeReply('advances', { self_consistent: false, reason: 'adds a concrete consideration the chain lacked' }),
    coda: codaReply('Defer the split until after the pricing launch, then extract invoicing first.', ['the launch date is fixed']),
  });
}

/** A Coda answer of several markdown paragraphs: long enough that streaming it would matter. */
export const LONG_ANSWER = Array.from({ length: 12 }, (_, i) =>
  `**Step ${i + 1}.** Keep the pricing launch on the monolith and move one concern at a time behind a seam; `
  + 'measure deploy collisions first so the split is justified by data rather than by taste, and keep the ledger single-writer.',
).join('\n\n');

export interface CodaTiming {
  /** performance.now() when the responder was asked for the Coda (the request body fully read). */
  requestReadAt: number;
  /** Whether the CLI asked for the Coda as a stream. */
  streamed: boolean;
}

/**
 * A short silent run whose Coda has a time to first token. Streamed, the fake sends message_start
 * after the latency, the first delta `firstTokenMs` later and the rest at once. Not streamed, the
 * whole reply waits as a real model would until generation ends: first token + `generationMs`.
 */
export function ttfbResponder(firstTokenMs: number, generationMs: number): Responder & { coda: CodaTiming[] } {
  const inner = mythosResponder({
    prelude: prelude(2),
    rounds: [roundReply(TRACE_INSIGHTS[0]!, { what_changed: TRACE_WHAT_CHANGED })],
  });
  const coda: CodaTiming[] = [];
  const responder = async (request: RecordedRequest): Promise<FakeReply> => {
    const requestReadAt = performance.now();
    const reply = await inner(request);
    if (inner.steps.at(-1) !== 'coda' || reply.kind !== 'message') return reply;
    const streamed = request.body?.stream === true;
    coda.push({ requestReadAt, streamed });
    const text = JSON.stringify(codaReply(LONG_ANSWER, ['the launch date is fixed']));
    const content = [{ type: 'text', text }];
    return streamed
      ? { kind: 'message', content, firstTokenDelayMs: firstTokenMs }
      : { kind: 'message', content, delayMs: firstTokenMs + generationMs };
  };
  return Object.assign(responder, { coda });
}
