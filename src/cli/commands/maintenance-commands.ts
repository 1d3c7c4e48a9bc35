/**
 * `mythos check` and `mythos calibrate`: maintainer tools (wired once the checker lands).
 */
import { UsageError } from '../../core/errors.js';
import type { CliIO } from '../io.js';

export async function maintenanceCommand(name: 'check' | 'calibrate', _args: readonly string[], _io: CliIO): Promise<number> {
  throw new UsageError(`mythos ${name} is not available in this build`);
}
