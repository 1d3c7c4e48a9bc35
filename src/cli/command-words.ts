/**
 * The words that name a command. They are reserved: `mythos show lastt` is a mistyped command,
 * never a paid question. A question that starts with one of them goes after `--`.
 */
import { UsageError } from '../core/errors.js';
import { RUN_ID } from '../runlog/runs-folder.js';

export const COMMANDS = ['runs', 'show', 'residue', 'resume', 'check', 'calibrate'] as const;
export type CommandName = (typeof COMMANDS)[number];

const FORMS: Record<CommandName, string> = {
  runs: 'mythos runs [n]',
  show: 'mythos show <id|last>',
  residue: 'mythos residue <id|last>',
  resume: 'mythos resume <id|last>',
  check: 'mythos check <file|->',
  calibrate: 'mythos calibrate [--case <id>] [--modes <list>] [--out <dir>]',
};

export interface Routed {
  command: CommandName | null;
  /**
   * For a command, its arguments (its own name removed). For a question, the options and words
   * before `--`: keywords and options are read only there.
   */
  args: string[];
  /** For a question: the words that are not options (or an option's value), before any `--`. */
  words: string[];
  /** For a question: every word after `--`, the question as it is. */
  literal: string[];
}

/**
 * A command when the first word that is not an option (or an option's value) names one, in any
 * case, before any `--`. `valueOptions` are the question's options that take a value (`--model x`).
 */
export function routeCommand(argv: readonly string[], valueOptions: ReadonlySet<string>): Routed {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return { command: null, args: argv.slice(0, i), words, literal: argv.slice(i + 1) };
    if (arg.startsWith('-') && arg !== '-') {
      if (!arg.includes('=') && valueOptions.has(arg)) i++;
      continue;
    }
    const command = words.length === 0 ? COMMANDS.find((name) => name === arg.toLowerCase()) : undefined;
    if (command) return { command, args: [...argv.slice(0, i), ...argv.slice(i + 1)], words: [], literal: [] };
    words.push(arg);
  }
  return { command: null, args: [...argv], words, literal: [] };
}

/** A command given the wrong words: exit 2, the right form, and how to ask such a question. */
export function commandUsageError(name: CommandName, problem: string, extraHint?: string): UsageError {
  const hints = [`usage: ${FORMS[name]}`, ...(extraHint ? [extraHint] : []), `to ask a question that starts with "${name}", put -- first: mythos -- ${name} …`];
  return new UsageError(problem, hints.join('; '));
}

/** `runs [n]`: n is a positive whole number. */
export function parseRunsLimit(words: readonly string[]): number {
  if (words.length === 0) return 20;
  const [raw] = words;
  if (words.length > 1 || !/^\d+$/.test(raw!) || Number(raw) < 1) {
    throw commandUsageError('runs', `runs takes how many runs to list, a whole number from 1; got "${words.join(' ')}"`);
  }
  return Number(raw);
}

/** `show`, `residue` and `resume` take exactly one run id, or `last`. */
export function oneRunId(name: 'show' | 'residue' | 'resume', words: readonly string[]): string {
  const [word] = words;
  if (words.length === 1 && (word === 'last' || RUN_ID.test(word!))) return word!;
  const problem =
    words.length === 0 ? `${name} needs a run id or "last"`
      : words.length > 1 ? `${name} takes one run id or "last"; got "${words.join(' ')}"`
        : `"${word}" is not a run id (they look like 20261205-115501-ab12) or "last"`;
  throw commandUsageError(name, problem, 'list run ids with: mythos runs');
}
