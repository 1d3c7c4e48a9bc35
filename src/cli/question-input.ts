/**
 * The question as the user gave it, checked before anything is paid for: text, not binary, and
 * not so long that re-sending it in every call would cost far more than anyone meant to spend.
 */
import type { Readable } from 'node:stream';
import { UsageError } from '../core/errors.js';
import { estimateTokens } from '../core/models/usage-estimate.js';

export async function readBytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Piped input as text; a NUL byte or bytes that are not UTF-8 mean a file that is not text. */
export function decodeQuestion(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new UsageError(`the question on stdin holds binary data (a NUL byte at byte ${nul})`, 'pipe a text file, or pass the question as words');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError('the question on stdin is not UTF-8 text', 'convert it to UTF-8 first, for example with iconv');
  }
}

/**
 * Why a question longer than the limit is refused, or null: every call re-sends it, so its size
 * multiplies. A dry run over the limit makes no call, so for a real run it is the next step.
 */
export function questionSizeError(question: string, limit: number, options: { dryRun: boolean; raiseWith?: ((length: number) => string) | undefined }): UsageError | null {
  const length = [...question].length;
  if (length <= limit) return null;
  const tokens = estimateTokens(question).toLocaleString('en-US');
  return new UsageError(
    `the question is ${length.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')}`,
    options.raiseWith
      ? `every call re-sends the question, so each remaining call pays for all of it; to go on anyway: ${options.raiseWith(length)}`
      : `shorten it; or, since every call re-sends it (about ${tokens} tokens each), raise the limit with --max-question ${length} and cap the spend with --max-cost${options.dryRun ? '' : '; to see its cost range first: the same command with --dry-run (no call made)'}`,
  );
}
