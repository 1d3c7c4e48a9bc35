/**
 * Command-line wiring: flags → one validated config → a command. A question is the default
 * command; a first word that names a command, in any case, is always that command, and a short
 * line that only looks like one is exit 2 (never a paid question). `--` makes everything after
 * it the question, keywords included.
 */
import { Command, CommanderError, Option } from 'commander';
import { EXIT_CODES, UsageError } from '../core/errors.js';
import { oneRunId, parseRunsLimit, routeCommand, type CommandName } from './command-words.js';
import type { RunConfig } from './config.js';
import {
  DEFAULT_MAX_QUESTION_CHARS, DEFAULT_MODEL, maxQuestionFromEnv, mythosHome, parseEffort, parseIntegerOption, parseMode, parsePositiveNumber, resolveModel,
} from './option-parsers.js';
import type { CliIO } from './io.js';
import { errorOutputOf, reportError } from './report-error.js';
import { commanderOutput, parseProgram, type QuestionFlags } from './commander-errors.js';
import { screenQuestion } from './command-guess.js';
import { assertAsciiDashes } from './unicode-dashes.js';

export { VERSION } from './version.cjs';
import { VERSION } from './version.cjs';

interface RawOptions {
  mode?: RunConfig['mode'];
  model?: string;
  maxRounds?: number;
  concurrency: number;
  maxCost?: number;
  maxTokens?: number;
  timeout: number;
  retries: number;
  json?: boolean;
  streamJson?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  dryRun?: boolean;
  effort?: RunConfig['effort'];
  maxQuestion?: number;
}

/** Validated lazily: zod loads only once a command is about to run. */
async function toConfig(raw: RawOptions, io: CliIO): Promise<RunConfig> {
  if (raw.json && raw.streamJson) throw new UsageError('--json and --stream-json cannot be used together', '--json prints one object at the end, --stream-json events as they happen: pick one');
  const model = resolveModel(raw.model, io.env);
  const { RunConfig, colorEnabled } = await import('./config.js');
  return RunConfig.parse({
    model,
    mode: raw.mode,
    maxRounds: raw.maxRounds,
    concurrency: raw.concurrency,
    maxCostUsd: raw.maxCost,
    maxTokens: raw.maxTokens,
    timeoutMs: raw.timeout * 1000,
    retries: raw.retries,
    output: raw.json ? 'json' : raw.streamJson ? 'stream-json' : 'text',
    quiet: Boolean(raw.quiet),
    verbose: Boolean(raw.verbose),
    color: colorEnabled(raw.color, io.env),
    dryRun: Boolean(raw.dryRun),
    effort: raw.effort,
    maxQuestionChars: raw.maxQuestion ?? maxQuestionFromEnv(io.env),
    home: mythosHome(io.env),
  });
}

function buildProgram(io: CliIO, action: (words: string[], config: RunConfig) => Promise<number>): Command {
  const program = new Command('mythos')
    .description('Recurrent-depth reasoning with Claude: Prelude, Recurrent Block, Coda.')
    .usage('[options] [trace|deep|agent|quick] <question…>  (or: runs | show | residue | resume | check | calibrate)')
    .argument('[question...]', 'the question; a leading trace, deep, agent or quick picks the mode')
    .addOption(new Option('--mode <mode>', 'force a mode: direct, silent, trace or agent').argParser(parseMode))
    .option('--model <id>', `model id (default: $MYTHOS_MODEL or ${DEFAULT_MODEL})`)
    .addOption(new Option('--effort <level>', 'how hard the model thinks in rounds, subagents and the Coda: low, medium, high, xhigh or max (default: per step)').argParser(parseEffort))
    .option('--max-rounds <n>', 'cap rounds (silent/trace) or subagents (agent), 1–8', parseIntegerOption('--max-rounds', 1, 8))
    .option('--concurrency <n>', 'subagents in flight at once in agent mode', parseIntegerOption('--concurrency', 1, 16), 8)
    .option('--max-cost <usd>', 'stop before the estimated cost would pass this many US dollars', parsePositiveNumber('--max-cost'))
    .option('--max-tokens <n>', 'stop before total tokens would pass this', parseIntegerOption('--max-tokens', 1, 100_000_000))
    .option('--max-question <chars>', `longest question accepted (default: $MYTHOS_MAX_QUESTION or ${DEFAULT_MAX_QUESTION_CHARS})`, parseIntegerOption('--max-question', 1, 100_000_000))
    .option('--timeout <seconds>', 'per-call timeout', parseIntegerOption('--timeout', 1, 3600), 300)
    .option('--retries <n>', 'retries per call for transient API failures', parseIntegerOption('--retries', 0, 10), 4)
    .option('--json', 'print one JSON object describing the whole run')
    .option('--stream-json', 'print NDJSON events as they happen')
    .option('-q, --quiet', 'no progress or cost line on stderr')
    .option('-v, --verbose', 'log each stage and call on stderr; show stack traces')
    .option('--no-color', 'plain output (NO_COLOR is honoured too)')
    .option('--dry-run', 'run the Prelude only and print the plan and a cost estimate')
    .version(VERSION, '-V, --version')
    .addHelpText('after', `
Commands (each has --help):
  mythos runs [n]              recent runs from the logs
  mythos show <id|last>        re-render a run (--full: every round)
  mythos residue <id|last>     what a run discarded, flagged or left unresolved
  mythos resume <id|last>      continue an interrupted run
  mythos check <file|->        judge a transcript's structure
  mythos calibrate             run the calibration cases and write a report

These words are reserved, in any case, and so is a line of up to three words
that starts with a near miss of one (shwo last) or another tool's verb (help,
version, run, list, status…): mythos names the command instead of paying for a
question. To ask such a question, put -- first or pipe it on stdin:
  mythos -- show me why the build is slow
After --, every word is the question, a mode word or one that starts with a
dash too (mythos -- "-1 or +1?").`)
    .action(async (words: string[], raw: RawOptions) => {
      await action(words, await toConfig(raw, io));
    });
  return commanderOutput(program, io);
}

/** The question's options that take a value: the word after one of them is not a command. */
function valueOptionsOf(program: Command): Set<string> {
  const names = program.options.filter((option) => option.required || option.optional).flatMap((option) => [option.long, option.short]);
  return new Set(names.filter((name): name is string => Boolean(name)));
}

function longOptionsOf(program: Command): QuestionFlags {
  return new Set(program.options.map((option) => option.long).filter((name): name is string => Boolean(name)));
}

type HistoryName = Exclude<CommandName, 'check' | 'calibrate'>;

function historyProgram(name: HistoryName, io: CliIO, run: (config: RunConfig, words: string[], opts: Record<string, unknown>) => Promise<number> | number) {
  const program = new Command(`mythos ${name}`)
    .option('--json', 'machine-readable output')
    .option('-q, --quiet', 'no progress on stderr')
    .option('-v, --verbose', 'stack traces on errors')
    .option('--no-color', 'plain output');
  commanderOutput(program, io);
  // Words are checked by the command itself, so a wrong one gets the right form and a hint.
  if (name === 'runs') program.description('list the n most recent runs (default 20)').argument('[n]').usage('[options] [n]');
  else program.argument('[id]').usage('[options] <id|last>');
  program.argument('[more...]');
  if (name === 'show') program.description('re-render a run from its log (no model calls); id is a run id or "last"').option('--full', 'show every round, even for a silent run');
  if (name === 'residue') program.description('what collapsed in a run: discarded rounds, flags, failures, tensions; id is a run id or "last"');
  if (name === 'resume') {
    program.description('continue an interrupted run without repeating completed calls; id is a run id or "last"').option('--stream-json', 'NDJSON events')
      .option('--timeout <seconds>', 'per-call timeout (default: as the run was started)', parseIntegerOption('--timeout', 1, 3600))
      .option('--retries <n>', 'retries per call (default: as the run was started)', parseIntegerOption('--retries', 0, 10))
      .option('--max-cost <usd>', 'cap for the whole run, what it spent already included (default: as the run was started)', parsePositiveNumber('--max-cost'))
      .option('--max-tokens <n>', 'the same cap in billed tokens (default: as the run was started)', parseIntegerOption('--max-tokens', 1, 100_000_000))
      .addOption(new Option('--effort <level>', 'effort for the remaining calls (default: as the run was started)').argParser(parseEffort));
  }
  let code: number = EXIT_CODES.ok;
  program.action(async (first: string | undefined, more: string[], raw: RawOptions & Record<string, unknown>) => {
    const words = [...(first === undefined ? [] : [first]), ...more];
    // Only resume sends a question (the logged one) again: the others leave MYTHOS_MAX_QUESTION alone.
    const maxQuestion = name === 'resume' ? maxQuestionFromEnv(io.env) : DEFAULT_MAX_QUESTION_CHARS;
    const config = await toConfig({ ...raw, concurrency: 8, timeout: raw.timeout ?? 300, retries: raw.retries ?? 4, maxQuestion }, io);
    code = await run(config, words, raw);
  });
  return { program, code: () => code };
}

async function runHistoryCommand(name: HistoryName, args: string[], io: CliIO, questionFlags: QuestionFlags): Promise<number> {
  const history = await import('./commands/history-commands.js');
  const { program, code } = historyProgram(name, io, (config, words, opts) => {
    if (name === 'runs') return history.runsCommand(config, io, parseRunsLimit(words));
    const id = oneRunId(name, words);
    if (name === 'show') return history.showCommand(config, io, id, Boolean(opts.full));
    if (name === 'residue') return history.residueCommand(config, io, id);
    return history.resumeCommand(config, io, id, { timeout: opts.timeout, retries: opts.retries, maxCost: opts.maxCost, maxTokens: opts.maxTokens, effort: opts.effort });
  });
  await parseProgram(program, args, questionFlags);
  return code();
}

/** A command word: its own program, lazily loaded. */
async function runCommandWord(command: CommandName, args: string[], io: CliIO, questionFlags: QuestionFlags): Promise<number> {
  if (command === 'check' || command === 'calibrate') {
    const { maintenanceCommand } = await import('./commands/maintenance-commands.js');
    return maintenanceCommand(command, args, io, questionFlags);
  }
  return runHistoryCommand(command, args, io, questionFlags);
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    assertAsciiDashes(argv);
    let code: number = EXIT_CODES.ok;
    let literal: string[] = [];
    const question = buildProgram(io, async (questionWords, config) => {
      const { runCommand } = await import('./commands/run-command.js');
      code = await runCommand({ words: questionWords, literal }, config, io);
      return code;
    });
    const questionFlags = longOptionsOf(question);
    const routed = routeCommand(argv, valueOptionsOf(question));
    if (routed.command) return await runCommandWord(routed.command, routed.args, io, questionFlags);
    const screened = screenQuestion(routed.words, routed.literal);
    if (screened.kind === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_CODES.ok;
    }
    if (screened.kind === 'help') {
      if (screened.command) return await runCommandWord(screened.command, ['--help'], io, questionFlags);
      question.outputHelp();
      return EXIT_CODES.ok;
    }
    // Commander sees only what comes before `--`: after it, every word is the question, as it is.
    literal = routed.literal;
    await parseProgram(question, routed.args, questionFlags);
    return code;
  } catch (error) {
    // Help and version are successes; every other Commander error came back as a UsageError.
    if (error instanceof CommanderError && error.exitCode === 0) return EXIT_CODES.ok;
    return reportError(error, io, verbose, errorOutputOf(argv));
  }
}
