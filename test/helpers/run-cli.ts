/**
 * Spawns the built CLI as a user would, against a fake API, with a throwaway MYTHOS_HOME.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { mythosResponder, preludeReply } from './mythos-script.js';

export const CLI = resolve(import.meta.dirname, '..', '..', 'dist', 'cli', 'index.cjs');
export const TEST_KEY = 'sk-ant-test-SECRET-0123456789';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'mythos-test-'));
}

/** The environment a test run gets: nothing inherited that could reach a real API. */
export function cliEnv(baseUrl: string | null, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', LANG: 'C.UTF-8' };
  if (baseUrl) {
    env.ANTHROPIC_BASE_URL = baseUrl;
    env.ANTHROPIC_API_KEY = TEST_KEY;
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function runCli(args: string[], options: { env: NodeJS.ProcessEnv; stdin?: string; onSpawn?: (child: ReturnType<typeof spawn>) => void }): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
    options.onSpawn?.(child);
  });
}

/**
 * A fake API scripted for a direct answer, a fresh MYTHOS_HOME and the env that joins them: the
 * fixture of tests that check what a command does before (or instead of) paying for a run.
 */
export async function directRunFixture(): Promise<{ api: FakeApi; home: string; env: NodeJS.ProcessEnv }> {
  const api = await startFakeApi({ responder: mythosResponder({ prelude: preludeReply({ score: 1 }), coda: { answer: 'Like this.' } }) });
  const home = tempHome();
  return { api, home, env: cliEnv(api.url, { MYTHOS_HOME: home }) };
}

/** Registers the direct-answer fixture around each test; `set` receives the fresh one. */
export function useDirectRun(set: (fixture: Awaited<ReturnType<typeof directRunFixture>>) => void): void {
  let close: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const fixture = await directRunFixture();
    close = () => fixture.api.close();
    set(fixture);
  });
  afterEach(async () => close?.());
}
