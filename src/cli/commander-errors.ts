/**
 * Commander's own errors (an unknown option, a missing value) in the shape every error has: one
 * `mythos: …` line and a hint (and the --json error object), printed by the one error reporter.
 * Commander itself prints nothing but help.
 */
import { CommanderError, type Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { CliIO } from './io.js';

/** Help to stdout; errors are thrown, never printed here, and never exit the process. */
export function commanderOutput(program: Command, io: CliIO): Command {
  return program
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text), outputError: () => {} })
    .exitOverride();
}

/** The long options a question takes, to tell someone who gave one to a command. */
export type QuestionFlags = ReadonlySet<string>;

/** Parses `args` with `program`; a Commander error comes back as a UsageError with a hint. */
export async function parseProgram(program: Command, args: readonly string[], questionFlags: QuestionFlags): Promise<void> {
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode !== 0) throw usageErrorOf(error, program, questionFlags);
    throw error;
  }
}

/** A word for the shell: quoted when it holds spaces or characters a shell would read. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/u.test(word) ? word : `"${word.replace(/(["\\$`])/g, '\\$1')}"`;
}

function optionList(program: Command): string {
  return program.options.map((option) => option.long ?? option.short).filter(Boolean).join(', ');
}

function unknownOptionHint(flag: string, suggestion: string | undefined, program: Command, questionFlags: QuestionFlags): string {
  const name = program.name();
  const isQuestion = name === 'mythos';
  // `-1 or +1?` is a question that starts with a dash, not a mistyped option.
  if (isQuestion && !/^--?[A-Za-z][\w-]*(=.*)?$/su.test(flag)) {
    return `a question that starts with a dash goes after --: mythos -- ${shellWord(flag)}`;
  }
  if (suggestion) return `did you mean ${suggestion}? (see ${name} --help)`;
  if (isQuestion) return 'see mythos --help for the options (a question that starts with a dash goes after --)';
  const bare = flag.split('=')[0]!;
  const takes = `${name} takes ${optionList(program) || 'no options'}`;
  return questionFlags.has(bare) ? `${bare} is an option for a question, not for ${name}; ${takes}` : `${takes} (see ${name} --help)`;
}

function usageErrorOf(error: CommanderError, program: Command, questionFlags: QuestionFlags): UsageError {
  const [first = '', ...rest] = error.message.replace(/^error: /, '').split('\n');
  const suggestion = /\(Did you mean (\S+?)\?\)/.exec(rest.join(' '))?.[1];
  const help = `see ${program.name()} --help`;
  if (error.code === 'commander.unknownOption') {
    const flag = /^unknown option '(.*)'$/su.exec(first)?.[1] ?? '';
    return new UsageError(first, unknownOptionHint(flag, suggestion, program, questionFlags));
  }
  if (error.code === 'commander.optionMissingArgument') {
    const flags = /^option '(.*)' argument missing$/u.exec(first)?.[1];
    return new UsageError(first, flags ? `put its value right after it: ${flags}` : help);
  }
  return new UsageError(first, suggestion ? `did you mean ${suggestion}? (${help})` : help);
}
