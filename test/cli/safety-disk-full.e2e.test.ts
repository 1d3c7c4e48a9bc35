/**
 * A disk that fills up (or fails) after money was spent: the run stops at once with one clear
 * line naming the file and the resume command, the answer (if there is one) still reaches stdout,
 * the log is left whole (a write cut short is cut back), readers drop a torn last line, and a
 * recording that cannot be written never hides a paid call from the log.
 *
 * The disk is a 128 KiB tmpfs where the tests may mount one (root); the log writer's test hook
 * MYTHOS_TEST_LOG_SPACE stands in for it everywhere, so both paths always run where they can.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { steadyResponder } from '../helpers/model-runs.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { eventsOf, onlyRunId, runLogPath } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const QUESTION = 'Should we cache the product catalogue?';
/** A trace run: the Prelude, 8 rounds and their judges, the Coda and its cross-check. */
const FULL_RUN = 19;
const PAGE = 4096;
/** Room for a whole run and its resumed attempt once the filler is gone. */
const TMPFS_BYTES = 32 * PAGE;

const mounts: string[] = [];
afterAll(() => {
  for (const dir of mounts) execFileSync('umount', [dir]);
});

/** Whether a tmpfs can be mounted here (root in a container that allows it). */
const canMount = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'mythos-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_BYTES}`, 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

interface Disk {
  home: string;
  env: Record<string, string | undefined>;
  /** Makes room again (the user frees space). */
  free(): void;
}

/** A MYTHOS_HOME on which the run log has about `logBytes` to grow into. */
type DiskMaker = (logBytes: number) => Disk;

const hookDisk: DiskMaker = (logBytes) => {
  const disk: Disk = { home: tempHome(), env: { MYTHOS_TEST_LOG_SPACE: String(logBytes) }, free: () => (disk.env = {}) };
  return disk;
};

/** A 128 KiB tmpfs, filled so that the lock (one page) and `logBytes` (rounded to pages) fit. */
const tmpfsDisk: DiskMaker = (logBytes) => {
  const dir = mkdtempSync(join(tmpdir(), 'mythos-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_BYTES}`, 'tmpfs', dir]);
  mounts.push(dir);
  const filler = join(dir, 'filler');
  writeFileSync(filler, Buffer.alloc(TMPFS_BYTES - (Math.ceil(logBytes / PAGE) + 1) * PAGE, 'x'));
  const home = join(dir, 'home');
  mkdirSync(home);
  return { home, env: {}, free: () => rmSync(filler) };
};

const DISKS: Array<[string, DiskMaker]> = [['the log-space hook', hookDisk], ...(canMount ? [['a full tmpfs', tmpfsDisk] as [string, DiskMaker]] : [])];

/** The byte size of a whole run's log, and of its last line (run.end). */
async function measureRun(): Promise<{ total: number; runEnd: number }> {
  const home = tempHome();
  const result = await runCli(['--quiet', 'trace', QUESTION], { env: cliEnv(api!.url, { MYTHOS_HOME: home }) });
  expect(result.code).toBe(0);
  const text = readFileSync(runLogPath(home, onlyRunId(home)), 'utf8');
  const lines = text.trimEnd().split('\n');
  api!.requests.length = 0;
  return { total: Buffer.byteLength(text), runEnd: Buffer.byteLength(`${lines.at(-1)}\n`) };
}

/** Every line of the log is a whole event: nothing torn was left behind. */
function expectWholeLines(home: string, id: string): void {
  const text = readFileSync(runLogPath(home, id), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
}

describe.each(DISKS)('the disk fills up, on %s', (_, makeDisk) => {
  it('mid-run: exit 1 naming the log and the resume command; the log is whole; resume pays only for what was not logged', async () => {
    api = await startFakeApi({ responder: steadyResponder(3) });
    const disk = makeDisk(4 * PAGE);
    const result = await runCli(['trace', QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: disk.home, ...disk.env }) });
    const id = onlyRunId(disk.home);
    const log = runLogPath(disk.home, id);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').slice(-4)).toEqual([
      `mythos: run ${id} stopped; its log is ${log}`,
      `mythos: the run log ${log} could not be written (ENOSPC: no space left on device)`,
      `hint: free some space on the disk that holds ${join(disk.home, 'runs')}, then continue with: mythos resume ${id} (calls already logged are not paid for again)`,
      '',
    ]);
    expect(result.stderr).not.toMatch(/unexpected|Error:/);
    // It stopped at once: at most the call in flight went unlogged.
    const paid = api.requests.length;
    const logged = eventsOf(disk.home, id).filter((e) => e.type === 'call').length;
    expect(paid).toBeLessThan(FULL_RUN);
    expect(paid - logged).toBeLessThanOrEqual(1);
    expectWholeLines(disk.home, id);

    const show = await runCli(['show', id], { env: cliEnv(null, { MYTHOS_HOME: disk.home }) });
    expect(show.code).toBe(0);
    expect(show.stderr).toContain(`continue it with: mythos resume ${id}`);

    disk.free();
    const resumed = await runCli(['--quiet', 'resume', id], { env: cliEnv(api.url, { MYTHOS_HOME: disk.home, ...disk.env }) });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(api.requests.length - paid).toBe(FULL_RUN - logged);
    expect(eventsOf(disk.home, id).at(-1).type).toBe('run.end');
  });

  it('nearly full, only run.end fails: the answer is on stdout, exit 1 with the resume command; show and resume work, and resume pays nothing', async () => {
    api = await startFakeApi({ responder: steadyResponder(3) });
    const { total, runEnd } = await measureRun();
    const room = total - runEnd + 300;
    const disk = makeDisk(room);
    // The room left must hold everything but run.end (on a tmpfs, rounded up to a page).
    expect(Math.ceil(room / PAGE) * PAGE).toBeLessThan(total);
    const result = await runCli(['trace', QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: disk.home, ...disk.env }) });
    const id = onlyRunId(disk.home);
    const log = runLogPath(disk.home, id);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('## Answer');
    expect(result.stdout).toContain('*Depth: 8 rounds');
    expect(result.stderr).toContain(`mythos: the run log ${log} could not be written (ENOSPC: no space left on device)\n`);
    expect(result.stderr).toContain(`then continue with: mythos resume ${id} (calls already logged are not paid for again)\n`);
    expect(api.requests).toHaveLength(FULL_RUN);
    expectWholeLines(disk.home, id);
    expect(eventsOf(disk.home, id).some((e) => e.type === 'run.end')).toBe(false);

    for (const args of [['show', 'last'], ['runs']]) {
      const read = await runCli(args, { env: cliEnv(null, { MYTHOS_HOME: disk.home }) });
      expect(read.code, read.stderr).toBe(0);
      expect(read.stderr).not.toMatch(/unexpected|ENOSPC/);
    }
    disk.free();
    const resumed = await runCli(['resume', 'last'], { env: cliEnv(api.url, { MYTHOS_HOME: disk.home, ...disk.env }) });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('## Answer');
    expect(api.requests).toHaveLength(FULL_RUN);
    expect(eventsOf(disk.home, id).at(-1).type).toBe('run.end');
  });

  it('calibrate: the case stops at once with the resume command, and no report claims a result', async () => {
    api = await startFakeApi({ responder: steadyResponder(3) });
    const disk = makeDisk(4 * PAGE);
    const out = mkdtempSync(join(tmpdir(), 'mythos-calibrate-out-'));
    const result = await runCli(['calibrate', '--case', 'sqlite-vs-postgres', '--modes', 'trace', '--out', out], { env: cliEnv(api.url, { MYTHOS_HOME: disk.home, ...disk.env }) });
    const id = onlyRunId(disk.home);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `mythos: the run log ${runLogPath(disk.home, id)} could not be written (ENOSPC: no space left on device)\n`
      + `hint: free some space on the disk that holds ${join(disk.home, 'runs')}, then continue with: mythos resume ${id} (calls already logged are not paid for again)\n`,
    );
    expect(api.requests.length).toBeLessThan(FULL_RUN);
    expect(api.requests.length - eventsOf(disk.home, id).filter((e) => e.type === 'call').length).toBeLessThanOrEqual(1);
    expectWholeLines(disk.home, id);
    expect(readdirSync(out)).toEqual([]);
  });

  it('already full: a new run stops before its first call, leaves no empty log, and says to ask again', async () => {
    api = await startFakeApi({ responder: steadyResponder(3) });
    const disk = makeDisk(0);
    const result = await runCli(['trace', QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: disk.home, ...disk.env }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mythos: the run log \S+\.jsonl could not be written \(ENOSPC: no space left on device\)\nhint: free some space on the disk that holds \S+, then ask again \(the run stopped before its first call\)\n$/);
    expect(api.requests).toHaveLength(0);
    expect(readdirSync(join(disk.home, 'runs')).filter((name) => name.endsWith('.jsonl'))).toEqual([]);
  });
});

describe('a run log with a torn last line (a crash or a full disk mid-write)', () => {
  /** The log without its run.end: a run that stopped before its end. */
  const withoutEnd = (text: string) => text.slice(0, text.trimEnd().lastIndexOf('\n') + 1);
  it.each([
    ['cut inside run.end', (text: string) => `${withoutEnd(text)}${text.slice(withoutEnd(text).length, withoutEnd(text).length + 200)}`],
    ['three bytes of a line', (text: string) => `${withoutEnd(text)}{"a`],
  ])('%s: show, runs and resume read it; resume pays for nothing already logged', async (_, tear) => {
    api = await startFakeApi({ responder: steadyResponder(3) });
    const home = tempHome();
    expect((await runCli(['--quiet', 'trace', QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: home }) })).code).toBe(0);
    const id = onlyRunId(home);
    const path = runLogPath(home, id);
    const text = readFileSync(path, 'utf8');
    truncateSync(path, 0);
    appendFileSync(path, tear(text));
    for (const args of [['show', id], ['runs']]) {
      const read = await runCli(args, { env: cliEnv(null, { MYTHOS_HOME: home }) });
      expect(read.code, read.stderr).toBe(0);
      expect(read.stderr).not.toContain('cannot read');
    }
    const resumed = await runCli(['--quiet', 'resume', id], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(api.requests).toHaveLength(FULL_RUN);
    // The torn line stays where it was, closed off; the resumed attempt follows it and finishes.
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!).event.type).toBe('run.end');
    const show = await runCli(['show', id], { env: cliEnv(null, { MYTHOS_HOME: home }) });
    expect(show.code).toBe(0);
    expect(show.stderr).toBe('');
  });
});

describe('MYTHOS_RECORD that cannot be written (/dev/full)', () => {
  it('the paid Prelude is logged as a completed call, the error names the file and the resume command, and resume does not pay for it again', async () => {
    api = await startFakeApi({ responder: steadyResponder(3) });
    const home = tempHome();
    const result = await runCli(['trace', QUESTION], { env: cliEnv(api.url, { MYTHOS_HOME: home, MYTHOS_RECORD: '/dev/full' }) });
    const id = onlyRunId(home);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').slice(-3)).toEqual([
      'mythos: the recording MYTHOS_RECORD /dev/full could not be written (ENOSPC: no space left on device)',
      'hint: free some space on the disk that holds /dev, or point MYTHOS_RECORD at another file (or unset it); '
        + `the reply it could not keep is in the run log; then continue with: mythos resume ${id}`,
      '',
    ]);
    expect(result.stderr).not.toContain('unexpected');
    expect(api.requests).toHaveLength(1);
    const calls = eventsOf(home, id).filter((e) => e.type === 'call');
    expect(calls).toHaveLength(1);
    expect(calls[0].call).toMatchObject({ step: 'prelude', replayed: false });
    expect(calls[0].call.failed).toBeUndefined();
    expect(calls[0].call.usage.input).toBeGreaterThan(0);
    expect(calls[0].value).toMatchObject({ restated_question: expect.any(String) });

    const resumed = await runCli(['--quiet', 'resume', id], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(api.requests).toHaveLength(FULL_RUN);
    const end = eventsOf(home, id).at(-1);
    expect(end.type).toBe('run.end');
    expect(end.record.calls.filter((c: { step: string }) => c.step === 'prelude')).toEqual([expect.objectContaining({ replayed: true })]);
  });
});
