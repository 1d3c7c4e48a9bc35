/**
 * Cold start: `mythos --version` and `mythos --help` against bare `node -e 0`, run interleaved so
 * drift on a noisy machine hits all three alike.
 */
import { CLI, cliEnv } from '../test/helpers/run-cli.js';
import { timeSpawn } from './cli-run.js';

export interface ColdStart {
  nodeMs: number[];
  versionMs: number[];
  helpMs: number[];
}

export async function measureColdStart(repeats: number): Promise<ColdStart> {
  const env = cliEnv(null);
  const out: ColdStart = { nodeMs: [], versionMs: [], helpMs: [] };
  // One unmeasured pass warms the OS file cache, as any second invocation of a CLI would be.
  await timeSpawn(['-e', '0'], env);
  await timeSpawn([CLI, '--version'], env);
  await timeSpawn([CLI, '--help'], env);
  const tasks: Array<[number[], string[]]> = [[out.nodeMs, ['-e', '0']], [out.versionMs, [CLI, '--version']], [out.helpMs, [CLI, '--help']]];
  for (let i = 0; i < repeats; i++) {
    // Rotate the order each pass so no command always runs right after the same other one.
    for (let k = 0; k < tasks.length; k++) {
      const [into, args] = tasks[(i + k) % tasks.length]!;
      into.push(await timeSpawn(args, env));
    }
  }
  return out;
}
