/**
 * Time to first answer byte: from the moment the server has the Coda's first token to the moment
 * the first byte of the answer (after `## Answer`) reaches the bench through the CLI's stdout pipe.
 * Both ends are performance.now() in this process, since the fake server runs here too.
 */
import { assertOk, runCli } from './cli-run.js';
import { QUESTION, ttfbResponder } from './scenarios.js';

export interface TtfbSample {
  ttfbMs: number;
  /** Whether the CLI asked for the Coda as a stream (stream: true). */
  streamed: boolean;
  /** First answer byte to the end of the process: how long the rest took to arrive. */
  restMs: number;
}

const HEADING = '## Answer\n';

export async function runTtfb(latencyMs: number, firstTokenMs: number, generationMs: number, env?: Record<string, string>): Promise<TtfbSample> {
  const responder = ttfbResponder(firstTokenMs, generationMs);
  let seen = '';
  let firstByteAt: number | undefined;
  const onStdout = (chunk: string, at: number) => {
    if (firstByteAt !== undefined) return;
    seen += chunk;
    const heading = seen.indexOf(HEADING);
    if (heading !== -1 && seen.length > heading + HEADING.length) firstByteAt = at;
  };
  // Silent mode with one round keeps the run short; its Coda is the full structured Coda.
  const args = ['--mode', 'silent', '--max-rounds', '1', QUESTION];
  const run = assertOk(await runCli({ args, responder, latencyMs, onStdout, ...(env ? { env } : {}) }), 'TTFB run');
  const coda = responder.coda[0];
  if (!coda || responder.coda.length !== 1) throw new Error(`TTFB run: expected one Coda call, saw ${responder.coda.length}`);
  if (firstByteAt === undefined) throw new Error(`TTFB run: no answer after "## Answer" on stdout:\n${run.stdout.slice(0, 400)}`);
  // The fake waits the latency, then (streamed) sends message_start and the first delta firstTokenMs later.
  const serverFirstToken = coda.requestReadAt + latencyMs + firstTokenMs;
  return { ttfbMs: firstByteAt - serverFirstToken, streamed: coda.streamed, restMs: run.exitedAt - firstByteAt };
}
