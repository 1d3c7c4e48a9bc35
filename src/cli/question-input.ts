/**
 * The question as the user gave it, checked before anything is paid for: text, not binary, and
 * not so long that re-sending it in every call would cost far more than anyone meant to spend.
 */
import type { Readable } from 'node:stream';
import { UsageError } from '../core/errors.js';

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

/** Refuses a question longer than the limit; every call re-sends it, so its size multiplies. */
export function assertQuestionSize(question: string, limit: number, raiseWith?: (length: number) => string): void {
  const length = [...question].length;
  if (length <= limit) return;
  throw new UsageError(
    `the question is ${length.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')}`,
    raiseWith
      ? `every call re-sends the question, so each remaining call pays for all of it; to go on anyway: ${raiseWith(length)}`
      : `every call re-sends the question, so check the cost with --dry-run, then raise the limit with --max-question ${length}`,
  );
}
