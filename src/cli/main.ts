/**
 * Command-line wiring: flags → one validated config → a command. A question is the default
 * command; the maintenance commands are picked only when their name and arguments fit, so
 * "mythos show me why…" is still a question.
 */
import { existsSync, statSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { EXIT_CODES, UsageError } from '../core/errors.js';
import type { RunConfig } from './config.js';
import { DEFAULT_MODEL, mythosHome, parseEffort, parseIntegerOption, parseMode, parsePositiveNumber } from './option-parsers.js';
import type { CliIO } from './io.js';
import { reportError } from './report-error.js';

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
}

/** Validated lazily: zod loads only once a command is about to run. */
async function toConfig(raw: RawOptions, io: CliIO): Promise<RunConfig> {
  if (raw.json && raw.streamJson) throw new UsageError('--json and --stream-json cannot be used together');
  if (raw.model !== undefined && !raw.model.trim()) throw new UsageError('--model needs a model id', `for example --model ${DEFAULT_MODEL}`);
  const { RunConfig, colorEnabled } = await import('./config.js');
  return RunConfig.parse({
    model: raw.model ?? (io.env.MYTHOS_MODEL || DEFAULT_MODEL),
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
    home: mythosHome(io.env),
  });
}

function buildProgram(io: CliIO, action: (words: string[], config: RunConfig) => Promise<number>): Command {
  const program = new Command('mythos')
    .description('Recurrent-depth reasoning with Claude: Prelude, Recurrent Block, Coda.')
    .usage('[trace|deep|agent|quick] <question…>  (or: check | runs | show | residue | resume)')
    .argument('[question...]', 'the question; a leading trace, deep, agent or quick picks the mode')
    .addOption(new Option('--mode <mode>', 'force a mode: direct, silent, trace or agent').argParser(parseMode))
    .option('--model <id>', `model id (default: $MYTHOS_MODEL or ${DEFAULT_MODEL})`)
    .addOption(new Option('--effort <level>', 'how hard the model thinks in rounds, subagents and the Coda: low, medium, high, xhigh or max (default: per step)').argParser(parseEffort))
    .option('--max-rounds <n>', 'cap rounds (silent/trace) or subagents (agent), 1–8', parseIntegerOption('--max-rounds', 1, 8))
    .option('--concurrency <n>', 'subagents in flight at once in agent mode', parseIntegerOption('--concurrency', 1, 16), 8)
    .option('--max-cost <usd>', 'stop before the estimated cost would pass this many US dollars', parsePositiveNumber('--max-cost'))
    .option('--max-tokens <n>', 'stop before total tokens would pass this', parseIntegerOption('--max-tokens', 1, 100_000_000))
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
  mythos calibrate             run the calibration cases and write a report`)
    .showHelpAfterError('(run mythos --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    .action(async (words: string[], raw: RawOptions) => {
      await action(words, await toConfig(raw, io));
    });
  return program;
}

const RUN_ID = /^(last|\d{8}-\d{6}-[0-9a-f]{4})$/;

/**
 * A maintenance command only when its name leads and its arguments fit; otherwise the words
 * are a question ("mythos show me how…"). `mythos -- show …` always asks a question.
 */
export function pickCommand(argv: readonly string[]): 'runs' | 'show' | 'residue' | 'resume' | 'check' | 'calibrate' | null {
  const [name, ...rest] = argv;
  // `resume --timeout 9 <id>`: an option's value is not a word of the command.
  const takesValue = name === 'resume' ? ['--timeout', '--retries'] : [];
  const words = rest.filter((arg, i) => !arg.startsWith('-') && !takesValue.includes(rest[i - 1] ?? ''));
  const commands = ['runs', 'show', 'residue', 'resume', 'check', 'calibrate'] as const;
  const asksHelp = rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h');
  if (asksHelp) return commands.find((command) => command === name) ?? null;
  switch (name) {
    case 'runs':
      return rest.every((arg) => arg.startsWith('-') || /^\d+$/.test(arg)) ? 'runs' : null;
    case 'show':
    case 'residue':
    case 'resume':
      return words.length === 1 && RUN_ID.test(words[0] ?? '') ? name : null;
    case 'check':
      // `check -`, `check x.md` or `check <an existing file>`; anything else is a question about checking.
      return rest.some((arg) => arg === '-' || /\.(md|markdown|txt)$/i.test(arg) || (!arg.startsWith('-') && existsSync(arg) && statSync(arg).isFile()))
        ? 'check'
        : null;
    case 'calibrate':
      return rest.length === 0 || rest[0]?.startsWith('-') ? 'calibrate' : null;
    default:
      return null;
  }
}

function historyProgram(name: 'runs' | 'show' | 'residue' | 'resume', io: CliIO, run: (config: RunConfig, arg: string | undefined, opts: Record<string, unknown>) => Promise<number> | number) {
  const program = new Command(`mythos ${name}`)
    .option('--json', 'machine-readable output')
    .option('-q, --quiet', 'no progress on stderr')
    .option('-v, --verbose', 'stack traces on errors')
    .option('--no-color', 'plain output')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride();
  if (name === 'runs') program.description('list recent runs').argument('[limit]', 'how many', '20');
  else program.argument('<id>', 'a run id, or "last"');
  if (name === 'show') program.description('re-render a run from its log (no model calls)').option('--full', 'show every round, even for a silent run');
  if (name === 'residue') program.description('what collapsed in a run: discarded rounds, flags, failures, tensions');
  if (name === 'resume') {
    program.description('continue an interrupted run without repeating completed calls').option('--stream-json', 'NDJSON events')
      .option('--timeout <seconds>', 'per-call timeout (default: as the run was started)', parseIntegerOption('--timeout', 1, 3600))
      .option('--retries <n>', 'retries per call (default: as the run was started)', parseIntegerOption('--retries', 0, 10));
  }
  let code: number = EXIT_CODES.ok;
  program.action(async (arg: string | undefined, raw: RawOptions & Record<string, unknown>) => {
    const config = await toConfig({ ...raw, concurrency: 8, timeout: raw.timeout ?? 300, retries: raw.retries ?? 4 }, io);
    code = await run(config, arg, raw);
  });
  return { program, code: () => code };
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    const picked = pickCommand(argv);
    if (picked === 'check' || picked === 'calibrate') {
      const { maintenanceCommand } = await import('./commands/maintenance-commands.js');
      return await maintenanceCommand(picked, argv.slice(1), io);
    }
    if (picked) {
      const history = await import('./commands/history-commands.js');
      const { program, code } = historyProgram(picked, io, (config, arg, opts) => {
        if (picked === 'runs') return history.runsCommand(config, io, Number(arg ?? 20));
        if (picked === 'show') return history.showCommand(config, io, arg!, Boolean(opts.full));
        if (picked === 'residue') return history.residueCommand(config, io, arg!);
        return history.resumeCommand(config, io, arg!, { timeout: opts.timeout, retries: opts.retries });
      });
      await program.parseAsync(argv.slice(1), { from: 'user' });
      return code();
    }
    let code: number = EXIT_CODES.ok;
    const words = argv[0] === '--' ? argv.slice(1) : argv;
    const program = buildProgram(io, async (questionWords, config) => {
      const { runCommand } = await import('./commands/run-command.js');
      code = await runCommand(questionWords, config, io);
      return code;
    });
    await program.parseAsync([...words], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message; help and version are successes.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    return reportError(error, io, verbose);
  }
}
