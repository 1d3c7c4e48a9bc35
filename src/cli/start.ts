/**
 * The ES module side of the entry point: every command but `--version` starts here, with the
 * heavy modules imported only once a command needs them.
 */
import { stopForClosedOutput } from './run-stops.js';

export async function start(argv: readonly string[]): Promise<void> {
  // dist/ is bundled: stack traces, shown only on request, should name the source files.
  if (argv.includes('--verbose') || argv.includes('-v') || process.env.MYTHOS_DEBUG) process.setSourceMapsEnabled(true);
  // A reader that closed the pipe early (`mythos … | head`) is not an error. A run in progress
  // stops cleanly (its log says why, and how to continue); anything else just ends.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (!stopForClosedOutput()) process.exit(0);
  });
  const [{ main }, { processIO }] = await Promise.all([import('./main.js'), import('./io.js')]);
  process.exitCode = await main(argv, processIO());
}
