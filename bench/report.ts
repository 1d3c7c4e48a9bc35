/**
 * Results: one metric = median, min and max over the samples, a goal when the issue set one, and
 * pass/fail against the median. Written as JSON and printed as a markdown table.
 */
import { cpus, platform, release, totalmem, arch } from 'node:os';
import type { BenchOptions } from './options.js';
import { round, summarize } from './stats.js';

export type Unit = 'ratio' | 'x' | 'ms' | 'tokens' | 'share';

export interface Goal {
  op: '<=' | '>=';
  value: number;
}

export interface Metric {
  label: string;
  unit: Unit;
  median: number;
  min: number;
  max: number;
  goal: Goal | null;
  status: 'pass' | 'fail' | 'info';
  samples: number[];
  /** How the figure was computed, and anything that explains it. */
  details?: Record<string, unknown>;
}

export function metric(label: string, unit: Unit, samples: readonly number[], goal: Goal | null = null, details?: Record<string, unknown>): Metric {
  const s = summarize(samples);
  return withGoal({ label, unit, median: s.median, min: s.min, max: s.max, goal, status: 'info', samples: s.samples, ...(details ? { details } : {}) });
}

/** A metric whose headline is not the median of its samples (a ratio of medians, a slope). */
export function headline(label: string, unit: Unit, value: number, range: readonly number[], goal: Goal | null = null, details?: Record<string, unknown>): Metric {
  return withGoal({
    label, unit, median: value, min: Math.min(value, ...range), max: Math.max(value, ...range), goal, status: 'info', samples: [...range], ...(details ? { details } : {}),
  });
}

function withGoal(m: Metric): Metric {
  if (!m.goal) return m;
  const ok = m.goal.op === '<=' ? m.median <= m.goal.value : m.median >= m.goal.value;
  return { ...m, status: ok ? 'pass' : 'fail' };
}

export function machineFacts() {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
  };
}

export const NOTE = 'Figures are ratios and small durations measured on loopback against the project\'s fake Messages API '
  + '(test/fake-api), driving the built CLI (dist/cli/index.cjs). They describe the CLI\'s own overhead, not a real model or network. '
  + 'This machine is noisy: each timing is the median with its min–max over the repeats. Token figures are deterministic: '
  + 'their median and min–max run over the 8 rounds of one trace run.';

export interface BenchResults {
  schemaVersion: 1;
  note: string;
  createdAt: string;
  machine: ReturnType<typeof machineFacts>;
  settings: Omit<BenchOptions, 'out' | 'preload'> & { cliConcurrency: number | 'default'; preload: string | null };
  metrics: Record<string, Metric>;
  /** What a missed goal is down to, when the bench can tell. */
  findings: string[];
}

/** Pretty JSON with numbers rounded to 3 decimals and number arrays kept on one line. */
export function resultsJson(results: BenchResults): string {
  const text = JSON.stringify(results, (_key, value: unknown) => (typeof value === 'number' ? round(value, 3) : value), 2);
  return `${text.replace(/\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g, (_m, list: string) => `[${list.split(/,\s*/).join(', ')}]`)}\n`;
}

function fmt(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'ratio': return value.toFixed(3);
    case 'x': return `${value.toFixed(2)}×`;
    case 'ms': return `${value.toFixed(1)} ms`;
    case 'tokens': return value.toFixed(1);
    case 'share': return `${(value * 100).toFixed(1)} %`;
  }
}

function goalText(goal: Goal | null, unit: Unit): string {
  if (!goal) return '—';
  return `${goal.op === '<=' ? '≤' : '≥'} ${fmt(goal.value, unit)}`;
}

export function markdownTable(results: BenchResults): string {
  const { machine, settings } = results;
  const rows = Object.values(results.metrics).map((m) =>
    `| ${m.label} | ${fmt(m.median, m.unit)} | ${fmt(m.min, m.unit)} – ${fmt(m.max, m.unit)} | ${goalText(m.goal, m.unit)} | ${m.status} |`,
  );
  const missed = Object.values(results.metrics).filter((m) => m.status === 'fail').length;
  return [
    '## mythos bench',
    '',
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.os}`,
    `latency ${settings.latencyMs} ms per call · ${settings.repeats} repeat(s) · agent --concurrency ${settings.cliConcurrency}`
      + ` · Coda first token ${settings.firstTokenMs} ms, full generation +${settings.generationMs} ms${settings.tiny ? ' · tiny' : ''}`
      + (settings.preload ? ` · preload ${settings.preload} (diagnosis)` : ''),
    '',
    '| metric | median | min – max | goal | status |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `${missed === 0 ? 'Every goal met.' : `${missed} goal(s) missed.`} ${NOTE}`,
    ...results.findings.map((f) => `- ${f}`),
    '',
  ].join('\n');
}
