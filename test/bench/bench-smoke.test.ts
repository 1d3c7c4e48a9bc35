/**
 * The bench still runs: `--tiny` against the built CLI, into a temp file, with every metric
 * present as numbers. Speed goals belong to `npm run bench`, never to a unit test, so no timing
 * figure is checked here (this machine may be busy with the rest of the suite).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../bench/run-bench.js';

const METRICS = [
  ...[3, 5, 8].flatMap((n) => [`agent.${n}.of-ideal`, `agent.${n}.speedup-vs-sum`, `context.agent.${n}.process-ms`, `floor.sdk-agent.${n}.of-ideal`, `agent.${n}.of-floor`]),
  'overhead.agent', 'overhead.trace', 'context.trace.process-ms', 'context.trace.startup-ms', 'floor.sdk', 'overhead.trace-above-floor',
  'tokens.input-per-round', 'tokens.growth-per-round', 'tokens.slope', 'tokens.chain-growth-per-round',
  'tokens.prefix-share', 'tokens.prefix-share-run',
  'tokens.naive.input-per-round', 'tokens.naive.growth-per-round', 'tokens.naive.slope', 'tokens.naive.prefix-share',
  'cold.node-ms', 'cold.version-ms', 'cold.help-ms', 'cold.version-ratio', 'cold.help-ratio',
  'ttfb.coda-ms',
];

const dir = mkdtempSync(join(tmpdir(), 'mythos-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function collector() {
  let text = '';
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

describe('npm run bench -- --tiny', () => {
  it('measures every metric and writes them as numbers to the results file', async () => {
    const out = join(dir, 'results.json');
    const stdout = collector();
    const stderr = collector();
    const code = await main(['--tiny', '--out', out], stdout, stderr);
    expect(code, stderr.text()).toBe(0);

    const results = JSON.parse(readFileSync(out, 'utf8'));
    expect(results.settings).toMatchObject({ tiny: true, repeats: 1 });
    expect(results.machine.cpus).toBeGreaterThan(0);
    expect(typeof results.machine.node).toBe('string');
    expect(results.note).toMatch(/loopback/);
    expect(Object.keys(results.metrics).sort()).toEqual([...METRICS].sort());
    for (const id of METRICS) {
      const m = results.metrics[id];
      for (const key of ['median', 'min', 'max'] as const) expect(Number.isFinite(m[key]), `${id}.${key}`).toBe(true);
      expect(m.min).toBeLessThanOrEqual(m.median);
      expect(m.median).toBeLessThanOrEqual(m.max);
      expect(['pass', 'fail', 'info']).toContain(m.status);
      expect(m.status === 'info').toBe(m.goal === null);
    }

    const table = stdout.text();
    expect(table).toContain('| metric | median | min – max | goal | status |');
    for (const id of METRICS) expect(table).toContain(`| ${results.metrics[id].label} |`);
  }, 180_000);

  it('rejects an unknown option with a usage error', async () => {
    const stderr = collector();
    expect(await main(['--fast'], collector(), stderr)).toBe(2);
    expect(stderr.text()).toContain('unknown option --fast');
  });
});
