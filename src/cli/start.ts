/**
 * The ES module side of the entry point: every command but `--version` starts here, with the
 * heavy modules imported only once a command needs them.
 */
export async function start(argv: readonly string[]): Promise<void> {
  // dist/ is bundled: stack traces, shown only on request, should name the source files.
  if (argv.includes('--verbose') || argv.includes('-v') || process.env.MYTHOS_DEBUG) process.setSourceMapsEnabled(true);
  // A reader that closed the pipe early (`mythos … | head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const [{ main }, { processIO }] = await Promise.all([import('./main.js'), import('./io.js')]);
  process.exitCode = await main(argv, processIO());
}
