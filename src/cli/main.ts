/**
 * Command-line wiring: flags → one validated config → a command. A question is the default
 * command; the maintenance commands are picked only when their name and arguments fit, so
 * "mythos show me why…" is still a question.
 */
import { Command, CommanderError, Option } from 'commander';
import { EXIT_CODES, UsageError } from '../core/errors.js';
import {
  colorEnabled, DEFAULT_MODEL, mythosHome, parseIntegerOption, parseMode, parsePositiveNumber, RunConfig,
} from './config.js';
import type { CliIO } from './io.js';
import { reportError } from './report-error.js';

export { VERSION } from './version.js';
import { VERSION } from './version.js';

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
}

function toConfig(raw: RawOptions, io: CliIO): RunConfig {
  if (raw.json && raw.streamJson) throw new UsageError('--json and --stream-json cannot be used together');
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
    .option('--max-rounds <n>', 'cap rounds (silent/trace) or subagents (agent), 1–8', parseIntegerOption('--max-rounds', 1, 8))
    .option('--concurrency <n>', 'subagents in flight at once in agent mode', parseIntegerOption('--concurrency', 1, 16), 5)
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
    .showHelpAfterError('(run mythos --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    .action(async (words: string[], raw: RawOptions) => {
      await action(words, toConfig(raw, io));
    });
  return program;
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    const { runCommand } = await import('./commands/run-command.js');
    let code: number = EXIT_CODES.ok;
    const program = buildProgram(io, async (words, config) => (code = await runCommand(words, config, io)));
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message; help and version are successes.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    return reportError(error, io, verbose);
  }
}
