/**
 * `mythos [trace|deep|agent|quick] <question…>`: one new run of the protocol.
 */
import { UsageError } from '../../core/errors.js';
import { parseInvocation, type ParsedInvocation } from '../../core/prelude/keywords.js';
import { newRunId } from '../../runlog/run-log.js';
import type { RunConfig } from '../config.js';
import type { CliIO } from '../io.js';
import { decodeQuestion, questionSizeError, readBytes } from '../question-input.js';
import { executeRun } from './execute-run.js';

/** What the command line gave: words before `--` (keywords are read there) and after it. */
export interface QuestionWords {
  words: readonly string[];
  literal: readonly string[];
}

/** Words after the keywords are the question; with none and a pipe on stdin, stdin is. */
export async function resolveQuestion(given: QuestionWords, io: CliIO): Promise<ParsedInvocation> {
  let parsed = parseInvocation(given.words, given.literal);
  if (!parsed.question && !io.stdin.isTTY) parsed = { ...parsed, question: decodeQuestion(await readBytes(io.stdin)).trim() };
  if (!parsed.question) {
    throw new UsageError('no question given', 'usage: mythos [trace|deep|agent|quick] <question>, or pipe the question on stdin');
  }
  return parsed;
}

export async function runCommand(given: QuestionWords, config: RunConfig, io: CliIO): Promise<number> {
  const { question, keyword } = await resolveQuestion(given, io);
  // The limit guards what is paid: a dry run over it still shows a range, with no call made.
  const oversize = questionSizeError(question, config.maxQuestionChars, { dryRun: config.dryRun });
  if (oversize && !config.dryRun) throw oversize;
  return executeRun({ runId: newRunId(), question, keyword, config, refusedRun: oversize ?? undefined }, io);
}
