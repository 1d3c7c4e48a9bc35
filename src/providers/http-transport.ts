/**
 * The SDK's HTTP transport, on node:http(s) instead of Node's built-in fetch (undici). Measured on
 * loopback (see README, Benchmarks), undici costs about 1.5 ms more CPU per call and ~10 ms more on
 * a process's first call, most of it header handling and its WebAssembly parser. Node's own
 * client, with its keep-alive global agents, is the cheaper road to the same bytes.
 *
 * It returns a standard `Response`, so the SDK's parsing, retries, timeouts and errors are
 * untouched. What it does not handle (Request objects, streamed request bodies, other schemes)
 * goes to the platform fetch, and MYTHOS_FETCH=platform sends everything there.
 */
// node:https and node:zlib cost nothing extra at start-up: the SDK's first `new Headers()` loads
// undici, which loads both.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The error code a monthly spend cap sends with its 429; no retry can succeed before the month turns. */
export const SPEND_LIMIT_CODE = 'enforced_spend_limit_reached';

/**
 * The SDK retries every 429, but a spend cap's 429 comes without retry-after and only ends when
 * the month turns: marked with the header the SDK obeys, it fails at once instead of after the
 * backoff of every retry.
 */
function markUnretryable(status: number, bytes: Buffer, headers: Headers): void {
  if (status === 429 && bytes.includes(SPEND_LIMIT_CODE)) headers.set('x-should-retry', 'false');
}

/** Statuses whose response has no body by definition; `new Response` refuses one for them. */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** The shape undici gives a network failure, which the SDK turns into a retried connection error. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function responseHeaders(response: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/** The body as the server meant it: a gateway may compress even though we never ask it to. */
function decodedBody(response: IncomingMessage): Readable {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = DECODERS[encoding];
  if (!decoder) return response; // none, identity, or one we cannot decode: passed on as sent
  return pipeline(response, decoder(), () => {}) as unknown as Readable;
}

async function readAll(body: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

const isHttp = (url: URL) => url.protocol === 'http:' || url.protocol === 'https:';

function isSimpleBody(body: RequestInit['body']): body is string | Uint8Array | null | undefined {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

/**
 * One request and its response. An event stream resolves as soon as its headers arrive and is
 * handed over as a web stream; any other body is read whole first, so a connection that dies
 * mid-reply is a failed (and retried) request, not a broken parse.
 */
function exchange(url: URL, method: string, sentHeaders: Record<string, string>, body: string | Uint8Array | undefined, signal: AbortSignal | undefined): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const headers = { ...sentHeaders };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));

    let response: IncomingMessage | undefined;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const onAbort = () => {
      const reason = abortReason(signal!);
      request.destroy();
      // A stream already handed over fails with the abort, as the SDK expects of fetch.
      response?.destroy(reason instanceof Error ? reason : undefined);
      settle(() => reject(reason));
    };
    const release = () => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });

    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { method, headers }, (incoming) => {
      response = incoming;
      const status = incoming.statusCode ?? 0;
      const meta = { status, statusText: incoming.statusMessage ?? '', headers: responseHeaders(incoming) };
      if (NULL_BODY_STATUS.has(status) || method === 'HEAD') {
        incoming.resume();
        release();
        return settle(() => resolve(new Response(null, meta)));
      }
      const decoded = decodedBody(incoming);
      if (/^text\/event-stream\b/i.test(incoming.headers['content-type'] ?? '')) {
        decoded.once('close', release);
        return settle(() => resolve(new Response(Readable.toWeb(decoded) as ReadableStream<Uint8Array>, meta)));
      }
      readAll(decoded).then(
        (bytes) => {
          markUnretryable(status, bytes, meta.headers);
          settle(() => resolve(new Response(bytes, meta)));
        },
        (error: unknown) => settle(() => reject(fetchFailed(error))),
      ).finally(release);
    });
    request.on('error', (error) => {
      release();
      settle(() => reject(fetchFailed(error)));
    });
    request.end(body);
  });
}

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
/** Never sent on to another origin: an API key must not follow a redirect off its host. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'cookie'];
const BODY_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-location'];

/**
 * A `fetch` for JSON and server-sent events over node:http(s), following redirects as fetch does
 * (a 303, or a 301/302 after a POST, becomes a GET), except that credentials stay on their origin.
 */
export const nodeHttpFetch: Fetch = async (input, init = {}) => {
  const start = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : undefined;
  let body = init.body ?? undefined;
  if (!start || !isHttp(start) || !isSimpleBody(body)) return fetch(input, init);
  let url: URL = start;

  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw abortReason(signal);
  const headers: Record<string, string> = {};
  // The SDK passes a Headers already; copying it into another costs more than reading it.
  const given = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
  given.forEach((value, name) => (headers[name] = value));
  let method = (init.method ?? 'GET').toUpperCase();
  for (let redirects = 0; ; redirects++) {
    const response = await exchange(url, method, headers, body, signal);
    const location = response.headers.get('location');
    if (!REDIRECT_STATUS.has(response.status) || location === null || init.redirect === 'manual') return response;
    await response.body?.cancel();
    if (init.redirect === 'error') throw fetchFailed(new Error(`redirected to ${location}, and redirects were refused`));
    if (redirects >= MAX_REDIRECTS) throw fetchFailed(new Error(`more than ${MAX_REDIRECTS} redirects`));
    const next: URL = new URL(location, url);
    if (!isHttp(next)) throw fetchFailed(new Error(`redirected to an unsupported ${next.protocol} URL`));
    if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
    if ((response.status === 303 && method !== 'HEAD') || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      for (const name of BODY_HEADERS) delete headers[name];
    }
    url = next;
  }
};

/** The transport the provider hands the SDK: ours unless MYTHOS_FETCH=platform asks for Node's. */
export function transportFor(env: NodeJS.ProcessEnv = process.env): Fetch | undefined {
  return env.MYTHOS_FETCH === 'platform' ? undefined : nodeHttpFetch;
}
