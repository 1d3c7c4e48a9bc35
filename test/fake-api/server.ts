// The fake Messages API server: real HTTP on 127.0.0.1 so the real SDK (and the Claude Code
// binary) exercise their own transport, retries and SSE parsing. Never mock the SDK instead.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { emulateReply, rejectionFor } from './claude-5.js';
import { describeRequest } from './describe.js';
import type { ErrorReply, FakeApi, FakeApiOptions, FakeReply, MessageReply, RecordedRequest, Responder } from './types.js';
import {
  errorBody, errorHeaders, errorTypeFor, formatSse, messageBody, roughTokens, streamEvents, usageFor,
  type MessageContext,
} from './wire.js';

/** What a 'cut' stream sends before the break: enough text for several deltas. */
const CUT_FILLER: MessageReply = {
  kind: 'message',
  content: [{ type: 'text', text: 'This answer is cut off mid-stream by the fake API. '.repeat(4) }],
};

/**
 * Turns the responder into "reserve a reply now, resolve it once the body is read". Queue slots
 * are taken at arrival so concurrent requests get replies in arrival order, whatever their size.
 */
function replySource(responder: Responder | FakeReply[]): () => (rec: RecordedRequest) => Promise<FakeReply> {
  if (typeof responder === 'function') return () => async (rec) => responder(rec);
  let next = 0;
  return () => {
    const slot = next++;
    return async (rec) => {
      const scripted = responder[slot];
      if (scripted) return scripted;
      // A script bug, not a server hiccup: say so, and tell the SDK not to retry it.
      const message = `fake-api: no scripted reply for request ${describeRequest(rec)}; `
        + `the script has ${responder.length} repl${responder.length === 1 ? 'y' : 'ies'}`;
      return { kind: 'error', status: 500, errorType: 'api_error', message, shouldRetry: false };
    };
  };
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Destroy only after what was written has left the process, so a 'cut' really sends N events. */
function flushThenDestroy(socket: Socket | null): Promise<void> {
  return new Promise((resolve) => {
    if (!socket || socket.destroyed) return resolve();
    socket.write('', () => {
      socket.destroy();
      resolve();
    });
  });
}

export async function startFakeApi(opts: FakeApiOptions): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const latencyMs = opts.latencyMs ?? 0;
  const reserve = replySource(opts.responder);
  // Aborted by close(): cancels every pending delay so nothing writes after shutdown.
  const shutdown = new AbortController();
  /** Claude 5.x mode: the prompt-cache entries written so far. */
  const promptCache = new Set<string>();

  /** latencyMs + extra, cut short if the client leaves or the server closes. */
  const wait = (extraMs: number | undefined, signal: AbortSignal): Promise<void> => {
    const ms = latencyMs + (extraMs ?? 0);
    return ms > 0 ? sleep(ms, undefined, { signal }) : Promise.resolve();
  };

  async function sendStream(res: ServerResponse, reply: MessageReply, ctx: MessageContext, signal: AbortSignal, cutAfter?: number): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': ctx.id.replace('msg_', 'req_'),
    });
    res.flushHeaders();
    const events = streamEvents(reply, ctx);
    // A cut always stops short of message_stop, so the stream is truly incomplete.
    const limit = cutAfter === undefined ? events.length : Math.min(Math.max(0, cutAfter), events.length - 1);
    let sawDelta = false;
    for (const e of events.slice(0, limit)) {
      if (!sawDelta && e.event === 'content_block_delta') {
        sawDelta = true;
        if (reply.firstTokenDelayMs) await sleep(reply.firstTokenDelayMs, undefined, { signal });
      }
      if (res.destroyed) return;
      res.write(formatSse(e));
    }
    if (cutAfter === undefined) res.end();
    else await flushThenDestroy(res.socket);
  }

  async function answerMessages(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, reply: FakeReply, raw: string, signal: AbortSignal): Promise<void> {
    if (reply.kind === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    if (reply.kind === 'hang') return; // the socket stays open until the client aborts or close()
    if (reply.kind === 'raw') {
      rec.status = reply.status;
      res.writeHead(reply.status, { 'content-type': reply.contentType });
      res.end(reply.body);
      return;
    }
    await wait(reply.delayMs, signal);
    const requestId = `req_fake_${String(rec.index).padStart(6, '0')}`;
    const streaming = rec.body?.stream === true;
    if (reply.kind === 'error') {
      rec.status = reply.status;
      return sendError(res, reply, requestId);
    }
    if (reply.kind === 'message' && opts.emulate === 'claude-5') reply = emulateReply(reply, rec.body, raw, promptCache);
    rec.status = 200;
    const ctx: MessageContext = {
      id: requestId.replace('req_', 'msg_'),
      model: (reply.kind === 'message' ? reply.model : undefined) ?? String(rec.body?.model ?? 'claude-fake'),
      usage: usageFor(reply.kind === 'message' ? reply : CUT_FILLER, raw),
    };
    if (reply.kind === 'message') rec.usage = ctx.usage;
    if (reply.kind === 'cut') {
      if (!streaming) return flushThenDestroy(req.socket);
      return sendStream(res, reply.content ? { kind: 'message', content: reply.content } : CUT_FILLER, ctx, signal, reply.afterEvents);
    }
    if (streaming && !(reply.kind === 'message' && reply.noStream)) return sendStream(res, reply, ctx, signal);
    sendJson(res, 200, messageBody(reply, ctx), { 'request-id': requestId });
  }

  function sendError(res: ServerResponse, reply: ErrorReply, requestId: string): void {
    const type = reply.errorType ?? errorTypeFor(reply.status);
    const message = reply.message ?? `fake-api: scripted ${reply.status} ${type}`;
    sendJson(res, reply.status, errorBody(type, message, reply.details), { 'request-id': requestId, ...errorHeaders(reply) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const rec: RecordedRequest = {
      index: requests.length,
      method: req.method ?? 'GET',
      path: url.split('?')[0] ?? url,
      url,
      headers: lowerCaseHeaders(req),
      body: null,
      remotePort: req.socket.remotePort,
      startedAt: performance.now(),
      endedAt: Number.NaN,
    };
    requests.push(rec);
    // 'close' fires once the reply is fully written, or when the socket dies first.
    const left = new AbortController();
    res.on('close', () => {
      rec.endedAt = performance.now();
      left.abort();
    });
    const signal = AbortSignal.any([shutdown.signal, left.signal]);
    const isMessages = rec.method === 'POST' && rec.path === '/v1/messages';
    const resolveReply = isMessages ? reserve() : undefined;

    // Decode once at the end so multi-byte characters split across chunks survive.
    const parts: Buffer[] = [];
    for await (const chunk of req) parts.push(chunk as Buffer);
    const raw = Buffer.concat(parts).toString('utf8');
    try {
      rec.body = raw ? JSON.parse(raw) : null;
    } catch {
      rec.body = null;
    }

    if (resolveReply) {
      let reply: FakeReply;
      try {
        // A request the emulated model refuses never reaches the script.
        reply = (opts.emulate === 'claude-5' ? rejectionFor(rec.body ?? {}) : null) ?? (await resolveReply(rec));
      } catch (err) {
        const message = `fake-api: responder threw for request ${describeRequest(rec)}: ${String(err)}`;
        reply = { kind: 'error', status: 500, errorType: 'api_error', message, shouldRetry: false };
      }
      return answerMessages(req, res, rec, reply, raw, signal);
    }
    await wait(0, signal);
    if (rec.method === 'POST' && rec.path === '/v1/messages/count_tokens') {
      return sendJson(res, 200, { input_tokens: roughTokens(raw.length) }, {});
    }
    // Claude Code probes other endpoints; answer like the API does and keep the record.
    const message = `fake-api: no route for ${rec.method} ${rec.path}`;
    sendJson(res, 404, errorBody('not_found_error', message), {});
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      if (shutdown.signal.aborted || res.destroyed) return; // closing or client gone: nothing to say
      if (!res.headersSent) sendJson(res, 500, errorBody('api_error', `fake-api: ${String(err)}`), {});
      else res.destroy();
    });
  };
  const server = opts.tls ? createTlsServer(opts.tls, onRequest) : createServer(onRequest);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';

  let closed: Promise<void> | undefined;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    requests,
    close() {
      closed ??= new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
