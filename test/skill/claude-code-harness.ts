/**
 * Runs the real Claude Code binary offline against the fake Messages API, with a throwaway HOME,
 * and installs the skill by each of the three routes a user can take. Shared by the
 * claude-code*.e2e tests.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RecordedRequest } from '../fake-api/index.js';
import { readTree, ROOT, SKILL_DIR, tempDir } from './helpers.js';

export const CLAUDE = join(ROOT, 'node_modules', '.bin', 'claude');
/** Per child process; a healthy run takes one to three seconds. */
const CHILD_TIMEOUT_MS = 20_000;

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of every child: a throwaway HOME, the fake API, no telemetry and nothing
 * inherited that steers Claude Code (a developer's CLAUDE_CONFIG_DIR, API keys, model overrides).
 */
export function claudeEnv(home: string, apiUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(ANTHROPIC_|CLAUDE)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    ANTHROPIC_BASE_URL: apiUrl,
    ANTHROPIC_API_KEY: 'test-key',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
  };
}

/** Async on purpose: the fake API lives in this process and must keep answering meanwhile. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} ran over ${CHILD_TIMEOUT_MS} ms\n${stdout}\n${stderr}`));
    }, CHILD_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** `claude -p <prompt>` with Read allowed; Agent needs no permission (bypassPermissions is refused as root). */
export async function claudePrint(prompt: string, extraArgs: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const args = ['-p', prompt, ...extraArgs, '--allowedTools', 'Read', '--no-session-persistence', '--output-format', 'json'];
  const result = await run(CLAUDE, args, env, cwd);
  expect(result.status, `${result.stderr}\n${result.stdout}`).toBe(0);
  const parsed = JSON.parse(result.stdout) as { result?: string; is_error?: boolean };
  expect(parsed.is_error, result.stdout).toBe(false);
  return parsed.result ?? '';
}

/** `claude <args>` for the plugin subcommands; fails the test on a non-zero exit. */
export async function claudeCommand(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const result = await run(CLAUDE, args, env, cwd);
  expect(result.status, `claude ${args.join(' ')}\n${result.stderr}\n${result.stdout}`).toBe(0);
  return result.stdout;
}

// ---------------------------------------------------------------------------------------------
// Reading recorded requests

type Block = { type?: string; text?: string; content?: unknown; tool_use_id?: string; is_error?: boolean; name?: string; input?: unknown };
type Message = { role: string; content: string | Block[] };

export const messagesOf = (req: RecordedRequest): Message[] => req.body?.messages ?? [];
export const blocksOf = (message: Message): Block[] =>
  typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;

/** Plain text of a block or tool_result content, whatever its shape. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map(textOf).join('\n');
  if (content && typeof content === 'object') {
    const block = content as Block;
    if (typeof block.text === 'string') return block.text;
    if (block.content !== undefined) return textOf(block.content);
  }
  return '';
}

/** Every text the conversation carries (messages only, not the system prompt or tool list). */
export const conversationText = (req: RecordedRequest): string =>
  messagesOf(req).flatMap(blocksOf).map(textOf).join('\n');

/** A request of the main conversation: it starts with the slash command. */
export const isMain = (req: RecordedRequest) => conversationText(req).includes('<command-name>');
export const assistantTurns = (req: RecordedRequest) => messagesOf(req).filter((m) => m.role === 'assistant').length;

/** The user-message block holding the loaded skill body. */
export const SKILL_MARKER = 'Base directory for this skill: ';
export function loadedSkill(req: RecordedRequest): { base: string; body: string } | undefined {
  const block = messagesOf(req).flatMap(blocksOf).map(textOf).find((text) => text.startsWith(SKILL_MARKER));
  if (block === undefined) return undefined;
  const newline = block.indexOf('\n');
  return { base: block.slice(SKILL_MARKER.length, newline).trim(), body: block.slice(newline + 1) };
}

/** tool_result blocks of the last user message, by tool_use_id. */
export function toolResults(req: RecordedRequest): Map<string, Block> {
  const last = messagesOf(req).at(-1);
  const results = last ? blocksOf(last).filter((block) => block.type === 'tool_result') : [];
  return new Map(results.map((block) => [block.tool_use_id ?? '', block]));
}

// ---------------------------------------------------------------------------------------------
// The three install routes

export interface Installed {
  /** Extra `claude -p` arguments the route needs. */
  args: string[];
  /** Where Claude Code should say the skill lives ("Base directory for this skill:"). */
  skillDir: string;
}

export interface Route {
  name: string;
  /** The slash command that invokes the skill, and the name Claude Code records for it. */
  command: string;
  /** How the skill is listed in the system prompt. */
  listing: string;
  /** Another spelling the user may type that resolves to the same skill, if any. */
  alias?: string;
  install(home: string, env: NodeJS.ProcessEnv): Promise<Installed>;
}

const marketplaceJson = JSON.parse(readFileSync(join(ROOT, '.claude-plugin', 'marketplace.json'), 'utf8')) as {
  name: string;
  plugins: Array<{ name: string }>;
};
export const MARKETPLACE = marketplaceJson.name;
/** What a GitHub clone of the plugin needs; everything else in the repo is for the CLI. */
const PLUGIN_FILES = ['.claude-plugin', 'skills', 'README.md', 'LICENSE'];

export const ROUTES: Route[] = [
  {
    name: 'install.sh',
    command: '/mythos',
    listing: '- mythos: Use when the user runs /mythos',
    async install(home, env) {
      const result = await run('bash', [join(ROOT, 'install', 'install.sh')], env, home);
      expect(result.status, result.stderr).toBe(0);
      return { args: [], skillDir: join(home, '.claude', 'skills', 'mythos') };
    },
  },
  {
    name: '--plugin-dir',
    command: '/mythos:mythos',
    listing: '- mythos:mythos: Use when the user runs /mythos',
    alias: '/mythos',
    async install() {
      return { args: ['--plugin-dir', ROOT], skillDir: SKILL_DIR };
    },
  },
  {
    name: 'local marketplace',
    command: '/mythos:mythos',
    listing: '- mythos:mythos: Use when the user runs /mythos',
    alias: '/mythos',
    async install(home, env) {
      const clone = tempDir('marketplace');
      for (const part of PLUGIN_FILES) {
        if (existsSync(join(ROOT, part))) cpSync(join(ROOT, part), join(clone, part), { recursive: true });
      }
      const plugin = `${marketplaceJson.plugins[0]?.name}@${MARKETPLACE}`;
      expect(await claudeCommand(['plugin', 'marketplace', 'add', clone], env, home)).toContain(MARKETPLACE);
      expect(await claudeCommand(['plugin', 'install', plugin], env, home)).toContain(plugin);
      const list = JSON.parse(await claudeCommand(['plugin', 'list', '--json'], env, home)) as Array<Record<string, unknown>>;
      expect(list).toEqual([expect.objectContaining({ id: plugin, enabled: true, scope: 'user' })]);
      // A GitHub marketplace loads from the versioned cache, so install must copy the skill intact;
      // a directory marketplace like this one is loaded in place, from the clone itself.
      const skillDir = join(clone, 'skills', 'mythos');
      expect(readTree(join(String(list[0]?.installPath), 'skills', 'mythos'))).toEqual(readTree(skillDir));
      return { args: [], skillDir };
    },
  },
];
