/**
 * Mode keywords: `trace`, `deep`/`agent`, `quick`. They change routing, never the diagnosis.
 */
import type { Mode } from '../schemas.js';
import { words } from '../recurrent/words.js';

export const MODE_KEYWORDS = {
  trace: 'trace',
  deep: 'agent',
  agent: 'agent',
  quick: 'silent',
} as const satisfies Record<string, Mode>;
export type ModeKeyword = keyof typeof MODE_KEYWORDS;

function asKeyword(word: string): ModeKeyword | undefined {
  const lower = word.toLowerCase();
  return Object.hasOwn(MODE_KEYWORDS, lower) ? (lower as ModeKeyword) : undefined;
}

export interface ParsedInvocation {
  question: string;
  keyword: ModeKeyword | undefined;
}

/**
 * Strips the leading bare keywords from the invocation words. When several lead the
 * question (`trace deep …`), the last one wins, as in a wider message. `literal` words (given
 * after `--`) are question words, never keywords.
 */
export function parseInvocation(words: readonly string[], literal: readonly string[] = []): ParsedInvocation {
  let keyword: ModeKeyword | undefined;
  let index = 0;
  for (; index < words.length; index++) {
    const found = asKeyword(words[index] ?? '');
    if (!found) break;
    keyword = found;
  }
  return { question: [...words.slice(index), ...literal].join(' ').trim(), keyword };
}

/** In a wider message, the last keyword standing alone as a word wins. */
export function lastKeywordInMessage(message: string): ModeKeyword | undefined {
  let last: ModeKeyword | undefined;
  // Unicode words keep apostrophes and hyphens inside: "the agent's reply" and "deep-dive" name no keyword.
  for (const word of words(message)) {
    last = asKeyword(word) ?? last;
  }
  return last;
}

export function keywordMode(keyword: ModeKeyword | undefined): Mode | undefined {
  return keyword === undefined ? undefined : MODE_KEYWORDS[keyword];
}
