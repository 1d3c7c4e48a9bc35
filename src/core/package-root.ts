/**
 * Where the package's shipped files (references/, calibration/) live. Found by walking up from
 * the calling module, so the same code works from src/ under the tests, from a compiled file,
 * and from a bundled chunk in dist/cli/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(moduleUrl: string): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start, depth = 0; depth < 6; depth++) {
    if (existsSync(join(dir, 'references', 'lenses.md')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // Not found: a broken install. The caller's read then fails and names the path it tried.
  return dirname(dirname(start));
}
