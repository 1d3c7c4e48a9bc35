/**
 * Errors are never "unexpected": a base URL that is not one, a reply that is a web page, a run
 * log that is not one, --json on failure, and hints that name the command to continue.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { mythosResponder, preludeReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome, TEST_KEY } from '../helpers/run-cli.js';
import { eventsOf, lockExists, onlyRunId, runLogPath } from '../helpers/run-logs.js';

let api: FakeApi | undefined;
let closeWeb: (() => void) | undefined;
afterEach(async () => {
  await api?.close();
  closeWeb?.();
});

const direct = () => mythosResponder({ prelude: preludeReply({ score: 1 }), coda: { answer: 'Yes.' } });

/** Not a Messages API: a web server that answers every request with the same page. */
async function webServer(status: number, contentType: string, body: string): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeWeb = () => server.close();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

const PORTAL = `<!DOCTYPE html>\n<html><head><title>Guest Wi-Fi</title></head><body>Sign in to continue. ${'x'.repeat(4000)} ${TEST_KEY}</body></html>`;

describe('ANTHROPIC_BASE_URL that is not an http(s) URL', () => {
  it.each(['notaurl', 'ftp://example.com', 'localhost:8080'])('%s: exit 2 naming the variable, before any log', async (value) => {
    const home = tempHome();
    const result = await runCli(['Is water wet?'], { env: cliEnv('http://127.0.0.1:9', { MYTHOS_HOME: home, ANTHROPIC_BASE_URL: value }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'mythos: ANTHROPIC_BASE_URL is not an http:// or https:// URL\nhint: set it to the API\'s address, for example https://api.anthropic.com, or unset it\n',
    );
    expect(readdirSync(home)).toEqual([]);
  });
});

describe('a reply that is not from a Messages API', () => {
  it('a 200 web page (a sign-in portal): one line naming the endpoint and what came back, exit 1', async () => {
    const web = await webServer(200, 'text/html; charset=utf-8', PORTAL);
    const home = tempHome();
    const result = await runCli(['Is water wet?'], { env: cliEnv(web.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(1);
    const id = onlyRunId(home);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      `mythos: run ${id} stopped; its log is ${runLogPath(home, id)}`,
      `mythos: Prelude call failed: ${web.url}/v1/messages answered with a web page (text/html) starting "<!DOCTYPE html> <html><head><title>Guest Wi-Fi</title></head><body>Sign in to co…", not a Messages API reply`,
      `hint: check ANTHROPIC_BASE_URL: it should point at the Messages API (for example https://api.anthropic.com), not a web page; then continue with: mythos resume ${id}`,
    ]);
    expect(web.hits()).toBe(1); // a 200 is not retried
    expect(eventsOf(home, id).at(-2)).toMatchObject({ type: 'stop', reason: 'error' });
    expect(lockExists(home, id)).toBe(false);
  });

  it('a 200 JSON body that is not a message', async () => {
    const web = await webServer(200, 'application/json', '{"status":"ok","items":[]}');
    const result = await runCli(['Is water wet?'], { env: cliEnv(web.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`answered with a body (application/json) starting "{"status":"ok","items":[]}", not a Messages API reply`);
    expect(result.stderr).not.toContain('unexpected');
  });

  it('a 404 web page is described in one short line, never pasted whole or with the key', async () => {
    const web = await webServer(404, 'text/html', PORTAL);
    const result = await runCli(['--retries', '0', 'Is water wet?'], { env: cliEnv(web.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Prelude call failed: HTTP 404: a web page (text/html) starting "<!DOCTYPE html> <html>');
    expect(result.stderr).not.toContain(TEST_KEY);
    expect(result.stderr.length).toBeLessThan(800);
  });

  it('--stream-json ends with a run.error event; --json prints the error and the run so far', async () => {
    const web = await webServer(200, 'text/html', PORTAL);
    const home = tempHome();
    const streamed = await runCli(['--stream-json', 'Is water wet?'], { env: cliEnv(web.url, { MYTHOS_HOME: home }) });
    expect(streamed.code).toBe(1);
    const last = JSON.parse(streamed.stdout.trim().split('\n').at(-1)!).event;
    expect(last).toMatchObject({ type: 'run.error', exitCode: 1, message: expect.stringContaining('not a Messages API reply') });

    const json = await runCli(['--json', 'Is water wet?'], { env: cliEnv(web.url, { MYTHOS_HOME: tempHome() }) });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({
      schema_version: 1,
      error: { message: expect.stringContaining('Prelude call failed'), hint: `check ANTHROPIC_BASE_URL: it should point at the Messages API (for example https://api.anthropic.com), not a web page; then continue with: mythos resume ${doc.runId}`, exitCode: 1 },
      record: { runId: doc.runId, question: 'Is water wet?', stopReason: 'error', calls: [] },
    });
    expect(doc.runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
  });
});

describe('--json on failures before a run', () => {
  it('prints an error object with a null run id and keeps the exit code', async () => {
    const result = await runCli(['--json', 'Is water wet?'], { env: cliEnv('http://127.0.0.1:9', { MYTHOS_HOME: tempHome(), ANTHROPIC_API_KEY: undefined }) });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      schema_version: 1, runId: null,
      error: { message: 'no API credentials: ANTHROPIC_API_KEY is not set', hint: expect.stringContaining('export ANTHROPIC_API_KEY='), exitCode: 2 },
    });
  });
});

describe('hints name the command to continue', () => {
  it('an unreachable API says `mythos resume <id>`, on stderr and in the log', async () => {
    const home = tempHome();
    const result = await runCli(['--retries', '0', 'Is water wet?'], { env: cliEnv('http://127.0.0.1:9', { MYTHOS_HOME: home }) });
    expect(result.code).toBe(1);
    const id = onlyRunId(home);
    expect(result.stderr).toContain(`hint: nothing is listening there: check ANTHROPIC_BASE_URL, then continue with: mythos resume ${id}\n`);
    expect(eventsOf(home, id).at(-1)).toMatchObject({ type: 'run.error', exitCode: 1, hint: expect.stringContaining(`mythos resume ${id}`) });
  });
});

describe('run logs that are not run logs', () => {
  const GARBAGE = '20990101-000000-abcd';
  const EDITED = '20980101-000000-abcd';
  const FOREIGN_EVENTS = '20970101-000000-abcd';

  async function homeWithStrangers() {
    api = await startFakeApi({ responder: direct() });
    const home = tempHome();
    const env = cliEnv(api.url, { MYTHOS_HOME: home });
    expect((await runCli(['Is water wet?'], { env })).code).toBe(0);
    const good = onlyRunId(home);
    writeFileSync(runLogPath(home, GARBAGE), 'PK\u0003\u0004 not a log at all\n');
    writeFileSync(runLogPath(home, EDITED), `${'{"at":"2026-01-01T00:00:00Z","event":{"type":"run.start","runId":"x","question":"q","model":"m","options":{}}}\n'}{"hello":1}\n{"at":"2026-01-01T00:00:01Z","event":{"type":"stage"}}\n`);
    writeFileSync(runLogPath(home, FOREIGN_EVENTS), '{"at":"2026-01-01T00:00:00Z","event":{"type":"stage","stage":"coda","label":"x"}}\n');
    writeFileSync(join(home, 'runs', 'notes.txt'), 'mine\n');
    mkdirSync(join(home, 'runs', 'backup'));
    return { env, good, home, calls: api.requests.length };
  }

  it('`runs` lists the good runs and says how many it skipped', async () => {
    const { env, good, home } = await homeWithStrangers();
    const result = await runCli(['runs'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toContain(good);
    expect(result.stderr).toBe(`mythos: skipped 3 unreadable run logs and 2 other files in ${join(home, 'runs')}; mythos show <id> says what is wrong with one\n`);
  });

  it('`show`, `residue` and `resume` name the file and the line, exit 2, and pay nothing', async () => {
    const { env, home, calls } = await homeWithStrangers();
    for (const command of ['show', 'residue', 'resume']) {
      const result = await runCli([command, GARBAGE], { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`mythos: cannot read the run log ${runLogPath(home, GARBAGE)}: line 1 is not a mythos event\n`);
      expect(result.stderr).toContain('hint: it may have been edited or is not a mythos run log; move it out of the runs folder');
    }
    expect((await runCli(['show', 'last'], { env })).stderr).toContain(`${GARBAGE}.jsonl: line 1 is not a mythos event`);
    expect((await runCli(['show', EDITED], { env })).stderr).toContain(`${EDITED}.jsonl: line 2 is not a mythos event`);
    const foreign = await runCli(['resume', FOREIGN_EVENTS], { env });
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain(`${FOREIGN_EVENTS}.jsonl: it does not begin with a run.start event`);
    expect(api!.requests.length).toBe(calls);
    expect(lockExists(home, GARBAGE) || lockExists(home, FOREIGN_EVENTS)).toBe(false);
  });
});
