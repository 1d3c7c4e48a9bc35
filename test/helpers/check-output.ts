/**
 * The CLI's own output must pass its own checker: the FAIL lines of `mythos check` on a transcript.
 */
import { checkTranscript, formatCheckLines } from '../../src/check/index.js';

export function failingChecks(markdown: string): string[] {
  return formatCheckLines(checkTranscript(markdown)).filter((line) => line.startsWith('FAIL'));
}
