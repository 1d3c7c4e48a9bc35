/**
 * Agent mode is executable in Claude Code: one assistant message with three `Agent` calls, each
 * prompt built from the skill's own Subagent template, makes Claude Code run three fresh subagents
 * side by side, and the conversation goes on only once all three have returned.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadReferences } from '../../src/core/prompts/reference-files.js';
import { PromptBuilder } from '../../src/core/prompts/build-prompts.js';
import type { LensName } from '../../src/core/schemas.js';
import { startFakeApi, textReply, toolUseReply, type FakeApi, type FakeReply, type RecordedRequest } from '../fake-api/index.js';
import {
  assistantTurns, blocksOf, claudeEnv, claudePrint, conversationText, isMain, messagesOf, ROUTES, SKILL_MARKER, textOf,
  toolResults,
} from './claude-code-harness.js';
import { tempDir } from './helpers.js';

const QUESTION = 'Should we adopt Conventional Commits?';
const ARGS = `deep ${QUESTION}`;
const LENSES: LensName[] = ['Clarify', 'Challenge', 'Steelman'];
const DISPATCH = `[Dispatching ${LENSES.length} parallel subagents: ${LENSES.join(', ')}]`;
/** How long each subagent's reply takes: long enough that sequential runs could not overlap. */
const SUBAGENT_DELAY_MS = 1_000;
const PRELUDE = [
  'Restated question: should this team require Conventional Commits messages?',
  'Not in scope: which commit linter to use.',
  'Primary drivers: Trade-offs',
  'Success criterion: a yes or no with the condition that would flip it.',
].join('\n');
const ANSWER = '## Answer\nAdopt them if the changelog is generated from history.\n\n---\n*Depth: 3 parallel subagents merged. Mode: agent.*';

const lensTag = (lens: string) => `<lens name="${lens}">`;
const finding = (lens: string) => `Finding: the ${lens} analyst's independent finding. Confidence: medium. Stance: adopt.`;
/** The lens a subagent request works on, from the prompt it was given. */
const lensOf = (req: RecordedRequest) => LENSES.find((lens) => conversationText(req).includes(lensTag(lens)));

const open: FakeApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});

describe('agent mode in Claude Code', () => {
  it('runs three Agent calls from one message in parallel, isolated, and waits for all of them', async () => {
    const route = ROUTES.find((r) => r.name === '--plugin-dir')!;
    const home = tempDir('cc-home');
    let prompts: Record<string, string> = {};

    /** The scripted model: dispatch all subagents in one message, then answer. */
    const responder = (req: RecordedRequest): FakeReply => {
      if (isMain(req)) {
        if (assistantTurns(req) > 0) return textReply(ANSWER);
        const calls = LENSES.map((lens) => ({ name: 'Agent', input: { description: `${lens} lens`, prompt: prompts[lens] } }));
        return toolUseReply(calls, DISPATCH);
      }
      const lens = lensOf(req);
      return textReply(lens ? finding(lens) : 'ok', { delayMs: lens ? SUBAGENT_DELAY_MS : 0 });
    };
    const api = await startFakeApi({ responder });
    open.push(api);
    const env = claudeEnv(home, api.url);
    const { args, skillDir } = await route.install(home, env);

    // Prompts built as the skill says: its Subagent template, filled from its own references.
    const build = new PromptBuilder(loadReferences(join(skillDir, 'references')));
    prompts = Object.fromEntries(LENSES.map((lens) => [lens, build.fill('Subagent', {
      question: QUESTION, prelude: PRELUDE, lens, lens_brief: build.lensBrief(lens), application: build.application(lens, 1),
    })]));

    expect(await claudePrint(`${route.command} ${ARGS}`, args, env, home)).toBe(ANSWER);

    // One subagent per Agent call, each started from exactly the prompt it was given.
    const subagents = api.requests.filter((req) => !isMain(req) && lensOf(req) !== undefined);
    expect(subagents.map(lensOf).sort()).toEqual([...LENSES].sort());
    for (const sub of subagents) {
      const lens = lensOf(sub)!;
      const seen = conversationText(sub);
      expect(seen, lens).toContain(prompts[lens]);
      expect(seen, lens).toContain(`<question>\n${QUESTION}\n</question>`);
      // None of the parent's conversation, and none of the other subagents' prompts.
      for (const parent of ['<command-name>', SKILL_MARKER, '# Mythos: recurrent-depth reasoning', DISPATCH, ARGS]) {
        expect(seen, `${lens} saw ${parent}`).not.toContain(parent);
      }
      for (const other of LENSES.filter((l) => l !== lens)) expect(seen, `${lens} saw ${other}`).not.toContain(lensTag(other));
      expect(messagesOf(sub).filter((m) => m.role === 'assistant')).toEqual([]);
    }

    // Side by side: every subagent request arrived before any of them was answered.
    const lastStart = Math.max(...subagents.map((req) => req.startedAt));
    const firstEnd = Math.min(...subagents.map((req) => req.endedAt));
    expect(lastStart).toBeLessThan(firstEnd);

    // The parent went on only after all three returned, and got each finding back.
    const main = api.requests.filter(isMain);
    expect(main).toHaveLength(2);
    const [dispatch, merge] = main as [RecordedRequest, RecordedRequest];
    expect(merge.startedAt).toBeGreaterThanOrEqual(Math.max(...subagents.map((req) => req.endedAt)));
    const assistant = messagesOf(merge).filter((m) => m.role === 'assistant');
    expect(assistant).toHaveLength(1);
    const calls = blocksOf(assistant[0]!).filter((block) => block.type === 'tool_use');
    expect(calls.map((call) => call.name)).toEqual(LENSES.map(() => 'Agent'));
    const results = toolResults(merge);
    expect(results.size).toBe(LENSES.length);
    for (const [index, lens] of LENSES.entries()) {
      const result = results.get(String((calls[index] as { id?: string }).id));
      expect(result?.is_error, lens).toBeFalsy();
      expect(textOf(result?.content), lens).toContain(finding(lens));
    }
    expect(dispatch.startedAt).toBeLessThan(lastStart);
  }, 30_000);
});
