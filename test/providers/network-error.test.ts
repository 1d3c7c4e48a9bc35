import { describe, expect, it } from 'vitest';
import { describeNetworkFailure } from '../../src/providers/network-error.js';

const systemError = (code: string, message: string) => Object.assign(new Error(message), { code });
/** The chain the SDK raises: APIConnectionError → fetch's TypeError → Node's error. */
const wrapped = (cause: unknown) => new Error('Connection error.', { cause: new TypeError('fetch failed', { cause }) });

describe('describeNetworkFailure', () => {
  it('names a refused connection and says to check the address', () => {
    expect(describeNetworkFailure(wrapped(systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9')))).toEqual({
      detail: 'connect ECONNREFUSED 127.0.0.1:9',
      hint: 'nothing is listening there: check ANTHROPIC_BASE_URL, then resume the run',
    });
  });

  it('points an untrusted certificate at NODE_EXTRA_CA_CERTS', () => {
    const failure = describeNetworkFailure(wrapped(systemError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain')));
    expect(failure.detail).toBe('self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)');
    expect(failure.hint).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('sends a name that does not resolve to the host name and DNS', () => {
    const failure = describeNetworkFailure(wrapped(systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.example.invalid')));
    expect(failure).toEqual({ detail: 'getaddrinfo ENOTFOUND api.example.invalid', hint: 'check the host name in ANTHROPIC_BASE_URL and your DNS, then resume the run' });
  });

  it('keeps the code of anything else, and adds no hint of its own', () => {
    expect(describeNetworkFailure(wrapped(systemError('ECONNRESET', 'socket hang up')))).toEqual({ detail: 'socket hang up (ECONNRESET)' });
    expect(describeNetworkFailure(wrapped(systemError('UND_ERR_SOCKET', '')))).toEqual({ detail: 'UND_ERR_SOCKET' });
  });

  it('says nothing more when no error in the chain has a code, and survives a looping chain', () => {
    expect(describeNetworkFailure(new Error('Connection error.'))).toEqual({});
    const loop: Error & { cause?: unknown } = new Error('a');
    loop.cause = loop;
    expect(describeNetworkFailure(loop)).toEqual({});
  });
});
