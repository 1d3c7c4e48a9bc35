/** Fixture loading and small text edits for the check tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { CheckReport } from '../../src/check/index.js';

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

/** Applies exact replacements; each `from` must occur, so a stale edit fails loudly. */
export function edit(text: string, ...pairs: Array<[string, string]>): string {
  return pairs.reduce((acc, [from, to]) => {
    expect(acc, `edit target missing: ${from}`).toContain(from);
    return acc.replace(from, to);
  }, text);
}

export function failingIds(report: CheckReport): string[] {
  return report.checks.filter((c) => !c.pass).map((c) => c.id);
}

export function find(report: CheckReport, id: string) {
  const found = report.checks.find((c) => c.id === id);
  expect(found, `no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`).toBeDefined();
  return found!;
}
