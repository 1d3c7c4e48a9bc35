/**
 * Reading runs back: find a run by id or `last`, summarise it, rebuild its record, and list
 * what collapsed in it (the residue). No model calls.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ReplayCache } from '../core/context.js';
import { UnreadableRunLogError, UsageError } from '../core/errors.js';
import type { RunEvent } from '../core/events.js';
import { runFlags } from '../core/flags.js';
import { lookupModel, type Catalogue } from '../core/models/catalogue.js';
import { costOfCalls } from '../core/models/pricing.js';
import { replayEvents } from '../core/record-reducer.js';
import type { CallRecord, FlagRecord, RunRecord } from '../core/state.js';
import { addUsage, ZERO_USAGE, type ModelReply, type Usage } from '../providers/types.js';
import { listRunIds, readRunLog, runsDir, type LoggedEvent } from './run-log.js';
import { RUN_ID } from './runs-folder.js';
import { checkRunStarts, type StartOptions } from './run-start.js';

export interface LoadedRun {
  id: string;
  path: string;
  events: LoggedEvent[];
  record: RunRecord;
  /** The run.start of the latest attempt (a resume starts a new attempt in the same log). */
  start: Extract<RunEvent, { type: 'run.start' }>;
  /** That run.start's options, checked and typed. */
  options: StartOptions;
  finished: boolean;
}

export function resolveRunId(home: string, idOrLast: string): string {
  if (idOrLast !== 'last' && !RUN_ID.test(idOrLast)) {
    throw new UsageError(`"${idOrLast}" is not a run id (they look like 20261205-115501-ab12) or "last"`, 'list runs with: mythos runs');
  }
  const ids = listRunIds(home);
  if (idOrLast === 'last') {
    if (!ids[0]) throw new UsageError('there are no runs yet', 'ask a question first: mythos <question>');
    return ids[0];
  }
  if (!ids.includes(idOrLast)) throw new UsageError(`no run with id ${idOrLast}`, 'list runs with: mythos runs');
  return idOrLast;
}

export function loadRun(home: string, idOrLast: string): LoadedRun {
  const id = resolveRunId(home, idOrLast);
  const path = join(runsDir(home), `${id}.jsonl`);
  if (!existsSync(path)) throw new UsageError(`no run with id ${id}`, 'list runs with: mythos runs');
  const events = readRunLog(path);
  const options = checkRunStarts(path, events);
  let record: RunRecord | null;
  try {
    record = replayEvents(events.map((e) => e.event));
  } catch (error) {
    // Lines that look like events but do not fit together: someone else's file, or an edited one.
    throw new UnreadableRunLogError(path, `its events do not make a run (${error instanceof Error ? error.message : String(error)})`);
  }
  const starts = events.map((e) => e.event).filter((e): e is Extract<RunEvent, { type: 'run.start' }> => e.type === 'run.start');
  const start = starts.at(-1);
  if (!record || !start || !options || events[0]?.event.type !== 'run.start') throw new UnreadableRunLogError(path, 'it does not begin with a run.start event');
  const lastStart = events.map((e) => e.event).lastIndexOf(start);
  const finished = events.slice(lastStart).some((e) => e.event.type === 'run.end');
  return { id, path, events, record, start, options, finished };
}

export function usageOf(record: RunRecord): Usage {
  return record.calls.reduce((sum, call) => addUsage(sum, call.usage), ZERO_USAGE);
}

export interface RunSummary {
  id: string;
  at: string;
  mode: string;
  question: string;
  stopReason: string;
  calls: number;
  tokens: number;
  costUsd: number | null;
}

/** A run's list-price cost as the catalogue knows it, at the prices of the day it ran. */
export function runCost(run: LoadedRun, catalogue: Catalogue): number | null {
  const model = { id: run.record.model, entry: lookupModel(catalogue, run.record.model) };
  const at = new Date(run.events[0]?.at ?? Date.now());
  return costOfCalls(model, run.record.calls, Number.isNaN(at.getTime()) ? new Date() : at);
}

export function summarize(run: LoadedRun, catalogue: Catalogue): RunSummary {
  const usage = usageOf(run.record);
  return {
    id: run.id,
    at: run.events[0]?.at ?? '',
    mode: run.record.mode,
    question: run.record.question,
    stopReason: run.record.stopReason ?? (run.start.options.dryRun ? 'dry-run' : run.finished ? 'unknown' : 'unfinished'),
    calls: run.record.calls.length,
    tokens: usage.input + usage.output + usage.cacheRead + usage.cacheWrite,
    costUsd: runCost(run, catalogue),
  };
}

/** Completed calls of every attempt, by request hash, for `resume` to serve without the model. */
export function replayCacheFrom(events: readonly LoggedEvent[]): ReplayCache {
  const cache: ReplayCache = new Map();
  for (const { event } of events) {
    // A failed call has no reply to serve; a replayed one is a copy of a call logged earlier.
    if (event.type !== 'call' || event.call.failed !== undefined || event.call.replayed) continue;
    const reply: ModelReply<unknown> = {
      value: event.value, text: '', usage: event.call.usage, stopReason: null, model: '', latencyMs: 0, attempts: 0,
    };
    cache.set(event.call.requestHash, [...(cache.get(event.call.requestHash) ?? []), reply]);
  }
  return cache;
}

/** Calls of earlier attempts that failed after being billed: a resumed run counts them as spent. */
export function failedCallsFrom(events: readonly LoggedEvent[]): CallRecord[] {
  return events.flatMap(({ event }) => (event.type === 'call' && event.call.failed !== undefined && !event.call.replayed ? [event.call] : []));
}

export interface Residue {
  id: string;
  stopReason: string | null;
  stopDetail: string | null;
  discarded: Array<{ round: number; lens: string; insight: string; why: string; judgedBy: string; verdict: string | null }>;
  skipped: Array<{ lens: string; why: string }>;
  flags: FlagRecord[];
  failedSubagents: Array<{ letter: string; lens: string; error: string }>;
  tensions: string[];
}

/** What collapsed in a run: everything the answer does not show. */
export function residueOf(run: LoadedRun): Residue {
  const record = run.record;
  return {
    id: run.id,
    stopReason: record.stopReason ?? (run.finished ? null : 'interrupted'),
    stopDetail: record.stopDetail,
    discarded: record.rounds
      .filter((r) => !r.decision.keep)
      .map((r) => ({ round: r.index, lens: r.lens, insight: r.reply.new_insight, why: r.decision.why, judgedBy: r.judgedBy, verdict: r.judge?.verdict ?? null })),
    skipped: record.skipped.map((s) => ({ lens: s.lens, why: s.why })),
    flags: runFlags(record),
    failedSubagents: record.subagents.filter((s) => s.error !== null).map((s) => ({ letter: s.letter, lens: s.lens, error: s.error ?? '' })),
    tensions: record.merge?.reply?.tensions ?? [],
  };
}

export function renderResidue(residue: Residue): string {
  const lines = [`# Residue of run ${residue.id}`, '', `**Stop:** ${residue.stopReason ?? 'unknown'}${residue.stopDetail ? ` (${residue.stopDetail})` : ''}`, ''];
  const section = (title: string, items: string[]) => lines.push(`## ${title}`, ...(items.length ? items : ['- none']), '');
  section('Discarded rounds', residue.discarded.map((d) => `- round ${d.round} (${d.lens}): "${d.insight}" (${d.why}; judged by ${d.judgedBy}${d.verdict ? `, verdict ${d.verdict}` : ''})`));
  section('Skipped applications', residue.skipped.map((s) => `- ${s.lens} (second application): ${s.why}`));
  section('Flags', residue.flags.map((f) => `- ${f.flag}${f.round !== undefined ? ` (round ${f.round})` : ''}${f.subagent ? ` (subagent ${f.subagent})` : ''}: ${f.evidence}`));
  section('Failed subagents', residue.failedSubagents.map((s) => `- ${s.letter} (${s.lens}): ${s.error}`));
  section('Unresolved tensions', residue.tensions.map((t) => `- ${t}`));
  return `${lines.join('\n').trimEnd()}\n`;
}
