import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnreadableRunLogError } from '../../src/core/errors.js';
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

  it('drops a torn last line, but names any other line that is not an event', () => {
    const path = join(tempHome(), 'log.jsonl');
    const start = '{"at":"2026-12-01T00:00:00Z","event":{"type":"run.start","runId":"r","question":"q","model":"m","options":{}}}';
    writeFileSync(path, `${start}\n{"at":"2026-12-01T00:00:01Z","event":{"ty`);
    expect(readRunLog(path).map((e) => e.event.type)).toEqual(['run.start']);
    for (const [text, line] of [[`${start}\n{"at":"2026-12-01T00:00:01Z","ev\n${start.replace('run.start', 'stage')}\n`, 2], [`hello\n${start}\n`, 1], [`${start}\n[1,2]\n`, 2]] as const) {
      writeFileSync(path, text);
      expect(() => readRunLog(path)).toThrow(new UnreadableRunLogError(path, `line ${line} is not a mythos event`));
    }
  });
});
