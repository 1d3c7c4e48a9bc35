/**
 * The command-line contract other tools rely on: exit codes, streams, input routes, JSON
 * shapes, credentials, and that the API key never lands on disk or in output.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorReply, jsonReply, startFakeApi, type FakeApi } from '../fake-api/index.js';
import { codaReply, mythosResponder, preludeReply, promptOf, roundReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome, TEST_KEY } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const direct = () => mythosResponder({ prelude: preludeReply({ score: 1 }), coda: { answer: 'Yes.' } });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('usage errors exit 2 with one line and a hint', () => {
  it('names ANTHROPIC_API_KEY when no credentials are set', async () => {
    const result = await runCli(['Is this safe?'], { env: cliEnv(null, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('ANTHROPIC_API_KEY');
    expect(result.stderr).toMatch(/^mythos: .+\nhint: export ANTHROPIC_API_KEY=/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an empty question, an unknown flag and a bad value', async () => {
    const env = cliEnv('http://127.0.0.1:9', { MYTHOS_HOME: tempHome() });
    const empty = await runCli(['trace'], { env, stdin: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no question given');
    const unknown = await runCli(['--frobnicate', 'q'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--frobnicate'");
    const bad = await runCli(['--max-rounds', 'nine', 'q'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-rounds must be a whole number from 1 to 8, got "nine"');
    const mode = await runCli(['--mode', 'turbo', 'q'], { env });
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain('--mode must be one of direct, silent, trace, agent');
  });
});

describe('runtime failures exit 1', () => {
  it('reports an unreachable API after retries in one line, with the run id and the log kept', async () => {
    api = await startFakeApi({ responder: () => errorReply(500, 'boom', { retryAfterSeconds: 0 }) });
    const home = tempHome();
    const result = await runCli(['--retries', '2', 'Is this safe?'], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(1);
    expect(api.requests).toHaveLength(3);
    // The API's request id comes with the error: it is what support asks for.
    expect(result.stderr).toMatch(/mythos: run \d{8}-\d{6}-[0-9a-f]{4} stopped; its log is .+\.jsonl\nmythos: Prelude call failed: HTTP 500: boom \(request req_fake_000002\)\nhint: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const log = readFileSync(filesUnder(home)[0]!, 'utf8');
    expect(log).toContain('"type":"run.error"');
  });
});

describe('input and output routes', () => {
  it('reads the question from stdin when no words are given', async () => {
    api = await startFakeApi({ responder: direct() });
    const result = await runCli([], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }), stdin: 'Is water wet?\n' });
    expect(result.code).toBe(0);
    expect(promptOf(api.requests[0]!)).toContain('Is water wet?');
  });

  it('applies a keyword given before a piped question; quick never adds rounds to a complexity-1 question', async () => {
    api = await startFakeApi({ responder: direct() });
    const result = await runCli(['--json', 'quick'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }), stdin: 'Is water wet?' });
    expect(result.code).toBe(0);
    expect(promptOf(api.requests[0]!)).toContain('Is water wet?');
    const json = JSON.parse(result.stdout);
    expect(json.prelude.routing).toEqual({ score: 1, mode: 'direct', source: 'score' });
    expect(json.markdown).toBe('## Answer\nYes.\n\n---\n*Depth: 0 rounds. Mode: direct.*\n');
    expect(api.requests).toHaveLength(2);
  });

  it('--json prints one object with the schema version, mode, prelude, stop reason and usage', async () => {
    api = await startFakeApi({ responder: direct() });
    const result = await runCli(['--json', 'Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ schema_version: 1, mode: 'direct', question: 'Is water wet?', answer: 'Yes.', stopReason: 'converged:self-consistent' });
    expect(json.prelude.routing).toEqual({ score: 1, mode: 'direct', source: 'score' });
    expect(Object.keys(json.usage).sort()).toEqual(['cache_read_tokens', 'cache_write_tokens', 'estimated_cost_usd', 'input_tokens', 'output_tokens', 'thinking_tokens']);
    expect(json.usage.input_tokens).toBeGreaterThan(0);
    expect(json.markdown).toBe('## Answer\nYes.\n\n---\n*Depth: 0 rounds. Mode: direct.*\n');
    expect(result.stderr).toBe('');
  });

  it('--stream-json prints NDJSON events from run.start to run.end', async () => {
    api = await startFakeApi({ responder: direct() });
    const result = await runCli(['--stream-json', 'Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(0);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line).event);
    expect(events[0].type).toBe('run.start');
    expect(events.at(-1).type).toBe('run.end');
    expect(events.map((e) => e.type)).toContain('prelude');
    expect(events.map((e) => e.type)).toContain('coda');
  });

  it('honours ANTHROPIC_AUTH_TOKEN alone, as the SDK and Claude Code do', async () => {
    api = await startFakeApi({ responder: direct() });
    const env = cliEnv(api.url, { MYTHOS_HOME: tempHome(), ANTHROPIC_API_KEY: undefined, ANTHROPIC_AUTH_TOKEN: 'gateway-token' });
    const result = await runCli(['Is water wet?'], { env });
    expect(result.code).toBe(0);
    expect(api.requests[0]?.headers.authorization).toBe('Bearer gateway-token');
  });

  it('uses MYTHOS_MODEL unless --model is given', async () => {
    api = await startFakeApi({ responder: direct() });
    await runCli(['Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome(), MYTHOS_MODEL: 'claude-haiku-4-5' }) });
    await runCli(['--model', 'claude-opus-4-5', 'Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome(), MYTHOS_MODEL: 'claude-haiku-4-5' }) });
    expect(api.requests.map((r) => r.body.model)).toEqual(['claude-haiku-4-5', 'claude-haiku-4-5', 'claude-opus-4-5', 'claude-opus-4-5']);
  });

  it('prints --version and --help to stdout and exits 0', async () => {
    const env = cliEnv(null);
    const version = await runCli(['--version'], { env });
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(await runCli(['-V'], { env })).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const help = await runCli(['--help'], { env });
    expect(help.code).toBe(0);
    for (const flag of ['--mode', '--model', '--max-rounds', '--json', '--stream-json', '--quiet', '--verbose', '--no-color', '--version']) {
      expect(help.stdout).toContain(flag);
    }
    for (const command of ['runs', 'show', 'residue', 'resume', 'check', 'calibrate']) {
      expect(help.stdout).toContain(`mythos ${command}`);
      const own = await runCli([command, '--help'], { env });
      expect(own.code).toBe(0);
      expect(own.stdout).toMatch(new RegExp(`^Usage: mythos ${command} `));
    }
  });
});

describe('pipes', () => {
  it('exits quietly with 0 when the reader closes the pipe early (mythos … | head)', async () => {
    api = await startFakeApi({
      responder: mythosResponder({
        prelude: preludeReply({ score: 2 }),
        rounds: Array.from({ length: 8 }, (_, i) => roundReply(`Separate insight ${i} about ${'abcdefgh'[i]} matters.`)),
      }),
      latencyMs: 20,
    });
    const result = await runCli(['trace', 'Is water wet?'], {
      env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }),
      onSpawn: (child) => child.stdout!.once('data', () => child.stdout!.destroy()),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
  });
});

describe('secrets', () => {
  it('never writes the API key to the run log, stdout or stderr, even when a call fails', async () => {
    api = await startFakeApi({ responder: [jsonReply(preludeReply({ score: 2 })), errorReply(401, 'bad key')] });
    const home = tempHome();
    const failed = await runCli(['--verbose', 'Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('HTTP 401');
    expect(api.requests[1]?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    await api.close();
    api = await startFakeApi({ responder: mythosResponder({ prelude: preludeReply({ score: 1 }), coda: codaReply() }) });
    const ok = await runCli(['--json', 'Is water wet?'], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(ok.code).toBe(0);
    for (const text of [failed.stdout, failed.stderr, ok.stdout, ok.stderr, ...filesUnder(home).map((f) => readFileSync(f, 'utf8'))]) {
      expect(text).not.toContain(TEST_KEY);
    }
    expect(filesUnder(home).length).toBe(2);
  });
});
