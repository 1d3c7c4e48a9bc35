/**
 * The repo is its own Claude Code plugin marketplace. The real `claude` binary validates both
 * manifests, with --strict so that a warning fails the test too.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.js';

const CLAUDE = join(ROOT, 'node_modules', '.bin', 'claude');
const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, unknown>;

function validate(target: string) {
  const home = tempDir('claude-home');
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.CLAUDE_CONFIG_DIR;
  const result = spawnSync(CLAUDE, ['plugin', 'validate', '--strict', target], { cwd: ROOT, encoding: 'utf8', env });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('.claude-plugin manifests', () => {
  it.each([
    ['.', 'marketplace'],
    ['.claude-plugin/plugin.json', 'plugin'],
  ])('claude plugin validate --strict %s passes with no warnings', (target, kind) => {
    const { status, output } = validate(target);
    expect(output).toContain(`Validating ${kind} manifest`);
    expect(output).toContain('✔ Validation passed');
    expect(output).not.toMatch(/warning|error/i);
    expect(status).toBe(0);
  });

  it('agree with each other and with package.json on name and version', () => {
    const plugin = readJson('.claude-plugin/plugin.json');
    const marketplace = readJson('.claude-plugin/marketplace.json');
    const version = readJson('package.json').version;
    expect(plugin).toMatchObject({ name: 'mythos', version, license: 'MIT', author: { name: 'mythos contributors' } });
    expect(marketplace).toMatchObject({ name: 'mythos-marketplace', plugins: [{ name: 'mythos', source: './', version }] });
  });
});
