/**
 * `mythos check <file|->` judges a transcript's structure; `mythos calibrate` runs the five
 * calibration cases through the engine and writes a report.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { checkTranscript, formatCheckLines, type CheckMode } from '../../check/index.js';
import { EXIT_CODES, UsageError } from '../../core/errors.js';
import { Mode } from '../../core/schemas.js';
import { commandUsageError } from '../command-words.js';
import { commanderOutput, parseProgram, type QuestionFlags } from '../commander-errors.js';
import type { CliIO } from '../io.js';
import { readAll } from '../io.js';

async function readTranscript(source: string, io: CliIO): Promise<string> {
  if (source === '-') return readAll(io.stdin);
  try {
    return readFileSync(source, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${source} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, 'pass a transcript file, or - for stdin');
  }
}

function parseCheckMode(raw: string): CheckMode {
  const result = Mode.safeParse(raw.toLowerCase());
  if (!result.success) throw new UsageError(`--mode must be one of direct, silent, trace, agent; got "${raw}"`, 'leave it out to judge against the mode the footer claims');
  return result.data;
}

async function checkCommand(args: readonly string[], io: CliIO, questionFlags: QuestionFlags): Promise<number> {
  let code: number = EXIT_CODES.ok;
  const program = new Command('mythos check')
    .description("judge a /mythos transcript's structure against its mode (exit 0 all pass, 1 a check failed, 2 unreadable)")
    .usage('[options] <file|->')
    .argument('[file]', 'a transcript file, or - for stdin')
    .argument('[more...]')
    .addOption(new Option('--mode <mode>', 'judge against this mode instead of the one the footer claims').argParser(parseCheckMode))
    .option('--json', 'print the report as JSON')
    .option('-v, --verbose', 'stack traces on errors')
    .action(async (file: string | undefined, more: string[], options: { mode?: CheckMode; json?: boolean }) => {
      if (file === undefined) throw commandUsageError('check', 'check needs a transcript file, or - to read it from stdin');
      if (more.length > 0) throw commandUsageError('check', `check takes one transcript; got "${[file, ...more].join(' ')}"`);
      const markdown = await readTranscript(file, io);
      if (!markdown.trim()) throw new UsageError(`${file === '-' ? 'stdin' : file} is empty`, 'pass the transcript the skill or the CLI printed');
      const report = checkTranscript(markdown, options.mode ? { mode: options.mode } : {});
      io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCheckLines(report).join('\n')}\n`);
      code = report.ok ? EXIT_CODES.ok : EXIT_CODES.runtime;
    });
  await parseProgram(commanderOutput(program, io), args, questionFlags);
  return code;
}

export async function maintenanceCommand(name: 'check' | 'calibrate', args: readonly string[], io: CliIO, questionFlags: QuestionFlags): Promise<number> {
  if (name === 'check') return checkCommand(args, io, questionFlags);
  const { calibrateCommand } = await import('./calibrate-command.js');
  return calibrateCommand(args, io, questionFlags);
}
