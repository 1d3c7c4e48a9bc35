/**
 * `—max-cost 0.01` is an option a word processor or phone typed with a dash that is not two
 * ASCII hyphens. Commander would take it for a question word and drop the cap, so any word that
 * starts with such a dash and then a letter is refused before anything runs.
 */
import { UsageError } from '../core/errors.js';
import { shellWord } from './commander-errors.js';

/** Dash punctuation (hyphen, en and em dash, bar…) and the minus sign. */
const LEAD = /^[\p{Pd}\u2212]+/u;

function described(char: string): string {
  const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const names: Record<string, string> = { '\u2013': 'an en dash', '\u2014': 'an em dash', '\u2212': 'a minus sign', '\u2010': 'a Unicode hyphen' };
  return `${names[char] ?? 'a dash-like character'} (${code})`;
}

/** Every word before `--`; after it every word is the question, as it is. */
export function assertAsciiDashes(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') return;
    const lead = LEAD.exec(arg)?.[0];
    const odd = lead ? [...lead].find((char) => char !== '-') : undefined;
    const rest = lead ? arg.slice(lead.length) : '';
    if (!odd || !/^\p{L}/u.test(rest)) continue; // ASCII options are Commander's; "−1" is a number
    const name = rest.split('=')[0]!;
    const meant = name.length === 1 ? `-${name}` : `--${name}`;
    // "—Well, is it?" is a question that starts with a dash, not an option to correct.
    const optionLike = /^[\p{L}\d-]+$/u.test(name);
    throw new UsageError(
      `"${arg}" starts with ${described(odd)}, not ASCII hyphens, so it is not an option`,
      optionLike
        ? `did you mean ${meant}? Type it with plain hyphens; to ask a question that starts with such a word, put -- first`
        : `a question that starts with a dash goes after --: mythos -- ${shellWord(arg)}`,
    );
  }
}
