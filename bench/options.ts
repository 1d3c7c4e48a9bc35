/**
 * The bench's own flags. Kept dependency-free (no commander) so the bench never depends on what
 * the CLI under test happens to load.
 */
export interface BenchOptions {
  /** Fixed server latency for every model call. */
  latencyMs: number;
  /** How many times each measurement is repeated. */
  repeats: number;
  /** Subagent counts for the agent runs. */
  subagents: number[];
  /** Passed to the agent runs as --concurrency; undefined keeps the CLI's default. */
  concurrency: number | undefined;
  /** Coda: server time to first token, and (when not streamed) the further time to generate it all. */
  firstTokenMs: number;
  generationMs: number;
  tiny: boolean;
  out: string;
  /** A module loaded into every measured CLI run (node --import), for diagnosis. */
  preload: string | undefined;
}

export const USAGE = `usage: npm run bench -- [options]

  --latency <ms>       server latency per model call (default 200)
  --repeats <n>        repeats of every measurement (default 15)
  --concurrency <n>    pass --concurrency to the agent runs (default: the CLI's own default)
  --tiny               smallest setting: 20 ms latency, 1 repeat (the smoke test uses it)
  --out <file>         results JSON (default bench/results.json)
  --preload <module>   load a module into each measured run first (diagnosis, e.g. bench/no-fsync-preload.mjs)
  -h, --help           this text
`;

export class BenchUsageError extends Error {}

function wholeNumber(flag: string, raw: string | undefined, min = 1): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isInteger(value) || value < min) throw new BenchUsageError(`${flag} needs a whole number ≥ ${min}, got ${raw ?? 'nothing'}`);
  return value;
}

function required(flag: string, raw: string | undefined): string {
  if (!raw) throw new BenchUsageError(`${flag} needs a value`);
  return raw;
}

/** Returns null for --help. */
export function parseOptions(argv: readonly string[]): BenchOptions | null {
  let latencyMs: number | undefined;
  let repeats: number | undefined;
  let concurrency: number | undefined;
  let tiny = false;
  let out = 'bench/results.json';
  let preload: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => argv[++i];
    switch (flag) {
      case '--latency': latencyMs = wholeNumber(flag, value(), 0); break;
      case '--repeats': repeats = wholeNumber(flag, value()); break;
      case '--concurrency': concurrency = wholeNumber(flag, value()); break;
      case '--tiny': tiny = true; break;
      case '--out': out = required(flag, value()); break;
      case '--preload': preload = required(flag, value()); break;
      case '-h':
      case '--help': return null;
      default: throw new BenchUsageError(`unknown option ${flag}`);
    }
  }
  const latency = latencyMs ?? (tiny ? 20 : 200);
  return {
    latencyMs: latency,
    repeats: repeats ?? (tiny ? 1 : 15),
    subagents: [3, 5, 8],
    concurrency,
    // A first token as slow as the call latency; a full answer five times that (far quicker than a real model).
    firstTokenMs: latency,
    generationMs: 5 * latency,
    tiny,
    out,
    preload,
  };
}
