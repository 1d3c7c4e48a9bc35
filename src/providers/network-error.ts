/**
 * What a failed connection was, in words a user can act on. The SDK wraps the transport's error
 * (fetch's TypeError, whose cause is Node's socket, DNS or TLS error); the code at the bottom of
 * that chain says whether to look at the address, the network or the certificate.
 */
interface NetworkFailure {
  /** e.g. "connect ECONNREFUSED 127.0.0.1:9" or "socket hang up (ECONNRESET)"; absent when nothing says more. */
  detail?: string;
  hint?: string;
}

const TLS_CODE = /CERT|UNABLE_TO_(GET|VERIFY)|SELF_SIGNED|ERR_TLS/;
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);

/** The deepest error in the cause chain that carries a string code (Node's system and TLS errors). */
function rootCause(error: unknown): { code: string; message: string } | undefined {
  let found: { code: string; message: string } | undefined;
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object' && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && code !== '') found = { code, message: typeof message === 'string' ? message : '' };
  }
  return found;
}

export function describeNetworkFailure(error: unknown): NetworkFailure {
  const cause = rootCause(error);
  if (!cause) return {};
  const detail = cause.message && !cause.message.includes(cause.code) ? `${cause.message} (${cause.code})` : cause.message || cause.code;
  if (TLS_CODE.test(cause.code)) {
    return { detail, hint: 'the endpoint’s certificate is not trusted: if a proxy or company CA signs it, point NODE_EXTRA_CA_CERTS at that CA’s PEM file' };
  }
  if (DNS_CODES.has(cause.code)) return { detail, hint: 'check the host name in ANTHROPIC_BASE_URL and your DNS, then resume the run' };
  if (cause.code === 'ECONNREFUSED') return { detail, hint: 'nothing is listening there: check ANTHROPIC_BASE_URL, then resume the run' };
  return { detail };
}
