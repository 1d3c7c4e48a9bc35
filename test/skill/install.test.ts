/**
 * install/install.sh against throwaway HOME folders, plus the linters the scripts must pass.
 * install.ps1 cannot run here (no PowerShell on this machine); it is held to ASCII and LF only.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, ROOT, SKILL_DIR, tempDir } from './helpers.js';

const INSTALL_SH = join(ROOT, 'install', 'install.sh');
const expected = readTree(SKILL_DIR);

interface RunOptions {
  home: string;
  cwd?: string;
  script?: string;
  env?: Record<string, string>;
}

function install(args: string[], { home, cwd = home, script = INSTALL_SH, env = {} }: RunOptions) {
  const base = { ...process.env };
  delete base.CLAUDE_CONFIG_DIR;
  const result = spawnSync('bash', [script, ...args], { cwd, encoding: 'utf8', env: { ...base, HOME: home, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const userTarget = (home: string) => join(home, '.claude', 'skills', 'mythos');
const backups = (home: string) => {
  const dir = join(home, '.claude', 'skills', '.mythos-backups');
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
};

describe('install.sh', () => {
  it('installs a plain copy of skills/mythos, then reports "already up to date" on a rerun', () => {
    const home = tempDir('home');
    const first = install([], { home });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`Installed the mythos skill to ${userTarget(home)}`);
    expect(readTree(userTarget(home))).toEqual(expected);
    expect(lstatSync(userTarget(home)).isSymbolicLink()).toBe(false);
    expect(existsSync(join(userTarget(home), '.claude-plugin'))).toBe(false);
    // Nothing but the skill lands in the skills folder: no staging or backup left behind.
    expect(readdirSync(join(home, '.claude', 'skills'))).toEqual(['mythos']);

    const again = install([], { home });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('already up to date');
    expect(backups(home)).toEqual([]);
  });

  it('moves a modified install to a timestamped backup instead of overwriting it', () => {
    const home = tempDir('home');
    install([], { home });
    appendFileSync(join(userTarget(home), 'SKILL.md'), '\nmy local note\n');

    const result = install([], { home });
    expect(result.status).toBe(0);
    const saved = backups(home);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatch(/\.mythos-backups\/mythos-\d{8}-\d{6}$/);
    expect(result.stdout).toContain(`Moved the existing install (it differs from this checkout) to ${saved[0]}`);
    expect(readFileSync(join(saved[0] ?? '', 'SKILL.md'), 'utf8')).toContain('my local note');
    expect(readTree(userTarget(home))).toEqual(expected);
  });

  it('honours CLAUDE_CONFIG_DIR', () => {
    const home = tempDir('home');
    const config = join(home, 'elsewhere');
    const result = install([], { home, env: { CLAUDE_CONFIG_DIR: config } });
    expect(result.status).toBe(0);
    expect(readTree(join(config, 'skills', 'mythos'))).toEqual(expected);
    expect(existsSync(join(home, '.claude'))).toBe(false);
  });

  it('--project installs into ./.claude/skills/mythos and leaves HOME alone', () => {
    const home = tempDir('home');
    const project = tempDir('project');
    const result = install(['--project'], { home, cwd: project });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(join(project, '.claude', 'skills', 'mythos'));
    expect(readTree(join(project, '.claude', 'skills', 'mythos'))).toEqual(expected);
    expect(readdirSync(home)).toEqual([]);
  });

  it('--dry-run writes nothing, on a fresh HOME or over a modified install', () => {
    const home = tempDir('home');
    const fresh = install(['--dry-run'], { home });
    expect(fresh.status).toBe(0);
    expect(fresh.stdout).toContain(`[dry run] would copy ${SKILL_DIR} to ${userTarget(home)}`);
    expect(readdirSync(home)).toEqual([]);

    install([], { home });
    appendFileSync(join(userTarget(home), 'SKILL.md'), 'edited\n');
    const before = readTree(home);
    const over = install(['--dry-run'], { home });
    expect(over.status).toBe(0);
    expect(over.stdout).toContain('[dry run] would move the existing install');
    expect(readTree(home)).toEqual(before);
    expect(install(['--uninstall', '--dry-run'], { home }).status).toBe(0);
    expect(readTree(home)).toEqual(before);
  });

  it('--uninstall removes the skill, backs up a modified one, and is quiet when nothing is there', () => {
    const home = tempDir('home');
    install([], { home });
    const removed = install(['--uninstall'], { home });
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain(`Removed the mythos skill from ${userTarget(home)}`);
    expect(existsSync(userTarget(home))).toBe(false);

    const again = install(['--uninstall'], { home });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('not installed');

    install([], { home });
    appendFileSync(join(userTarget(home), 'SKILL.md'), 'edited\n');
    const modified = install(['--uninstall'], { home });
    expect(modified.status).toBe(0);
    expect(existsSync(userTarget(home))).toBe(false);
    expect(backups(home)).toHaveLength(1);
  });

  it('refuses an incomplete checkout with exit 2 and writes nothing', () => {
    for (const missing of ['references/lenses.md', 'SKILL.md']) {
      const checkout = tempDir('checkout');
      mkdirSync(join(checkout, 'install'));
      cpSync(INSTALL_SH, join(checkout, 'install', 'install.sh'));
      cpSync(SKILL_DIR, join(checkout, 'skills', 'mythos'), { recursive: true });
      rmSync(join(checkout, 'skills', 'mythos', missing));

      const home = tempDir('home');
      const result = install([], { home, script: join(checkout, 'install', 'install.sh') });
      expect(result.status, missing).toBe(2);
      expect(result.stderr).toContain('incomplete checkout');
      expect(result.stderr).toContain(`skills/mythos/${missing}`);
      expect(readdirSync(home)).toEqual([]);
    }
  });

  it('rejects an unknown option with exit 2 and the usage', () => {
    const home = tempDir('home');
    const result = install(['--frobnicate'], { home });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown option: --frobnicate');
    expect(result.stderr).toContain('Usage:');
    const help = install(['--help'], { home });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--uninstall');
  });
});

describe('installer scripts are clean', () => {
  it('install.sh passes shellcheck', () => {
    const result = spawnSync('shellcheck', [INSTALL_SH], { encoding: 'utf8' });
    if (result.error) {
      throw new Error('shellcheck is not installed. Install it (apt-get install -y shellcheck, or brew install shellcheck) and rerun.');
    }
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(['install.ps1', 'install.sh'])('%s is ASCII-only with LF line endings', (name) => {
    const bytes = readFileSync(join(ROOT, 'install', name));
    const offending = [...bytes.entries()].filter(([, byte]) => byte > 0x7f || byte === 0x0d).map(([index]) => index);
    expect(offending).toEqual([]);
  });
});
