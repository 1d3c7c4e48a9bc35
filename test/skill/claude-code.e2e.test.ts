/**
 * The installed skill inside the real Claude Code binary, talking to the local fake Messages API.
 * The scripted model reads each reference file through the path the skill names and dispatches
 * two subagents in one message, so the test observes what Claude Code really does with the skill:
 * argument and ${CLAUDE_SKILL_DIR} substitution, readable references, isolated parallel subagents.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, textReply, toolUseReply, type FakeApi, type FakeReply, type RecordedRequest } from '../fake-api/index.js';
import { ROOT, tempDir } from './helpers.js';

const CLAUDE = join(ROOT, 'node_modules', '.bin', 'claude');
const REFERENCES = ['lenses.md', 'prompt-templates.md', 'agent-blueprint.md'];
const QUESTION = 'trace Should I use SQLite or PostgreSQL for a desktop app?';
const PROBE = 'SUBAGENT-PROBE';

const open: FakeApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});

const messagesOf = (req: RecordedRequest): Array<{ role: string; content: unknown }> => req.body?.messages ?? [];
const isMain = (req: RecordedRequest) => JSON.stringify(messagesOf(req)).includes('Base directory for this skill');
const isSubagent = (req: RecordedRequest) => !isMain(req) && JSON.stringify(messagesOf(req)).includes(PROBE);

/** The scripted model: read every reference, dispatch two subagents at once, then answer. */
function responder(req: RecordedRequest): FakeReply {
  if (isSubagent(req)) return textReply('Independent finding: the probe ran.', { delayMs: 400 });
  if (!isMain(req)) return textReply('ok');
  const turns = messagesOf(req).filter((m) => m.role === 'assistant').length;
  const base = JSON.stringify(messagesOf(req)).match(/Base directory for this skill: ([^\\"]+)/)?.[1]?.trim() ?? '';
  if (turns === 0) {
    return toolUseReply(REFERENCES.map((name) => ({ name: 'Read', input: { file_path: `${base}/references/${name}` } })));
  }
  if (turns === 1) {
    return toolUseReply(['Clarify', 'Challenge'].map((lens) => ({
      name: 'Agent',
      input: { description: `${lens} lens`, prompt: `${PROBE} Apply the ${lens} lens and report one finding.` },
    })));
  }
  return textReply('## Answer\nUse SQLite.\n\n---\n*Depth: 0 rounds. Mode: direct.*');
}

describe('the installed skill in Claude Code', () => {
  it('loads, substitutes its arguments and paths, reads every reference, and fans out isolated subagents', async () => {
    const home = tempDir('cc-home');
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
    delete env.CLAUDE_CONFIG_DIR;
    expect(spawnSync('bash', [join(ROOT, 'install', 'install.sh')], { env, encoding: 'utf8' }).status).toBe(0);
    const skillDir = join(home, '.claude', 'skills', 'mythos');

    const api = await startFakeApi({ responder });
    open.push(api);
    const child = spawn(CLAUDE, ['-p', `/mythos ${QUESTION}`, '--allowedTools', 'Read', '--no-session-persistence', '--output-format', 'json'], {
      cwd: home,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, ANTHROPIC_BASE_URL: api.url, ANTHROPIC_API_KEY: 'test-key', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_TELEMETRY: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status, stderr).toBe(0);
    expect(JSON.parse(stdout).result).toContain('## Answer');

    const main = api.requests.filter(isMain);
    const first = JSON.stringify(messagesOf(main[0]!));
    // The skill is listed with its description, and /mythos expands its body.
    expect(JSON.stringify(main[0]!.body)).toContain('- mythos: Use when the user runs /mythos');
    expect(first).toContain(`Base directory for this skill: ${skillDir}`);
    expect(first).toContain('# Mythos: recurrent-depth reasoning');
    // $ARGUMENTS arrives raw (keyword included); ${CLAUDE_SKILL_DIR} becomes the install path.
    expect(first).toContain(`\`\`\`\\n${QUESTION}\\n\`\`\``);
    expect(first).not.toContain('$ARGUMENTS');
    expect(first).not.toContain('${CLAUDE_SKILL_DIR}');
    for (const name of REFERENCES) expect(first).toContain(`${skillDir}/references/${name}`);

    // Every reference file was readable from the path the skill gave.
    const results = messagesOf(main[1]!).flatMap((m) => (Array.isArray(m.content) ? m.content : []))
      .filter((block: { type?: string }) => block.type === 'tool_result') as Array<{ content: unknown; is_error?: boolean }>;
    expect(results).toHaveLength(3);
    expect(results.filter((result) => result.is_error)).toEqual([]);
    const read = results.map((result) => JSON.stringify(result.content));
    for (const kind of ['kind: lenses', 'kind: prompt-templates', 'kind: agent-blueprint']) {
      expect(read.some((text) => text.includes(kind)), kind).toBe(true);
    }

    // Two Agent calls in one message ran side by side, and neither saw the conversation.
    const subagents = api.requests.filter(isSubagent);
    expect(subagents).toHaveLength(2);
    const [a, b] = subagents as [RecordedRequest, RecordedRequest];
    expect(a.startedAt).toBeLessThan(b.endedAt);
    expect(b.startedAt).toBeLessThan(a.endedAt);
    for (const sub of subagents) {
      const seen = JSON.stringify(messagesOf(sub));
      expect(seen).not.toContain('Base directory for this skill');
      expect(seen).not.toContain('SQLite or PostgreSQL');
    }
  });
});
