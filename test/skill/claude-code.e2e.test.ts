/**
 * The skill inside the real Claude Code binary, installed by each route a user can take
 * (install.sh, --plugin-dir, a local marketplace), talking to the local fake Messages API.
 * The recorded request bodies show what Claude Code really sends the model: the skill body with
 * its arguments and ${CLAUDE_SKILL_DIR} substituted, and every reference file the body names,
 * read back through a scripted Read call from the skill's base directory.
 * Parallel subagents are in claude-code-agents.e2e.test.ts.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import matter from 'gray-matter';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, textReply, toolUseReply, type FakeApi, type FakeReply, type RecordedRequest } from '../fake-api/index.js';
import {
  assistantTurns, blocksOf, claudeEnv, claudePrint, conversationText, isMain, loadedSkill, messagesOf, ROUTES, textOf,
  toolResults, type Route,
} from './claude-code-harness.js';
import { SKILL_DIR, tempDir } from './helpers.js';

const ARGS = 'trace Should we adopt Conventional Commits?';
const ANSWER = '## Answer\nAdopt them where a changelog is generated from history.\n\n---\n*Depth: 0 rounds. Mode: direct.*';
const skillText = readFileSync(join(SKILL_DIR, 'SKILL.md'), 'utf8');
/** The reference files SKILL.md names through ${CLAUDE_SKILL_DIR}, in order of first mention. */
const NAMED = [...new Set([...skillText.matchAll(/\$\{CLAUDE_SKILL_DIR\}\/references\/([\w.-]+\.md)/g)].map((m) => m[1] ?? ''))];
const firstHeading = (name: string) =>
  readFileSync(join(SKILL_DIR, 'references', name), 'utf8').split('\n').find((line) => line.startsWith('# ')) ?? '';

/** The body Claude Code should send: SKILL.md without frontmatter, both variables substituted. */
const expectedBody = (skillDir: string) =>
  matter(skillText, {}).content.replaceAll('$ARGUMENTS', ARGS).replaceAll('${CLAUDE_SKILL_DIR}', skillDir);

const open: FakeApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});

async function fakeApi(responder: (req: RecordedRequest) => FakeReply): Promise<FakeApi> {
  const api = await startFakeApi({ responder });
  open.push(api);
  return api;
}

/** The scripted model: Read every references/*.md path the loaded body names, then answer. */
function readEveryReference(req: RecordedRequest): FakeReply {
  if (!isMain(req)) return textReply('ok');
  const paths = [...new Set(loadedSkill(req)?.body.match(/[^\s`'"()]+\/references\/[\w.-]+\.md/g) ?? [])];
  if (assistantTurns(req) > 0 || paths.length === 0) return textReply(ANSWER);
  return toolUseReply(paths.map((path) => ({ name: 'Read', input: { file_path: path } })));
}

/** Read calls of the last assistant message, as file path → tool_use id. */
function readCalls(req: RecordedRequest): Map<string, string> {
  const assistant = messagesOf(req).filter((m) => m.role === 'assistant').at(-1);
  const calls = assistant ? blocksOf(assistant).filter((block) => block.type === 'tool_use' && block.name === 'Read') : [];
  return new Map(calls.map((call) => [String((call.input as { file_path?: string }).file_path), String((call as { id?: string }).id)]));
}

/** The one assertion routine every route goes through. */
async function expectSkillWorks(route: Route): Promise<void> {
  const home = tempDir('cc-home');
  const api = await fakeApi(readEveryReference);
  const env = claudeEnv(home, api.url);
  const { args, skillDir } = await route.install(home, env);

  expect(await claudePrint(`${route.command} ${ARGS}`, args, env, home)).toBe(ANSWER);
  const main = api.requests.filter(isMain);
  expect(main).toHaveLength(2);
  const [first, second] = main as [RecordedRequest, RecordedRequest];

  // Listed with its description, invoked under the route's name with the raw arguments.
  const conversation = conversationText(first);
  expect(conversation).toContain(route.listing);
  expect(conversation).toContain(`<command-name>${route.command}</command-name>`);
  expect(conversation).toContain(`<command-args>${ARGS}</command-args>`);

  // The whole body arrived, from the route's install folder, with both variables substituted.
  const loaded = loadedSkill(first);
  expect(loaded, 'no "Base directory for this skill:" block').toBeDefined();
  const { base, body } = loaded!;
  expect(realpathSync(base)).toBe(realpathSync(skillDir));
  expect(body).toContain('# Mythos: recurrent-depth reasoning');
  expect(body).toContain(`\`\`\`\n${ARGS}\n\`\`\``);
  expect(body).not.toContain('$ARGUMENTS');
  expect(body).not.toContain('${CLAUDE_SKILL_DIR}');
  expect(body.trim()).toBe(expectedBody(base).trim());

  // Every named reference was read from the base directory and came back with its content.
  expect(NAMED.length).toBeGreaterThan(0);
  const calls = readCalls(second);
  expect([...calls.keys()].sort()).toEqual(NAMED.map((name) => `${base}/references/${name}`).sort());
  const results = toolResults(second);
  for (const name of NAMED) {
    const result = results.get(calls.get(`${base}/references/${name}`) ?? '');
    expect(result, name).toBeDefined();
    expect(result?.is_error, name).toBeFalsy();
    const text = textOf(result?.content);
    expect(text.trim(), name).not.toBe('');
    expect(text, name).toContain(firstHeading(name));
  }

  // The short spelling resolves to the same skill when no other skill claims it.
  if (route.alias) {
    const again = await fakeApi(() => textReply('ok'));
    const aliasEnv = claudeEnv(home, again.url);
    expect(await claudePrint(`${route.alias} ${ARGS}`, args, aliasEnv, home)).toBe('ok');
    const request = again.requests.find(isMain);
    expect(request && conversationText(request)).toContain(`<command-name>${route.command}</command-name>`);
    expect(request && loadedSkill(request)?.base).toBe(base);
  }
}

describe.each(ROUTES)('the skill installed by $name, in Claude Code', (route) => {
  it(`${route.name}: ${route.command} ${ARGS}: the body, the raw arguments and every named reference reach the model`, async () => {
    await expectSkillWorks(route);
  }, 30_000);
});
