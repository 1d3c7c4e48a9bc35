/**
 * `npm run bench`: drives the built CLI against the fake Messages API and reports, as ratios
 * measured in one run, agent-mode speed-up, orchestrator overhead per call, token economy, cold
 * start and time to first answer byte. Writes bench/results.json and prints a markdown table.
 * Not part of `npm test` (test/bench/bench-smoke.test.ts only checks that `--tiny` runs).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI } from '../test/helpers/run-cli.js';
import { runAgent, type AgentSample } from './agent-bench.js';
import { measureColdStart } from './cold-start.js';
import { BenchUsageError, parseOptions, USAGE, type BenchOptions } from './options.js';
import { headline, machineFacts, markdownTable, metric, NOTE, resultsJson, type BenchResults, type Metric } from './report.js';
import { median, round, steps } from './stats.js';
import { runSdkAgentFloor, runSdkFloor } from './sdk-floor.js';
import { runTrace, type TraceSample } from './trace-bench.js';
import { runTtfb, type TtfbSample } from './ttfb-bench.js';

export const OVERHEAD_GOAL = { op: '<=', value: 5 } as const;
export const IDEAL_GOAL = { op: '>=', value: 0.95 } as const;
export const VERSION_GOAL = { op: '<=', value: 1.3 } as const;

interface Writer {
  write(text: string): unknown;
}

function agentMetrics(options: BenchOptions, byCount: Map<number, AgentSample[]>, findings: string[]): Record<string, Metric> {
  const out: Record<string, Metric> = {};
  for (const [n, samples] of byCount) {
    const inFlight = Math.max(...samples.map((s) => s.maxInFlight));
    const details = { idealMs: median(samples.map((s) => s.idealMs)), spanMs: median(samples.map((s) => s.spanMs)), sumMs: median(samples.map((s) => s.sumMs)), maxInFlight: inFlight };
    out[`agent.${n}.of-ideal`] = metric(`Agent, ${n} subagents: ideal critical path / wall`, 'ratio', samples.map((s) => s.ofIdeal), IDEAL_GOAL, details);
    out[`agent.${n}.speedup-vs-sum`] = metric(`Agent, ${n} subagents: sum of call latencies / wall`, 'x', samples.map((s) => s.speedupVsSum));
    if (inFlight < n) {
      findings.push(`Agent, ${n} subagents: at most ${inFlight} subagent requests were in flight at once, so they ran in ${Math.ceil(n / inFlight)} waves `
        + `(--concurrency ${options.concurrency ?? 'default'}); the ideal path assumes all ${n} at once.`);
    }
  }
  const all = [...byCount.values()].flat();
  out['overhead.agent'] = metric('Orchestrator overhead per call, agent runs', 'ms', all.map((s) => s.overheadPerCallMs), OVERHEAD_GOAL, {
    formula: '(server span − union of call intervals) / calls', callsPerRun: [...byCount].map(([n, s]) => [n, s[0]?.calls]),
  });
  for (const [n, samples] of byCount) {
    out[`context.agent.${n}.process-ms`] = metric(`Agent, ${n} subagents: process wall (spawn → exit), for context`, 'ms', samples.map((s) => s.processWallMs), null, {
      serverSpanMs: median(samples.map((s) => s.spanMs)), startupMs: median(samples.map((s) => s.startupMs)),
    });
  }
  return out;
}

function traceMetrics(samples: TraceSample[]): Record<string, Metric> {
  const e = samples[0]!.economy; // prompts are deterministic: every repeat sends the same tokens
  const fit = (slope: number, r2: number) => ({ slope: round(slope, 2), r2: round(r2, 4) });
  return {
    'overhead.trace': metric('Orchestrator overhead per call, trace run (8 rounds)', 'ms', samples.map((s) => s.overheadPerCallMs), OVERHEAD_GOAL, { callsPerRun: samples[0]!.calls }),
    'context.trace.process-ms': metric('Trace run: process wall (spawn → exit), for context', 'ms', samples.map((s) => s.processWallMs), null, {
      serverSpanMs: median(samples.map((s) => s.spanMs)), startupMs: median(samples.map((s) => s.startupMs)),
    }),
    'context.trace.startup-ms': metric('Trace run: spawn → first model request (start-up), for context', 'ms', samples.map((s) => s.startupMs)),
    'tokens.input-per-round': metric('Trace input tokens per round (R1 … R8)', 'tokens', e.perRound, null, { perRound: e.perRound, method: '(system + user text) / 4' }),
    'tokens.growth-per-round': metric('Trace input growth per round', 'tokens', e.growth, null, { growth: e.growth, chainTokens: e.chainTokens, ...fit(e.slope, e.r2) }),
    'tokens.slope': headline('Trace input growth, least-squares slope (tokens/round)', 'tokens', e.slope, [], null, fit(e.slope, e.r2)),
    'tokens.chain-growth-per-round': metric('Insight chain growth per round (chain tokens in the round prompt)', 'tokens', steps(e.chainTokens), null, { chainTokens: e.chainTokens }),
    'tokens.prefix-share': metric('Cache-marked static prefix share of round input', 'share', e.prefixShare, null, { prefixTokens: e.prefixTokens }),
    'tokens.prefix-share-run': headline('Cache-marked static prefix share, whole trace run (every call)', 'share', e.runPrefixShare, []),
    'tokens.naive.input-per-round': metric('Naive (full prior replies, computed): input tokens per round', 'tokens', e.naive.perRound, null, { perRound: e.naive.perRound }),
    'tokens.naive.growth-per-round': metric('Naive (computed): input growth per round', 'tokens', e.naive.growth, null, { growth: e.naive.growth, ...fit(e.naive.slope, e.naive.r2) }),
    'tokens.naive.slope': headline('Naive (computed): least-squares slope (tokens/round)', 'tokens', e.naive.slope, [], null, fit(e.naive.slope, e.naive.r2)),
    'tokens.naive.prefix-share': metric('Naive (computed): static prefix share of round input', 'share', e.naive.prefixShare),
  };
}

/** The same agent shape from a bare SDK client: what any Node client reaches on this machine. */
function agentFloorMetrics(byCount: Map<number, AgentSample[]>, floor: Map<number, number[]>): Record<string, Metric> {
  const out: Record<string, Metric> = {};
  for (const [n, samples] of floor) {
    out[`floor.sdk-agent.${n}.of-ideal`] = metric(`SDK client alone, agent shape with ${n} parallel calls: ideal / wall (the floor)`, 'ratio', samples);
    const ours = byCount.get(n) ?? [];
    out[`agent.${n}.of-floor`] = metric(`Agent, ${n} subagents: mythos's ratio / the SDK floor's, paired runs`, 'ratio', ours.map((s, i) => s.ofIdeal / (samples[i] ?? median(samples))));
  }
  return out;
}

/** What the SDK alone costs per call, and how much mythos adds above it. */
function floorMetrics(traces: TraceSample[], floor: number[]): Record<string, Metric> {
  const above = traces.map((t, i) => t.overheadPerCallMs - (floor[i] ?? median(floor)));
  return {
    'floor.sdk': metric('SDK client alone, same calls in sequence: overhead per call (the floor)', 'ms', floor),
    'overhead.trace-above-floor': metric('Trace run: mythos overhead per call above the SDK floor', 'ms', above),
  };
}

function coldMetrics(cold: Awaited<ReturnType<typeof measureColdStart>>): Record<string, Metric> {
  const ratio = (of: number[]) => median(of) / median(cold.nodeMs);
  const paired = (of: number[]) => of.map((v, i) => v / cold.nodeMs[i]!);
  const how = { headline: 'ratio of medians', range: 'per-pass ratios (interleaved runs)' };
  return {
    'cold.node-ms': metric('Cold start: node -e 0', 'ms', cold.nodeMs),
    'cold.version-ms': metric('Cold start: mythos --version', 'ms', cold.versionMs),
    'cold.help-ms': metric('Cold start: mythos --help', 'ms', cold.helpMs),
    'cold.version-ratio': headline('Cold start: --version / node', 'x', ratio(cold.versionMs), paired(cold.versionMs), VERSION_GOAL, how),
    'cold.help-ratio': headline('Cold start: --help / node', 'x', ratio(cold.helpMs), paired(cold.helpMs), null, how),
  };
}

function ttfbMetrics(options: BenchOptions, samples: TtfbSample[], findings: string[]): Record<string, Metric> {
  const streamed = samples.every((s) => s.streamed);
  if (!streamed) {
    findings.push(`Coda TTFB: the CLI did not request the Coda as a stream, so the first answer byte waits for the whole reply `
      + `(the scripted generation time is ${options.generationMs} ms after the first token).`);
  }
  return {
    'ttfb.coda-ms': metric(`Coda: first answer byte on stdout after the server's first token (${streamed ? 'streamed' : 'not streamed'})`, 'ms',
      samples.map((s) => s.ttfbMs), null, { streamed, firstTokenMs: options.firstTokenMs, generationMs: options.generationMs, restMs: median(samples.map((s) => s.restMs)) }),
  };
}

/** NODE_OPTIONS that load the --preload module into each measured run (cold start stays bare). */
function preloadEnv(preload: string | undefined): Record<string, string> | undefined {
  if (!preload) return undefined;
  const file = resolve(preload);
  if (!existsSync(file)) throw new BenchUsageError(`--preload: ${file} does not exist`);
  return { NODE_OPTIONS: `--import=${pathToFileURL(file).href}` };
}

export async function runBench(options: BenchOptions, log: Writer): Promise<BenchResults> {
  if (!existsSync(CLI)) throw new BenchUsageError(`${CLI} is missing: run npm run build first`);
  const findings: string[] = [];
  const env = preloadEnv(options.preload);
  const step = (text: string) => log.write(`bench: ${text}\n`);

  step(`cold start, ${options.repeats} interleaved passes`);
  const cold = await measureColdStart(options.repeats);

  const byCount = new Map<number, AgentSample[]>(options.subagents.map((n) => [n, []]));
  const agentFloor = new Map<number, number[]>(options.subagents.map((n) => [n, []]));
  for (let i = 0; i < options.repeats; i++) {
    step(`agent runs ${i + 1}/${options.repeats} (${options.subagents.join(', ')} subagents, each beside a bare SDK client)`);
    // Interleaved so drift on the machine affects every subagent count, and the floor, alike.
    for (const n of options.subagents) {
      byCount.get(n)!.push(await runAgent(n, options.latencyMs, options.concurrency, env));
      agentFloor.get(n)!.push(await runSdkAgentFloor(options.latencyMs, n));
    }
  }

  const traces: TraceSample[] = [];
  for (let i = 0; i < options.repeats; i++) {
    step(`trace run ${i + 1}/${options.repeats}`);
    traces.push(await runTrace(options.latencyMs, env));
  }

  const floor: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    step(`SDK floor run ${i + 1}/${options.repeats}`);
    floor.push(await runSdkFloor(options.latencyMs, traces[0]?.calls ?? 17));
  }

  const ttfb: TtfbSample[] = [];
  for (let i = 0; i < options.repeats; i++) {
    step(`streamed-Coda run ${i + 1}/${options.repeats}`);
    ttfb.push(await runTtfb(options.latencyMs, options.firstTokenMs, options.generationMs, env));
  }

  const { out: _out, preload, ...settings } = options;
  return {
    schemaVersion: 1,
    note: NOTE,
    createdAt: new Date().toISOString(),
    machine: machineFacts(),
    settings: { ...settings, cliConcurrency: options.concurrency ?? 'default', preload: preload ?? null },
    metrics: {
      ...agentMetrics(options, byCount, findings), ...agentFloorMetrics(byCount, agentFloor), ...traceMetrics(traces), ...floorMetrics(traces, floor),
      ...coldMetrics(cold), ...ttfbMetrics(options, ttfb, findings),
    },
    findings,
  };
}

/** The whole command: flags in, JSON file and markdown table out. Returns the exit code. */
export async function main(argv: readonly string[], stdout: Writer = process.stdout, stderr: Writer = process.stderr): Promise<number> {
  try {
    const options = parseOptions(argv);
    if (!options) {
      stdout.write(USAGE);
      return 0;
    }
    const results = await runBench(options, stderr);
    const out = resolve(options.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, resultsJson(results));
    stdout.write(markdownTable(results));
    stderr.write(`bench: results written to ${out}\n`);
    return 0;
  } catch (error) {
    stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof BenchUsageError) {
      stderr.write(USAGE);
      return 2;
    }
    return 1;
  }
}

// Run when executed directly (tsx bench/run-bench.ts), not when imported by the smoke test.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
