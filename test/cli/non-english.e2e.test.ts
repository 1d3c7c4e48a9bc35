/**
 * Halting holds in other languages: the built CLI, a question and round replies in Japanese,
 * Chinese, German and Arabic. The run goes past round 1, an echo in the same words is caught
 * without the judge, a near-repeat with a word changed is the judge's to name, and the transcript
 * passes `mythos check`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { failingChecks } from '../helpers/check-output.js';
import { codaReply, judgeReply, mythosResponder, preludeReply, promptsFor, roundReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

interface Case {
  language: string;
  question: string;
  /** Round 1, round 2, and round 3 saying round 2 again with a mark or a word changed. */
  rounds: [string, string, string];
  /** Round 3 differs from round 2 only in marks: code settles it; otherwise the judge does. */
  sameWords: boolean;
  answer: string;
}

const CASES: Case[] = [
  {
    language: 'Japanese',
    question: '1000万人が使う読み取り中心のAPIに、どんなキャッシュ戦略を設計すべきか?',
    rounds: [
      'キャッシュの一斉失効がデータベースへの殺到を引き起こす。',
      '書き込みの多い経路ではキャッシュを使わない方がよい。',
      '書き込みの多い経路では、キャッシュを使わない方がよい!',
    ],
    sameWords: true,
    answer: '読み取り経路に二層のキャッシュを置き、失効時刻をずらす。',
  },
  {
    language: 'Chinese',
    question: '为一个服务一千万用户、以读为主的API设计缓存策略。',
    rounds: ['缓存同时失效会导致数据库过载。', '热点键应该使用随机过期时间来分散刷新。', '热点键应该使用随机的过期时间来分散刷新！'],
    sameWords: false,
    answer: '使用两级缓存，并为过期时间加入随机抖动。',
  },
  {
    language: 'German',
    question: 'Welche Caching-Strategie passt zu einer leselastigen API mit zehn Millionen Nutzern?',
    rounds: [
      'Gleichzeitig ablaufende Schlüssel überlasten die Datenbank.',
      'Zufällige Ablaufzeiten verteilen die Last auf mehrere Minuten.',
      'Zufällige Ablaufzeiten verteilen die Last über mehrere Minuten.',
    ],
    sameWords: false,
    answer: 'Zwei Cache-Ebenen mit gestreuten Ablaufzeiten.',
  },
  {
    language: 'Arabic',
    question: 'ما استراتيجية التخزين المؤقت المناسبة لواجهة برمجية يغلب عليها القراءة وتخدم عشرة ملايين مستخدم؟',
    rounds: [
      'انتهاء صلاحية المفاتيح معًا يضغط على قاعدة البيانات.',
      'توزيع أوقات الانتهاء عشوائيًا يخفف الحمل على الخادم.',
      'توزيع أوقات الانتهاء عشوائيًا يخفف الحمل على الخادم!',
    ],
    sameWords: true,
    answer: 'استخدم طبقتين من التخزين المؤقت مع أوقات انتهاء موزعة.',
  },
];

describe.each(CASES)('a question in $language', (c) => {
  it('runs past round 1, catches the echo at Challenge, and passes mythos check', async () => {
    const responder = mythosResponder({
      prelude: preludeReply({ score: 3, drivers: ['Trade-offs'], restated: c.question }),
      rounds: c.rounds.map((insight) => roundReply(insight)),
      coda: codaReply(c.answer, [c.rounds[1]]),
      // Asked about round 3 only when its words differ: the judge names round 2.
      judge: (index) => (index === 3 ? judgeReply('trivial', { repeats_round: 2 }) : judgeReply()),
    });
    api = await startFakeApi({ responder });
    const home = tempHome();
    const result = await runCli(['trace', c.question], { env: cliEnv(api.url, { MYTHOS_HOME: home }) });
    expect(result.code).toBe(0);
    // Rounds 1 and 2 are judged; round 3 repeats round 2: in the same words code discards it unasked.
    const third = c.sameWords ? ['round'] : ['round', 'judge'];
    expect(responder.steps).toEqual(['prelude', 'round', 'judge', 'round', 'judge', ...third, 'coda', 'cross-check']);
    expect(result.stdout).toContain(`### Round 1: Clarify\n**New insight:** ${c.rounds[0]}\n`);
    expect(result.stdout).toContain(`### Round 2: Deepen\n**Insight chain:** R1: ${c.rounds[0]}\n**New insight:** ${c.rounds[1]}\n`);
    expect(result.stdout).toContain('### Round 3: Challenge\n');
    expect(result.stdout).toContain('**New insight:** (discarded: repeats round 2)\n');
    expect(result.stdout).not.toContain(c.rounds[2]);
    expect(result.stdout).toContain('*Depth: 3 rounds, converged at round 2. Mode: trace.*');
    expect(failingChecks(result.stdout)).toEqual([]);
    // The question goes back, verbatim, into every round.
    for (const prompt of promptsFor(api.requests, responder.steps, 'round')) expect(prompt).toContain(`<question>\n${c.question}\n</question>`);
    const runs = join(home, 'runs');
    const events = readFileSync(join(runs, readdirSync(runs)[0]!), 'utf8').trim().split('\n').map((line) => JSON.parse(line).event);
    const round3 = events.filter((e) => e.type === 'round')[2].round;
    expect(round3.decision).toMatchObject({ keep: false, halt: 'converged:no-delta', flags: ['ECHO'], echo: { of: 2 } });
    expect(round3.judgedBy).toBe(c.sameWords ? 'none' : 'judge-call');
    expect(round3.decision.echo.score).toBeGreaterThanOrEqual(0.8);
  });
});
