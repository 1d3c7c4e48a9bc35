/**
 * Every golden transcript the renderer produces passes `mythos check`: the two halves of the
 * format (writing it and judging it) cannot drift apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTranscript, formatCheckLines } from '../../src/check/index.js';

const GOLDEN = join(import.meta.dirname, 'golden');

describe('rendered transcripts pass the checker', () => {
  it.each(readdirSync(GOLDEN).filter((f) => f.endsWith('.md')))('%s', (file) => {
    const report = checkTranscript(readFileSync(join(GOLDEN, file), 'utf8'));
    expect(report.mode).not.toBeNull();
    expect(formatCheckLines(report).filter((line) => line.startsWith('FAIL'))).toEqual([]);
  });
});
