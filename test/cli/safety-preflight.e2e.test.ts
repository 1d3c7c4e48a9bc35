/**
 * Every output is checked before the first call (MYTHOS_HOME, MYTHOS_RECORD, calibrate --out),
 * each failure naming what to change; a blank MYTHOS_MODEL is the default model everywhere.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonReply, startFakeApi, type FakeApi, type RecordedRequest } from '../fake-api/index.js';
import { codaReply, judgeReply, mythosResponder, preludeReply, roundReply, stepOf } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { byRoundNumber, eventsOf, runLogPath, stoppedRun } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const DEFAULT_MODEL = 'claude-sonnet-5-5';
const direct = () => mythosResponder({ prelude: preludeReply({ score: 1 }), coda: { answer: 'Yes.' } });
const scratch = () => mkdtempSync(join(tmpdir(), 'mythos-preflight-'));

describe('MYTHOS_HOME', () => {
  it('under /proc: exit 2 at once naming MYTHOS_HOME, no request (it used to hang forever)', async () => {
    api = await startFakeApi({ responder: direct() });
    const started = Date.now();
    const result = await runCli(['Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: '/proc/mythos-x' }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'mythos: MYTHOS_HOME /proc/mythos-x: cannot make the runs folder /proc/mythos-x/runs (ENOENT)\nhint: set MYTHOS_HOME to a folder you can write, or unset it to use the default\n',
    );
    expect(api.requests.length).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a file, or a path under one: exit 2, no request, nothing made', async () => {
    api = await startFakeApi({ responder: direct() });
    const dir = scratch();
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    for (const home of [file, join(file, 'deeper', 'still')]) {
      const result = await runCli(['Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`mythos: MYTHOS_HOME ${home}: cannot make the runs folder`);
      expect(result.stderr).toContain('(ENOTDIR)');
    }
    expect(readdirSync(dir)).toEqual(['not-a-folder']);
    expect(api.requests.length).toBe(0);
  });

  it('unreadable for `runs` and `show`: exit 2 naming MYTHOS_HOME', async () => {
    const file = join(scratch(), 'home-file');
    writeFileSync(file, 'x');
    for (const args of [['runs'], ['show', 'last']]) {
      const result = await runCli(args, { env: cliEnv(null, { MYTHOS_HOME: file }) });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`mythos: MYTHOS_HOME ${file}: cannot read the runs folder ${join(file, 'runs')} (ENOTDIR)`);
    }
  });

  it('is made private when it does not exist yet', async () => {
    api = await startFakeApi({ responder: direct() });
    const home = join(scratch(), 'new', 'home');
    expect((await runCli(['Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: home }) })).code).toBe(0);
    expect(statSync(join(home, 'runs')).mode & 0o777).toBe(0o700);
    const [log] = readdirSync(join(home, 'runs'));
    expect(statSync(join(home, 'runs', log!)).mode & 0o777).toBe(0o600);
  });
});

describe('MYTHOS_RECORD', () => {
  it('that cannot be written: exit 2 naming it, no request, no run log', async () => {
    api = await startFakeApi({ responder: direct() });
    const home = tempHome();
    const result = await runCli(['Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: home, MYTHOS_RECORD: '/nonexistent/dir/rec.jsonl' }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'mythos: MYTHOS_RECORD /nonexistent/dir/rec.jsonl cannot be written (ENOENT)\nhint: point MYTHOS_RECORD at a file in a folder that exists and that you can write\n',
    );
    expect(api.requests.length).toBe(0);
    expect(readdirSync(home)).toEqual([]);
  });

  it('is created private (0600), like the run logs', async () => {
    api = await startFakeApi({ responder: direct() });
    const record = join(scratch(), 'rec.jsonl');
    const result = await runCli(['Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome(), MYTHOS_RECORD: record }) });
    expect(result.code).toBe(0);
    expect(statSync(record).mode & 0o777).toBe(0o600);
    expect(readFileSync(record, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('that already exists and is readable by others is made private (0600) too, and appended to', async () => {
    api = await startFakeApi({ responder: direct() });
    const record = join(scratch(), 'rec.jsonl');
    writeFileSync(record, '', { mode: 0o644 });
    chmodSync(record, 0o644);
    const result = await runCli(['Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome(), MYTHOS_RECORD: record }) });
    expect(result.code).toBe(0);
    expect(statSync(record).mode & 0o777).toBe(0o600);
    expect(readFileSync(record, 'utf8').trim().split('\n')).toHaveLength(api.requests.length);
  });
});

/** Answers every calibration case briefly: direct when it can, a short block otherwise. */
function quickCalibration() {
  let n = 0;
  return (request: RecordedRequest) => {
    const step = stepOf(request, false);
    n++;
    if (step === 'prelude') return jsonReply(preludeReply({ score: 2 }));
    if (step === 'round') return jsonReply(roundReply(`Point ${n} stands apart from every other point made ${'abcdefghij'[n % 10]}.`, { convergence: 'stable' }));
    if (step === 'judge') return jsonReply(judgeReply('advances', { self_consistent: true }));
    if (step === 'subagent') return jsonReply({ finding: `Finding ${n}.`, confidence: 'medium', stance: 'yes' });
    if (step === 'merge') return jsonReply({ convergent_points: ['x'], tensions: ['t'], synthesis: 's', divergent_subagents: [], unresolved: false, competing_positions: [] });
    return jsonReply(codaReply('An answer.', ['an assumption']));
  };
}

describe('calibrate --out', () => {
  it.each([
    ['a folder that does not exist', () => '/nonexistent/reports', 'ENOENT'],
    ['a file', () => {
      const file = join(scratch(), 'report.md');
      writeFileSync(file, '');
      return file;
    }, 'ENOTDIR'],
  ])('%s: exit 2 naming --out before any call, and no run', async (_, out, code) => {
    api = await startFakeApi({ responder: quickCalibration() });
    const home = tempHome();
    const dir = out();
    const result = await runCli(['calibrate', '--case', 'sqlite-vs-postgres', '--modes', 'silent', '--out', dir], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`mythos: --out ${dir} is not a folder you can write (${code})\nhint: make the folder first, or pick another with --out <dir>\n`);
    expect(api.requests.length).toBe(0);
    expect(existsSync(join(home, 'runs'))).toBe(false);
  });
});

describe('a blank MYTHOS_MODEL is the default model', () => {
  it.each(['', '   '])('in a run (MYTHOS_MODEL=%j)', async (blank) => {
    api = await startFakeApi({ responder: direct() });
    const result = await runCli(['Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome(), MYTHOS_MODEL: blank }) });
    expect(result.code).toBe(0);
    expect(api.requests.map((r) => r.body.model)).toEqual([DEFAULT_MODEL, DEFAULT_MODEL]);
  });

  it('in calibrate', async () => {
    api = await startFakeApi({ responder: quickCalibration() });
    const result = await runCli(['calibrate', '--case', 'sqlite-vs-postgres', '--modes', 'silent', '--out', scratch()], {
      env: cliEnv(api.url, { MYTHOS_HOME: tempHome(), MYTHOS_MODEL: ' ' }),
    });
    expect(result.stderr).not.toContain('unexpected');
    expect(api.requests.length).toBeGreaterThan(0);
    expect(new Set(api.requests.map((r) => r.body.model))).toEqual(new Set([DEFAULT_MODEL]));
  });

  it('in a resume, even of a run whose log holds a blank model', async () => {
    const home = tempHome();
    api = await startFakeApi({ responder: byRoundNumber({ slowRound: 4 }) });
    const { id } = await stoppedRun(api, cliEnv(api.url, { MYTHOS_HOME: home, MYTHOS_MODEL: ' ' }));
    expect(eventsOf(home, id)[0].model).toBe(DEFAULT_MODEL);
    // A log written by a version that let a blank model through:
    const path = runLogPath(home, id);
    writeFileSync(path, readFileSync(path, 'utf8').replace(`"model":"${DEFAULT_MODEL}"`, '"model":"  "'));
    expect(eventsOf(home, id)[0].model).toBe('  ');
    await api.close();

    api = await startFakeApi({ responder: byRoundNumber() });
    const resumed = await runCli(['resume', id], { env: cliEnv(api.url, { MYTHOS_HOME: home, MYTHOS_MODEL: '' }) });
    expect(resumed.code).toBe(0);
    expect(new Set(api.requests.map((r) => r.body.model))).toEqual(new Set([DEFAULT_MODEL]));
  });

  it('a blank --model is still a mistake: exit 2 for a run and for calibrate', async () => {
    api = await startFakeApi({ responder: direct() });
    for (const args of [['--model', ' ', 'Is water wet?'], ['calibrate', '--model', '', '--out', scratch()]]) {
      const result = await runCli(args, { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('mythos: --model needs a model id');
    }
    expect(api.requests.length).toBe(0);
  });
});
