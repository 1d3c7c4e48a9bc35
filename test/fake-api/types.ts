// Public types of the fake Messages API. Kept apart from the server so tests can import them
// without pulling in node:http.

/** One HTTP request as the fake saw it. Every request is recorded, including failed ones. */
export interface RecordedRequest {
  /** 0-based arrival order across all paths. */
  index: number;
  method: string;
  /** Path without the query string, e.g. '/v1/messages' (Claude Code sends '?beta=true'). */
  path: string;
  /** The raw request target, query string included. */
  url: string;
  /** Lower-cased header names; repeated headers are joined with ', '. */
  headers: Record<string, string>;
  /** Parsed JSON body, or null when there was none or it was not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** The client's port: requests that share it came over one kept-alive connection. */
  remotePort: number | undefined;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** performance.now() when the reply was fully written or the socket closed; NaN while still open. */
  endedAt: number;
  /** The HTTP status the fake answered with, once it answered. */
  status?: number;
  /** The usage the fake reported for a message reply. */
  usage?: FakeUsage;
}

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  /** Claude 5.x mode: how many of the output tokens were thinking. */
  output_tokens_details?: { thinking_tokens: number };
}

/** A successful assistant message; content blocks use the real API shapes (text, tool_use, thinking…). */
export interface MessageReply {
  kind: 'message';
  content: Array<Record<string, unknown>>;
  /** Defaults to 'end_turn'. */
  stop_reason?: string;
  /** With stop_reason 'refusal': why, as the API reports it. */
  stop_details?: { type: 'refusal'; category: string | null; explanation: string | null };
  /** Missing fields are estimated (input from the request size, output from the content size). */
  usage?: Partial<FakeUsage>;
  /** Extra wait before answering, on top of the server's latencyMs. */
  delayMs?: number;
  /** Defaults to the request's model. */
  model?: string;
  /** Streaming only: wait this long after message_start before the first delta. */
  firstTokenDelayMs?: number;
  /** Answer with plain JSON even when the request asks for a stream, as some gateways do. */
  noStream?: boolean;
  /** Claude 5.x mode: the thinking tokens this reply spends (default: by effort, see claude-5-rules.ts). */
  thinkingTokens?: number;
}

export interface ErrorReply {
  kind: 'error';
  status: number;
  /** Defaults from the status (429 rate_limit_error, 529 overloaded_error, …). */
  errorType?: string;
  message?: string;
  /** Sent as retry-after (and retry-after-ms, see wire.ts). */
  retryAfterSeconds?: number;
  /** Sent as x-should-retry, which the SDK obeys over its own status rules. */
  shouldRetry?: boolean;
  /** `error.details`, e.g. { error_code: 'enforced_spend_limit_reached' } on a spend cap's 429. */
  details?: Record<string, unknown>;
  delayMs?: number;
}

/** SSE: send N events then destroy the socket. JSON: destroy the socket before replying. */
export interface CutReply {
  kind: 'cut';
  afterEvents: number;
  delayMs?: number;
  /** What the stream sends before the break (default: filler text). */
  content?: Array<Record<string, unknown>>;
}

export type FakeReply =
  | MessageReply
  | ErrorReply
  | CutReply
  /** Destroy the socket immediately (TCP reset). */
  | { kind: 'reset' }
  /** Never answer, until the client aborts or the server closes. */
  | { kind: 'hang' }
  /** Something that is not the Messages API answering: a status, a content type, a body as is. */
  | { kind: 'raw'; status: number; contentType: string; body: string };

export type Responder = (req: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeApiOptions {
  /** A function, or a queue of replies taken in arrival order of POST /v1/messages. */
  responder: Responder | FakeReply[];
  /** Wait before every answer (default 0). */
  latencyMs?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Serve HTTPS with this PEM key and certificate (the client must trust the certificate). */
  tls?: { key: string; cert: string };
  /**
   * 'claude-5': behave like the real API with the 5.x models (claude-5.ts): 400 for what a model
   * rejects, 404 for an unknown model, thinking that spends max_tokens, a prompt cache with minimums.
   */
  emulate?: 'claude-5';
}

export interface FakeApi {
  /** http://127.0.0.1:<port>, usable as the SDK's baseURL or ANTHROPIC_BASE_URL. */
  url: string;
  requests: RecordedRequest[];
  /** Ends every open socket (hanging ones too) and stops listening. */
  close(): Promise<void>;
}
