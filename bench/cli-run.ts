/**
 * One run of the built CLI (dist/cli/index.cjs) against a fresh fake Messages API on loopback,
 * timed from the server's side so process start-up is left out (cold start is measured apart).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startFakeApi, type RecordedRequest, type Responder } from '../test/fake-api/index.js';
import { CLI, cliEnv } from '../test/helpers/run-cli.js';
import { unionLength } from './stats.js';

export interface ServerView {
  /** Model calls the server saw (POST /v1/messages). */
  calls: number;
  /** First request's arrival to the last response's end. */
  spanMs: number;
  /** Union of the calls' [startedAt, endedAt]: time the CLI spent waiting on the server. */
  busyMs: number;
  /** Sum of every call's own duration (what a strictly sequential client would wait). */
  sumMs: number;
  /** (span − busy) / calls: time the CLI itself kept the next call from going out. */
  overheadPerCallMs: number;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** performance.now() at spawn and at exit, in the bench process. */
  spawnedAt: number;
  exitedAt: number;
  processWallMs: number;
  /** Spawn to the first model request reaching the server: a real run's start-up. */
  startupMs: number;
  requests: RecordedRequest[];
  server: ServerView;
}

export interface CliRunOptions {
  args: string[];
  responder: Responder;
  latencyMs: number;
  /** Sees every stdout chunk the moment it reaches the bench (performance.now()). */
  onStdout?: (chunk: string, at: number) => void;
  /** Extra environment for the CLI (diagnostics, e.g. NODE_OPTIONS with a preload). */
  env?: Record<string, string>;
}

export function serverView(requests: readonly RecordedRequest[]): ServerView {
  const calls = requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages' && Number.isFinite(r.endedAt));
  if (calls.length === 0) return { calls: 0, spanMs: 0, busyMs: 0, sumMs: 0, overheadPerCallMs: 0 };
  const start = Math.min(...calls.map((r) => r.startedAt));
  const end = Math.max(...calls.map((r) => r.endedAt));
  const busyMs = unionLength(calls.map((r) => ({ start: r.startedAt, end: r.endedAt })));
  const sumMs = calls.reduce((n, r) => n + (r.endedAt - r.startedAt), 0);
  const spanMs = end - start;
  return { calls: calls.length, spanMs, busyMs, sumMs, overheadPerCallMs: (spanMs - busyMs) / calls.length };
}

/** Spawns the CLI the way a user's shell would: stdout a pipe (not a TTY), so output is plain markdown. */
export async function runCli(options: CliRunOptions): Promise<CliRun> {
  const api = await startFakeApi({ responder: options.responder, latencyMs: options.latencyMs });
  const home = mkdtempSync(join(tmpdir(), 'mythos-bench-'));
  try {
    const env = cliEnv(api.url, { ...options.env, MYTHOS_HOME: home });
    const result = await new Promise<Omit<CliRun, 'requests' | 'server' | 'startupMs'>>((resolve, reject) => {
      const spawnedAt = performance.now();
      const child = spawn(process.execPath, [CLI, ...options.args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        options.onStdout?.(chunk, performance.now());
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        const exitedAt = performance.now();
        resolve({ code, stdout, stderr, spawnedAt, exitedAt, processWallMs: exitedAt - spawnedAt });
      });
    });
    const requests = [...api.requests];
    const firstRequest = Math.min(...requests.map((r) => r.startedAt));
    return { ...result, startupMs: firstRequest - result.spawnedAt, requests, server: serverView(requests) };
  } finally {
    await api.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** A failed run makes every figure meaningless: stop with what the CLI said. */
export function assertOk(run: CliRun, what: string): CliRun {
  if (run.code !== 0) {
    throw new Error(`${what}: mythos exited with ${run.code}\n${run.stderr.trim().split('\n').slice(-8).join('\n')}`);
  }
  return run;
}

/** Spawns a command and resolves with its wall time (spawn → exit), for cold-start figures. */
export function timeSpawn(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsed = performance.now() - started;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`node ${args.join(' ')} exited with ${code}`));
    });
  });
}
