/**
 * OpenTelemetry: the CLI registers no tracer, so it turns the SDK's spans off unless the user
 * asks for them with ANTHROPIC_OPEN_TELEMETRY (and preloads a tracer, as this test does).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { mythosResponder, preludeReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const RECORDER = pathToFileURL(join(import.meta.dirname, '..', 'fixtures', 'span-recorder.mjs')).href;

async function spansOf(extra: Record<string, string>): Promise<string[]> {
  api = await startFakeApi({ responder: mythosResponder({ prelude: preludeReply({ score: 0 }), coda: { answer: 'Yes.' } }) });
  const home = tempHome();
  const log = join(home, 'spans.log');
  const env = cliEnv(api.url, { MYTHOS_HOME: home, SPAN_LOG: log, NODE_OPTIONS: `--import=${RECORDER}`, ...extra });
  const result = await runCli(['Is a tab one character?'], { env });
  expect(result.code).toBe(0);
  await api.close();
  api = undefined;
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

describe('OpenTelemetry spans', () => {
  it('are off by default, even with a tracer registered', async () => {
    expect(await spansOf({})).toEqual([]);
  });

  it('follow the SDK once ANTHROPIC_OPEN_TELEMETRY is set', async () => {
    const spans = await spansOf({ ANTHROPIC_OPEN_TELEMETRY: 'true' });
    expect(spans.length).toBeGreaterThanOrEqual(2);
    expect(spans.every((name) => name.includes('messages'))).toBe(true);
  });
});
