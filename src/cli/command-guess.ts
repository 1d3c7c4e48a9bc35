/**
 * Short argument lists that look like a command are not questions. Real questions are rarely
 * one to three words, so when the first of at most three (after any mode keywords) is a command
 * name, a close typo of one, or a verb other CLIs use (help, list, status…), it is refused with
 * the likely command and how to ask it anyway: nothing is paid for a slip of the keyboard.
 */
import { UsageError } from '../core/errors.js';
import { MODE_KEYWORDS } from '../core/prelude/keywords.js';
import { COMMANDS, type CommandName } from './command-words.js';
import { shellWord } from './commander-errors.js';

/** What a short argument list asks for instead of a question. */
export type Screened = { kind: 'question' } | { kind: 'help'; command: CommandName | null } | { kind: 'version' };

/** Verbs other CLIs have, and where mythos sends them. */
const VERBS: Record<string, string> = {
  help: 'for help: mythos --help (or mythos <command> --help)',
  version: 'for the version: mythos --version',
  run: 'a question needs no command word: mythos "<question>"',
  init: 'mythos needs no set-up: set ANTHROPIC_API_KEY, then ask: mythos "<question>"',
  ...Object.fromEntries(['list', 'ls', 'status', 'history', 'log', 'logs'].map((verb) => [verb, 'recent runs: mythos runs; the newest: mythos show last'])),
};

/** The most words a command line has that is still read as a possible command. */
const SHORT = 3;

function isKeyword(word: string): boolean {
  return Object.hasOwn(MODE_KEYWORDS, word.toLowerCase());
}

/** Edit distance with adjacent swaps counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * A typo of `name`: the same first letter, and cut short (three letters or more), or one edit
 * away. A short name takes no replaced letter: "slow", "shop" and "cheek" are words, not commands;
 * nor does an added s or d ("checks", "calibrated").
 */
function isTypoOf(word: string, name: string): boolean {
  if (word === name || word.length < 3 || word[0] !== name[0] || word === `${name}s` || word === `${name}d`) return false;
  if (name.startsWith(word)) return true;
  if (editDistance(word, name) !== 1) return false;
  if (name.length > 5 || word.length !== name.length) return true;
  return [...word].filter((letter, i) => letter !== name[i]).length === 2; // two letters swapped
}

export function closeCommands(word: string): CommandName[] {
  return COMMANDS.filter((name) => isTypoOf(word.toLowerCase(), name));
}

/**
 * Screens the words before `--` of what would be a question (`literal`: the words after it).
 * A bare `help` or `version` is that; a short line that looks like a command is refused.
 */
export function screenQuestion(words: readonly string[], literal: readonly string[]): Screened {
  let lead = 0;
  while (lead < words.length && isKeyword(words[lead]!)) lead++;
  const [keywords, rest] = [words.slice(0, lead), words.slice(lead)];
  const split = (args: readonly string[]) => args.flatMap((arg) => arg.split(/\s+/u).filter(Boolean));
  const tokens = split(rest);
  const first = tokens[0]?.toLowerCase();
  if (first === undefined) return { kind: 'question' };
  // `mythos run "Should we …?"`: a verb on its own, then a quoted question, was meant as a command.
  const verbThenQuoted = rest.length > 1 && !/\s/u.test(rest[0]!.trim()) && rest.slice(1).some((arg) => /\s/u.test(arg.trim()));
  if (tokens.length + split(literal).length > SHORT && !verbThenQuoted) return { kind: 'question' };

  if (keywords.length === 0 && literal.length === 0) {
    if (first === 'help' && tokens.length === 1) return { kind: 'help', command: null };
    const topic = COMMANDS.find((name) => name === tokens[1]?.toLowerCase());
    if (first === 'help' && tokens.length === 2 && topic) return { kind: 'help', command: topic };
    if (first === 'version' && tokens.length === 1) return { kind: 'version' };
  }

  const phrase = tokens.join(' ');
  const asQuestion = `to ask "${phrase}" as a question, put -- first: mythos ${[...keywords, '--', ...rest, ...literal].map(shellWord).join(' ')} (or pipe it on stdin)`;
  const after = tokens.slice(1).join(' ');
  const exact = COMMANDS.find((name) => name === first);
  if (exact) {
    const keyword = keywords.at(-1)!; // an exact command name reaches here only after a keyword, or quoted
    const problem = keywords.length ? `"${keyword}" cannot go before the command "${exact}"` : `"${phrase}" looks like a command, not a question`;
    throw new UsageError(problem, `for the command: mythos ${[exact, ...tokens.slice(1)].join(' ')}; ${asQuestion}`);
  }
  if (Object.hasOwn(VERBS, first)) {
    const where = first === 'run' && after ? `a question needs no command word: mythos ${shellWord(after)}` : VERBS[first];
    throw new UsageError(`"${tokens[0]}" is not a mythos command`, `${where}; ${asQuestion}`);
  }
  const close = closeCommands(first);
  if (close.length) {
    const forms = close.map((name) => `mythos ${name}${after ? ` ${after}` : ''}`).join(' or ');
    throw new UsageError(`"${tokens[0]}" is not a mythos command; did you mean ${close.join(' or ')}?`, `for the command: ${forms}; ${asQuestion}`);
  }
  return { kind: 'question' };
}
