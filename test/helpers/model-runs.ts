/**
 * A whole mythos run scripted with replies of realistic length, answered by step and by round
 * number (so it needs no state and serves any mode): what the per-model end-to-end tests and the
 * cost-per-run figure drive the CLI with, against the fake API's Claude 5.x mode.
 */
import { jsonReply, type FakeReply, type RecordedRequest } from '../fake-api/index.js';
import { codaReply, crossCheckReply, judgeReply, preludeReply, promptOf, roundReply, stepOf } from './mythos-script.js';

export const CACHE_QUESTION = 'Design a caching strategy for a read-heavy API serving 10M users';

const ROUND_INSIGHTS = [
  'Reads outnumber writes a hundred to one, so the hit ratio on the hottest keys decides the design.',
  'Hot keys that expire together send a stampede of misses to the database at the worst moment.',
  'The plan assumes staleness is acceptable everywhere, yet prices and stock levels cannot lag.',
  'A per-key lock or request coalescing turns a thousand concurrent misses into one database read.',
  'Write-through for the small set of strongly consistent keys keeps them fresh without hurting the rest.',
  'An edge cache in front of the API absorbs anonymous traffic that never needs personalisation.',
  'Jittered expiry spreads refreshes so no single second carries the whole keyspace.',
  'A tiered design with edge, shared and local caches, each with its own freshness rule, serves all three needs.',
];

const ANSWER = [
  'Put a shared cache (Redis or Memcached) behind the API for hot reads, an edge cache in front of it for anonymous traffic, and keep the database as the source of truth.',
  'Protect the database from stampedes with request coalescing and jittered expiry, and treat the few keys that must never be stale (prices, stock) with write-through and short TTLs.',
  'Measure the hit ratio per key family from day one: it tells you where the next tier pays off.',
].join('\n\n');

/** Answers every step; `score` sets the Prelude's complexity and so the routed mode. */
export function steadyResponder(score: number): (request: RecordedRequest) => FakeReply {
  return (request) => {
    const step = stepOf(request, true);
    const round = Number(/Round (\d+) of/.exec(promptOf(request))?.[1] ?? /round (\d+)/i.exec(promptOf(request))?.[1] ?? 1);
    switch (step) {
      case 'prelude':
      case 're-prelude':
        return jsonReply(preludeReply({ score, drivers: ['System dynamics'], restated: 'Which caching layers, and with what freshness rules, keep a read-heavy API fast and correct at 10M users?' }));
      case 'round':
        return jsonReply(roundReply(ROUND_INSIGHTS[round - 1] ?? `Round ${round} adds a measurement plan for the cache tiers.`, { stance: 'tiered cache with freshness rules' }));
      case 'judge':
        return jsonReply(judgeReply('advances', { reason: 'It adds a mechanism the chain lacked and stays on the question.' }));
      case 'subagent': {
        const lens = /lens name="([^"]+)"/.exec(promptOf(request))?.[1] ?? 'lens';
        return jsonReply({ finding: `Through ${lens}: ${ROUND_INSIGHTS[lens.length % ROUND_INSIGHTS.length]} That shapes which tier owns which keys.`, confidence: 'medium', stance: 'tiered cache' });
      }
      case 'merge':
        return jsonReply({
          convergent_points: ['A shared cache for hot reads', 'Stampede protection on expiry'], tensions: ['Freshness of prices versus load on the database'],
          synthesis: 'Tier the cache and give each key family its own freshness rule.', divergent_subagents: [], unresolved: false, competing_positions: [],
        });
      case 'coda':
        return jsonReply(codaReply(ANSWER, ['reads dominate writes', 'a few key families need strong freshness']));
      case 'direct-coda':
        return jsonReply({ answer: ANSWER });
      case 'cross-check':
        return jsonReply(crossCheckReply());
      default:
        throw new Error(`unexpected step ${step}`);
    }
  };
}

/** Each mode, as a user asks for it, with the complexity that routes there on its own. */
export const MODE_RUNS = [
  { mode: 'direct', args: [], score: 1 },
  { mode: 'silent', args: [], score: 3 },
  { mode: 'trace', args: ['trace'], score: 3 },
  { mode: 'agent', args: ['deep'], score: 4 },
] as const;
