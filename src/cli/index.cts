#!/usr/bin/env node
/**
 * Entry point, CommonJS on purpose: `mythos --version` answers before Node starts its ES module
 * loader (~9 ms here) or sets up process.stdout (~5 ms), so it costs about what bare node does.
 * Everything else goes to the ES module side, loaded lazily.
 */
import { writeSync } from 'node:fs';
import { VERSION } from './version.cjs';

const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  try {
    writeSync(1, `${VERSION}\n`);
  } catch (error) {
    // A reader that closed the pipe early is not an error.
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  }
} else {
  void import('./start.js').then(({ start }) => start(argv));
}
