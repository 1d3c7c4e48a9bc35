/**
 * The node:http transport, first as a fetch against a plain local server (bodies, encodings,
 * streams, aborts, failures), then under the real SDK against the fake Messages API.
 */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from '@anthropic-ai/sdk';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHttpFetch, transportFor } from '../../src/providers/http-transport.js';
import { errorReply, jsonReply, startFakeApi, type FakeApi } from '../fake-api/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server | undefined;
const others: Server[] = [];
let api: FakeApi | undefined;
afterEach(async () => {
  for (const s of [server, ...others.splice(0)]) {
    s?.closeAllConnections();
    await new Promise((resolve) => (s ? s.close(resolve) : resolve(undefined)));
  }
  server = undefined;
  await api?.close();
  api = undefined;
});

async function serve(handler: Handler): Promise<string> {
  if (server) others.push(server);
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('nodeHttpFetch', () => {
  it('sends method, headers and a sized body, and returns status, headers and the JSON reply', async () => {
    let seen: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    const url = await serve((req, res, body) => {
      seen = { method: req.method, headers: req.headers, body };
      res.writeHead(201, 'Made', { 'content-type': 'application/json', 'request-id': 'req_1' });
      res.end(JSON.stringify({ échec: false }));
    });
    const sent = JSON.stringify({ q: 'café ☕' });
    const response = await nodeHttpFetch(`${url}/v1/messages`, { method: 'post', headers: new Headers({ 'X-Api-Key': 'k', 'content-type': 'application/json' }), body: sent });
    expect(seen.method).toBe('POST');
    expect(seen.headers?.['x-api-key']).toBe('k');
    expect(seen.headers?.['content-length']).toBe(String(Buffer.byteLength(sent)));
    expect(seen.body).toBe(sent);
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.ok).toBe(true);
    expect(response.headers.get('request-id')).toBe('req_1');
    expect(await response.json()).toEqual({ échec: false });
  });

  it('decodes a compressed reply', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ packed: true })));
    });
    expect(await (await nodeHttpFetch(url)).json()).toEqual({ packed: true });
  });

  it('gives a 204 no body', async () => {
    const url = await serve((_req, res) => res.writeHead(204).end());
    const response = await nodeHttpFetch(url, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('hands over an event stream as soon as it starts, before it ends', async () => {
    let finish: (() => void) | undefined;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: ping\ndata: {}\n\n');
      finish = () => res.end('event: done\ndata: {}\n\n');
    });
    const response = await nodeHttpFetch(url);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('event: ping\ndata: {}\n\n');
    finish!();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('event: done\ndata: {}\n\n');
  });

  it('rejects with the abort when aborted before the reply, and drops the request', async () => {
    let closed = false;
    const url = await serve((req) => req.socket.on('close', () => (closed = true)));
    const controller = new AbortController();
    const pending = nodeHttpFetch(url, { method: 'POST', body: '{}', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    for (let i = 0; i < 50 && !closed; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(true);
  });

  it('rejects at once for a signal that is already aborted', async () => {
    const url = await serve((_req, res) => res.end('{}'));
    await expect(nodeHttpFetch(url, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails a stream that is aborted after it was handed over', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: ping\ndata: {}\n\n');
    });
    const controller = new AbortController();
    const reader = (await nodeHttpFetch(url, { signal: controller.signal })).body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails like fetch when nothing listens, with the cause kept', async () => {
    const url = await serve((_req, res) => res.end());
    server!.close();
    server = undefined;
    const error = await nodeHttpFetch(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('fails a reply whose connection dies before its end', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"half":');
      setTimeout(() => res.destroy(), 10);
    });
    await expect(nodeHttpFetch(url)).rejects.toThrow('fetch failed');
  });

  it('keeps one connection for calls made one after another', async () => {
    const ports: Array<number | undefined> = [];
    const url = await serve((req, res) => {
      ports.push(req.socket.remotePort);
      res.end('{}');
    });
    for (let i = 0; i < 3; i++) {
      await (await nodeHttpFetch(url, { method: 'POST', body: '{}' })).json();
      await nextTurn();
    }
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(1);
  });

  it('follows a 307 with the same method, body and key', async () => {
    const seen: string[] = [];
    const url = await serve((req, res, body) => {
      seen.push(`${req.method} ${req.url} ${req.headers['x-api-key']} ${body}`);
      if (req.url === '/old') res.writeHead(307, { location: '/new' }).end();
      else res.end('{"moved":true}');
    });
    const response = await nodeHttpFetch(`${url}/old`, { method: 'POST', headers: { 'x-api-key': 'k' }, body: '{"a":1}' });
    expect(await response.json()).toEqual({ moved: true });
    expect(seen).toEqual(['POST /old k {"a":1}', 'POST /new k {"a":1}']);
  });

  it('turns a POST into a GET after a 302, as fetch does', async () => {
    const seen: string[] = [];
    const url = await serve((req, res, body) => {
      seen.push(`${req.method} ${req.url} ${req.headers['content-type'] ?? '-'} ${body || '-'}`);
      if (req.url === '/form') res.writeHead(302, { location: '/done' }).end();
      else res.end('{}');
    });
    await nodeHttpFetch(`${url}/form`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(seen).toEqual(['POST /form application/json {}', 'GET /done - -']);
  });

  it('never carries credentials to another origin', async () => {
    let arrived: IncomingMessage['headers'] | undefined;
    const elsewhere = await serve((req, res) => {
      arrived = req.headers;
      res.end('{}');
    });
    const url = await serve((_req, res) => res.writeHead(308, { location: `${elsewhere}/v1/messages` }).end());
    await nodeHttpFetch(`${url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'secret', authorization: 'Bearer t', 'anthropic-version': 'v' }, body: '{}' });
    expect(arrived?.['x-api-key']).toBeUndefined();
    expect(arrived?.authorization).toBeUndefined();
    expect(arrived?.['anthropic-version']).toBe('v');
  });

  it('hands a redirect over when asked to, and gives up on a loop', async () => {
    const url = await serve((_req, res) => res.writeHead(301, { location: '/again' }).end());
    expect((await nodeHttpFetch(url, { redirect: 'manual' })).status).toBe(301);
    const error = await nodeHttpFetch(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(((error as TypeError).cause as Error).message).toBe('more than 20 redirects');
  });

  it('leaves Request objects to the platform fetch', async () => {
    const url = await serve((req, res) => res.end(JSON.stringify({ path: req.url })));
    expect(await (await nodeHttpFetch(new Request(`${url}/x`))).json()).toEqual({ path: '/x' });
  });

  it('is the default transport; MYTHOS_FETCH=platform hands calls back to Node’s fetch', () => {
    expect(transportFor({})).toBe(nodeHttpFetch);
    expect(transportFor({ MYTHOS_FETCH: 'platform' })).toBeUndefined();
  });
});

describe('under the SDK', () => {
  const client = (baseURL: string, options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) =>
    new Anthropic({ apiKey: 'test-key', baseURL, fetch: nodeHttpFetch, maxRetries: 2, ...options });
  const params = { model: 'claude-test', max_tokens: 50, messages: [{ role: 'user' as const, content: 'hi' }] };

  it('retries an overloaded API and returns the message', async () => {
    api = await startFakeApi({ responder: [errorReply(529), jsonReply({ ok: true })] });
    const message = await client(api.url, { maxRetries: 2 }).messages.create(params);
    expect(message.content[0]).toMatchObject({ type: 'text', text: '{"ok":true}' });
    expect(api.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(2);
  });

  it('streams text deltas', async () => {
    api = await startFakeApi({ responder: [jsonReply({ streamed: 'yes' })] });
    const deltas: string[] = [];
    const message = await client(api.url).messages.stream(params).on('text', (d) => deltas.push(d)).finalMessage();
    expect(deltas.join('')).toBe('{"streamed":"yes"}');
    expect(message.stop_reason).toBe('end_turn');
  });

  it('turns its timeout into a timeout error, a reset into a connection error, and a caller abort into an abort', async () => {
    api = await startFakeApi({ responder: () => ({ kind: 'hang' }) });
    await expect(client(api.url, { timeout: 100, maxRetries: 0 }).messages.create(params)).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(client(api.url).messages.create(params, { signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    await api.close();
    api = await startFakeApi({ responder: () => ({ kind: 'reset' }) });
    await expect(client(api.url, { maxRetries: 1 }).messages.create(params)).rejects.toBeInstanceOf(APIConnectionError);
    expect(api.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(2);
  });
});
