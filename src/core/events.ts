/**
 * Everything a run reports as it happens. The CLI's sinks (text, JSON, NDJSON) and the run log
 * subscribe to the same stream, so what is shown and what is logged cannot disagree.
 */
import type { Flag, StopReason } from './outcomes.js';
import type { CodaReply, DirectCodaReply, LensName, Mode } from './schemas.js';
import type {
  CallRecord, CarriedFinding, CrossCheckRecord, MergeRecord, PreludeRecord, RePreludeRecord, RoundRecord, RunRecord, SkippedRound,
  SubagentRecord,
} from './state.js';
import type { Usage } from '../providers/types.js';

export type RunEvent =
  | { type: 'run.start'; runId: string; question: string; model: string; options: Record<string, unknown> }
  | { type: 'stage'; stage: 'prelude' | 'recurrent' | 'agent' | 'merge' | 'coda'; label: string }
  | { type: 'call.start'; step: CallRecord['step']; label: string; requestHash: string }
  | { type: 'call'; call: CallRecord; value: unknown }
  | { type: 'prelude'; prelude: PreludeRecord }
  | { type: 're-prelude'; rePrelude: RePreludeRecord }
  | { type: 'round'; round: RoundRecord }
  | { type: 'round.skipped'; skipped: SkippedRound }
  | { type: 'dispatch'; lenses: LensName[] }
  | { type: 'subagent'; subagent: SubagentRecord }
  | { type: 'merge'; merge: MergeRecord }
  | { type: 'fallback'; note: string; prelude: PreludeRecord; carried?: CarriedFinding | null }
  | { type: 'escalation'; afterRound: number }
  | { type: 'flag'; flag: Flag; evidence: string; round?: number; subagent?: string }
  | { type: 'coda.delta'; text: string }
  | { type: 'coda.restart' }
  | { type: 'cross-check'; crossCheck: CrossCheckRecord }
  | { type: 'coda'; coda: CodaReply | DirectCodaReply; markdown: string }
  | { type: 'stop'; reason: StopReason; detail: string }
  | { type: 'run.end'; mode: Mode; usage: Usage; costUsd: number | null; record: RunRecord }
  | { type: 'run.error'; message: string; exitCode: number; hint?: string };

export type EventListener = (event: RunEvent) => void;

/**
 * Fans one event out to every listener, in order. The run log's listener never throws: a write
 * that fails stops the run through its abort signal (a stage that tolerates a failed call must not
 * swallow it and go on paying).
 */
export class EventBus {
  private readonly listeners: EventListener[] = [];

  on(listener: EventListener): void {
    this.listeners.push(listener);
  }

  emit(event: RunEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
