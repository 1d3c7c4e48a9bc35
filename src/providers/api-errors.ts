/**
 * SDK failures in words a user can act on: what happened, the API's request id (what support
 * asks for), and a hint that names the likely cause. The SDK's messages never carry the API key;
 * a base URL's user:password is taken out before it is shown.
 */
import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { InterruptedError, ModelCallError } from '../core/errors.js';
import { SPEND_LIMIT_CODE } from './http-transport.js';
import { describeNetworkFailure } from './network-error.js';
import { describeBody } from './reply-shape.js';

/** A base URL may carry user:password; it never goes into a message or a log. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(the configured ANTHROPIC_BASE_URL)';
  }
}


function hintFor(error: APIError): string | undefined {
  const status = error.status;
  if (status === 401 || status === 403) return 'check ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) for this endpoint';
  if (status === 404) return 'check --model and ANTHROPIC_BASE_URL';
  if (status === 413) return 'the request is too large for the API: shorten the question';
  if (status === 429 && error.errorCode === SPEND_LIMIT_CODE) {
    return 'your organisation reached its monthly spend limit: raise it in the Console, or wait for the month to turn (UTC); then resume the run';
  }
  if (status === 429) return 'the API is rate-limiting this key: wait a minute, lower --concurrency, then resume the run';
  if (status === 529) return 'the API is overloaded right now: wait a few minutes, then resume the run';
  if (status === 400) {
    const detail = error.message.toLowerCase();
    if (/thinking|effort|prefill|tool_choice|temperature|top_p|top_k/.test(detail)) {
      return 'the model rejected a setting mythos sent: if the model is new, describe it in $MYTHOS_HOME/models.json (see docs/model-facts.md), or update mythos';
    }
    return 'the API rejected the request as sent; run with --verbose for details';
  }
  return undefined;
}

/** A 200 whose JSON body was empty or stopped part-way: what parsing it throws. */
export function isIncompleteBody(error: unknown): boolean {
  return error instanceof SyntaxError;
}

/** The error an incomplete reply ends with once its retries are spent; the hint says to resume. */
export function incompleteReply(step: string, attempts: number, cause?: unknown): ModelCallError {
  return new ModelCallError(step, `the API sent an incomplete reply (a JSON body that was empty or cut off) after ${attempts} attempt${attempts === 1 ? '' : 's'}`, {
    cause, hint: 'the connection or a proxy in front of the API may be dropping replies; try again later, then resume the run',
  });
}

export function translateApiError(step: string, error: unknown, baseURL: string, secrets: ReadonlyArray<string | null | undefined> = []): Error {
  if (error instanceof APIUserAbortError) return new InterruptedError();
  if (isIncompleteBody(error)) return incompleteReply(step, 1, error);
  if (error instanceof APIConnectionTimeoutError) {
    return new ModelCallError(step, 'the API did not answer in time', { cause: error, hint: 'raise --timeout or try again later' });
  }
  if (error instanceof APIConnectionError) {
    const { detail, hint } = describeNetworkFailure(error);
    const where = `could not reach the API at ${withoutCredentials(baseURL)}`;
    return new ModelCallError(step, detail ? `${where}: ${detail}` : where, { cause: error, ...(hint ? { hint } : {}) });
  }
  if (error instanceof APIError) {
    const status = error.status;
    // A body that was not JSON (a proxy's or web server's page) is described, not printed whole.
    const raw = error.error === undefined ? error.message.replace(/^\d+ /, '') : null;
    const detail = raw !== null
      ? describeBody(raw, error.headers?.get('content-type'), secrets)
      : ((error.error as { error?: { message?: string } } | undefined)?.error?.message ?? error.message);
    const hint = hintFor(error);
    return new ModelCallError(step, `HTTP ${status ?? '?'}: ${detail}`, {
      status, cause: error, requestId: error.requestID ?? undefined, ...(hint ? { hint } : {}),
    });
  }
  // Anything else the SDK raises (a malformed reply or stream) is still a failed call, said plainly.
  if (error instanceof AnthropicError) return new ModelCallError(step, error.message, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}
