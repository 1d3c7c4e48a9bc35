import { appendFileSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRunLog, RunLogWriter } from '../../src/runlog/run-log.js';
import { tempHome } from '../helpers/run-cli.js';

describe('run log', () => {
  it('starts a resumed attempt on a fresh line after a line torn by a crash', () => {
    const home = tempHome();
    const first = new RunLogWriter(home, 'r1');
    first.write({ type: 'stage', stage: 'prelude', label: 'x' });
    first.close();
    appendFileSync(first.path, '{"at":"2026-12-01T00:00:00Z","event":{"type":"ca');
    const second = new RunLogWriter(home, 'r1');
    second.write({ type: 'run.start', runId: 'r1', question: 'q', model: 'm', options: {} });
    second.close();
    expect(readFileSync(first.path, 'utf8').split('\n').at(-2)).toContain('"run.start"');
    expect(readRunLog(first.path).map((e) => e.event.type)).toEqual(['stage', 'run.start']);
  });
});
