import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const urlOf = (...parts: string[]) => pathToFileURL(join(ROOT, ...parts)).href;

describe('packageRoot', () => {
  it('finds the root from a source file, a compiled file and a bundled chunk alike', () => {
    expect(packageRoot(urlOf('src', 'core', 'prompts', 'reference-files.ts'))).toBe(ROOT);
    expect(packageRoot(urlOf('src', 'check', 'expectations.ts'))).toBe(ROOT);
    expect(packageRoot(urlOf('dist', 'cli', 'chunks', 'chunk-ABC.js'))).toBe(ROOT);
  });

  it('falls back to two levels up when nothing above ships references, so the read names a path', () => {
    const lost = join(mkdtempSync(join(tmpdir(), 'mythos-root-')), 'a', 'b', 'c');
    expect(packageRoot(pathToFileURL(join(lost, 'x.js')).href)).toBe(resolve(lost, '..', '..'));
  });
});
