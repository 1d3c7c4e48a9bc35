/**
 * The one place errors become words on stderr and an exit code. One line and a hint for the
 * user; the stack only with --verbose or MYTHOS_DEBUG.
 */
import { EXIT_CODES, isMythosError } from '../core/errors.js';
import type { CliIO } from './io.js';

export function reportError(error: unknown, io: CliIO, verbose: boolean): number {
  const debug = verbose || Boolean(io.env.MYTHOS_DEBUG);
  if (isMythosError(error)) {
    io.stderr.write(`mythos: ${error.message}\n`);
    if (error.hint) io.stderr.write(`hint: ${error.hint}\n`);
    if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`mythos: unexpected error: ${message.split('\n')[0]}\n`);
  io.stderr.write(debug && error instanceof Error && error.stack ? `${error.stack}\n` : 'hint: run again with --verbose for details\n');
  return EXIT_CODES.runtime;
}
