/**
 * A colour terminal: the answer's markdown is rendered and progress shows a spinner. The CLI runs
 * under `script` (util-linux) so both of its outputs are a real pseudo-terminal, which also checks
 * that the bundle's lazily loaded renderer chunk loads.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { mythosResponder, preludeReply } from '../helpers/mythos-script.js';
import { CLI, cliEnv, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

function inTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.on('error', (error) => reject(new Error(`cannot run script(1) from util-linux: ${error.message}`)));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Drops spinner frames (drawn as synchronized updates) and the cursor and line clears around them. */
const ESC = '\u001b';
const withoutSpinner = (text: string) =>
  text
    .split(`${ESC}[?2026h`)
    .map((piece, i) => (i === 0 ? piece : piece.slice(piece.indexOf(`${ESC}[?2026l`) + `${ESC}[?2026l`.length)))
    .join('')
    .replaceAll(`${ESC}[?25l`, '')
    .replaceAll(`${ESC}[?25h`, '')
    .replaceAll(`${ESC}[1G${ESC}[0K`, '');

describe('a colour terminal', () => {
  it('renders the answer as styled text and shows a spinner while it works', async () => {
    api = await startFakeApi({
      responder: mythosResponder({ prelude: preludeReply({ score: 0 }), coda: { answer: 'Use **SQLite** here.\n\n- one user\n- no server' } }),
    });
    const env = { ...cliEnv(api.url, { MYTHOS_HOME: tempHome(), NO_COLOR: undefined }), TERM: 'xterm-256color' };
    const { code, output } = await inTerminal(['Which database for a desktop app?'], env);
    expect(code).toBe(0);
    expect(output).toContain('\u001b[1mSQLite\u001b[22m');
    expect(output).not.toContain('**SQLite**');
    expect(output).toContain('Prelude: diagnosing the question');
    expect(output).toContain('Depth: 0 rounds. Mode: direct.');
    expect(output).toMatch(/mythos: direct · 2 calls/);
  });

  it('prints the exact markdown when NO_COLOR is set, even in a terminal', async () => {
    api = await startFakeApi({
      responder: mythosResponder({ prelude: preludeReply({ score: 0 }), coda: { answer: 'Use **SQLite** here.' } }),
    });
    const env = { ...cliEnv(api.url, { MYTHOS_HOME: tempHome() }), TERM: 'xterm-256color' };
    const { code, output } = await inTerminal(['Which database for a desktop app?'], env);
    expect(code).toBe(0);
    expect(output).not.toContain('\u001b[1m');
    // The spinner still turns (on stderr); with its frames taken out, stdout is the plain template.
    expect(withoutSpinner(output)).toContain('## Answer\r\nUse **SQLite** here.\r\n\r\n---\r\n*Depth: 0 rounds. Mode: direct.*\r\n');
  });
});
