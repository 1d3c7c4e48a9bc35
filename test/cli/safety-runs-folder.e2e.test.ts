/**
 * A runs folder that can be written but not read (mode 333) would let a run be paid for that
 * `runs`, `show` and `resume` then cannot find: the preflight refuses it, with no request made.
 * Permissions do not bind root, so as root the CLI runs as `nobody` (setpriv); as anyone else it
 * runs as that user.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { mythosResponder, preludeReply } from '../helpers/mythos-script.js';
import { CLI, cliEnv, type CliResult } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** The built CLI as an unprivileged user: `nobody` when the tests run as root. */
function runUnprivileged(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const [command, prefix] = asRoot
    ? ['setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, CLI]]
    : [process.execPath, [CLI]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, ...args], { env, cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A MYTHOS_HOME whose runs folder has `mode`, owned by the user the CLI runs as. */
function homeWithRuns(mode: number): { home: string; runs: string } {
  const home = mkdtempSync(join(tmpdir(), 'mythos-runs-mode-'));
  const runs = join(home, 'runs');
  mkdirSync(runs);
  if (asRoot) {
    chownSync(home, NOBODY, NOBODY);
    chownSync(runs, NOBODY, NOBODY);
  }
  chmodSync(runs, mode);
  return { home, runs };
}

describe('a runs folder that can be written but not read (mode 333)', () => {
  it('is refused before the first call: exit 2 naming the folder and its mode, no request, no log', async () => {
    api = await startFakeApi({ responder: mythosResponder({ prelude: preludeReply({ score: 1 }), coda: { answer: 'Yes.' } }) });
    const { home, runs } = homeWithRuns(0o333);
    const env = cliEnv(api.url, { MYTHOS_HOME: home, HOME: home });
    for (const args of [['Is water wet?'], ['--dry-run', 'trace', 'Is water wet?'], ['calibrate', '--out', home]]) {
      const result = await runUnprivileged(args, env);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toBe(
        `mythos: MYTHOS_HOME ${home}: the runs folder ${runs} must be readable and writable by you; it is mode 333 (EACCES)\n`
        + `hint: chmod u+rwx ${runs} (as its owner), or set MYTHOS_HOME to a folder you can read and write\n`,
      );
      expect(result.stdout).toBe('');
    }
    expect(api.requests).toHaveLength(0);
    chmodSync(runs, 0o700);
    expect(readdirSync(runs)).toEqual([]);
  });

  it('a readable and writable one (mode 700) runs, and the run is listed', async () => {
    api = await startFakeApi({ responder: mythosResponder({ prelude: preludeReply({ score: 1 }), coda: { answer: 'Yes.' } }) });
    const { home } = homeWithRuns(0o700);
    const env = cliEnv(api.url, { MYTHOS_HOME: home, HOME: home });
    const result = await runUnprivileged(['--quiet', 'Is water wet?'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Yes.');
    const runs = await runUnprivileged(['runs'], env);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toContain('Is water wet?');
  });
});
