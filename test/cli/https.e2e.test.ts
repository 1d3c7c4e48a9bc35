/**
 * The real API is HTTPS: a run against a TLS endpoint, trusted through NODE_EXTRA_CA_CERTS as a
 * user behind a company CA would do, with both transports. Sequential calls must share one
 * connection, since each new one is a TLS handshake.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { judgeReply, mythosResponder, preludeReply, roundReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

let tls: { key: string; cert: string; certPath: string };
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'mythos-tls-'));
  const [keyPath, certPath] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`openssl could not make a test certificate (apt-get install -y openssl): ${String(error)}`);
  }
  tls = { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
});

const responder = () =>
  mythosResponder({
    prelude: preludeReply({ score: 3, drivers: ['Trade-offs'] }),
    rounds: [
      roundReply('The audit requirement is what asks for an immutable log.'),
      roundReply('An append-only audit table meets it at a fraction of the cost.', { convergence: 'stable' }),
    ],
    judge: () => judgeReply('advances', { self_consistent: false }),
  });

describe('an HTTPS endpoint', () => {
  for (const transport of ['node:https (default)', 'platform fetch']) {
    it(`runs over TLS with one connection: ${transport}`, async () => {
      api = await startFakeApi({ responder: responder(), tls: { key: tls.key, cert: tls.cert } });
      expect(api.url.startsWith('https://')).toBe(true);
      const extra = { MYTHOS_HOME: tempHome(), NODE_EXTRA_CA_CERTS: tls.certPath, ...(transport === 'platform fetch' ? { MYTHOS_FETCH: 'platform' } : {}) };
      const result = await runCli(['trace', '--max-rounds', '2', 'Should billing adopt event sourcing?'], { env: cliEnv(api.url, extra) });
      expect(result.stderr).not.toContain('could not reach');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('## Answer');
      const calls = api.requests.filter((r) => r.path === '/v1/messages');
      expect(calls.length).toBeGreaterThanOrEqual(4);
      expect(new Set(calls.map((r) => r.remotePort)).size).toBe(1);
    });
  }

  it('refuses a certificate nobody trusts, with a clear error', async () => {
    api = await startFakeApi({ responder: responder(), tls: { key: tls.key, cert: tls.cert } });
    const result = await runCli(['trace', '--retries', '0', 'Should billing adopt event sourcing?'], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`could not reach the API at ${api.url}: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`);
    expect(result.stderr).toContain('hint: the endpoint’s certificate is not trusted');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
