#!/usr/bin/env node
/**
 * Entry point. `--version` answers before anything heavy loads; everything else is imported
 * lazily so start-up stays close to bare node.
 */
const argv = process.argv.slice(2);

// A reader that closed the pipe early (`mythos … | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const { VERSION } = await import('./version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  const [{ main }, { processIO }] = await Promise.all([import('./main.js'), import('./io.js')]);
  process.exitCode = await main(argv, processIO());
}
