/**
 * Rebuilds a run's record from its events. The terminal sink uses it live, and `mythos show`,
 * `residue` and `resume` use it on a log read back from disk: one way to know what happened.
 */
import type { RunEvent } from './events.js';
import { emptyRun, markDivergent, type RunRecord } from './state.js';

export function applyEvent(record: RunRecord | null, event: RunEvent): RunRecord | null {
  if (event.type === 'run.start') return emptyRun(event.runId, event.question, event.model, 'silent');
  if (event.type === 'run.end') return structuredClone(event.record);
  if (!record) return record;
  switch (event.type) {
    case 'prelude':
      record.prelude = event.prelude;
      record.mode = event.prelude.routing.mode;
      break;
    case 're-prelude':
      record.rePrelude = event.rePrelude;
      break;
    case 'round':
      record.rounds.push(event.round);
      break;
    case 'round.skipped':
      record.skipped.push(event.skipped);
      break;
    case 'subagent':
      record.subagents = [...record.subagents.filter((s) => s.letter !== event.subagent.letter), event.subagent]
        // Letters are plain ASCII; localeCompare would load ICU collation (~10 ms) mid-dispatch.
        .sort((a, b) => (a.letter < b.letter ? -1 : a.letter > b.letter ? 1 : 0));
      break;
    case 'merge':
      record.merge = event.merge;
      markDivergent(record.subagents, event.merge);
      break;
    case 'fallback':
      record.fallback = event.note;
      record.carried = event.carried ?? null;
      record.prelude = event.prelude;
      record.mode = event.prelude.routing.mode;
      break;
    case 'escalation':
      record.escalatedAfter = event.afterRound;
      break;
    case 'flag':
      record.flags.push({
        flag: event.flag, evidence: event.evidence,
        ...(event.round !== undefined ? { round: event.round } : {}),
        ...(event.subagent !== undefined ? { subagent: event.subagent } : {}),
      });
      break;
    case 'cross-check':
      record.crossCheck = event.crossCheck;
      break;
    case 'coda':
      record.coda = event.coda;
      record.answer = event.coda.answer;
      break;
    case 'stop':
      record.stopReason = event.reason;
      record.stopDetail = event.detail;
      break;
    case 'call':
      record.calls.push(event.call);
      break;
    default:
      break;
  }
  return record;
}

export function replayEvents(events: readonly RunEvent[]): RunRecord | null {
  let record: RunRecord | null = null;
  for (const event of events) record = applyEvent(record, event);
  return record;
}
