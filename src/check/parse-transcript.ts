/**
 * Reads a /mythos transcript (as printed by the skill in Claude Code or by the CLI) into a plain
 * structure. Lenient about what surrounds the output (preamble text, CRLF, trailing spaces,
 * `**Label**:` vs `**Label:**`, `—` vs `:` in headings); it records what it sees and leaves
 * judging to the checks.
 */
import { FIELD_LABEL, FIELD_SEPARATOR, maskCode } from '../core/format/fields.js';
import { FOOTER_GRAMMAR, footerCount, type FooterUnit } from '../core/format/footers.js';
import { canonicalLens, bareLensText, type LensName } from './vocabulary.js';

/** Field labels are normalised: lower case, single spaces (`**New insight:**` → `new insight`). */
export type Fields = Record<string, string>;

export interface Footer {
  /** The depth line without its italics. */
  line: string;
  /** The mode word as written, lower-cased (may be outside the four modes). */
  mode: string;
  /** The text between `Depth:` and `. Mode:`. */
  depthText: string;
  depth: number | null;
  unit: 'rounds' | 'latent-passes' | 'parallel-subagents' | null;
  stop: { kind: 'converged' | 'stopped'; round: number; reason: string | null } | null;
  /** The count as written (`1 rounds`) and as the grammar wants it (`1 round`); null when unread. */
  count: { written: string; expected: string } | null;
  /** Lens path entries (silent); `Clarify ×2` counts twice. Null when no `Lens path:`. */
  lensPath: string[] | null;
}

export interface Prelude {
  /** N of `(re-Prelude after Round N)`, null for the opening Prelude. */
  reAfter: number | null;
  /** How many rounds precede this Prelude in the transcript. */
  roundsBefore: number;
  fields: Fields;
}

export interface Round {
  number: number;
  /** Canonical lens when known, else the bare heading text. */
  lens: string;
  lensKnown: boolean;
  heading: string;
  fields: Fields;
  /** Round numbers named in the insight chain (`R1`, `R2 (Deepen)`, …); null when no chain. */
  chain: number[] | null;
}

export interface Dispatch {
  line: string;
  count: number;
  lenses: string[];
}

export interface Subagent {
  letter: string;
  lens: string;
  lensKnown: boolean;
  heading: string;
  fields: Fields;
}

export interface ParsedTranscript {
  footer: Footer | null;
  loadBearing: string | null;
  /** Other italic lines after the footer (escalation notes and the like). */
  notes: string[];
  preludes: Prelude[];
  rounds: Round[];
  dispatch: Dispatch | null;
  subagents: Subagent[];
  merge: { fields: Fields } | null;
  answer: { present: boolean; text: string };
}

type Section =
  | { kind: 'none' }
  | { kind: 'fields'; fields: Fields };

const HEADING = /^#{1,4}\s+(.+?)\s*#*$/;
const PRELUDE = /^Prelude(?:\s*\(\s*re-?Prelude\s+after\s+Round\s+(\d+)\s*\))?$/i;
const ROUND = /^Round\s+(\d+)\s*(?::|—|–|-)\s*(.+)$/i;
const SUBAGENT = /^Subagent\s+([A-Z])\s*(?:—|–|-|:)\s*(.+)$/;
const DISPATCH = /^\[?\s*Dispatching\s+(\d+)\s+parallel\s+subagents?\s*:\s*(.*?)\s*\]?\.?$/i;
const LOAD_BEARING = /^Load-bearing assumptions?:\s*(.*)$/i;
const CHAIN_ENTRY = /(?<![A-Za-z0-9])R(\d+)(?:\s*\([^)]*\))?\s*[:—–-]/g;

/** Drops one level of italics/bold/backticks wrapped around a whole line. */
function unwrap(line: string): string {
  const m = /^([*_`]+)(.*?)([*_`]+)$/.exec(line.trim());
  return (m ? m[2] ?? '' : line).trim();
}

function normaliseLabel(label: string): string {
  return label.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * The bold-labelled fields on one line, or null when the line does not open with a label. A
 * later label on the line counts only after a ` | ` (as in the Prelude's `**Q:** … | **Not:** …`);
 * anywhere else, and inside backticks, bold text ending in a colon is part of the value.
 */
function labelledFields(line: string): Array<[string, string]> | null {
  const text = line.replace(/^[-*+]\s+(?=\*\*)/, '');
  const masked = maskCode(text);
  const matches = [...masked.matchAll(FIELD_LABEL)]
    .filter((m, i) => i === 0 || masked.slice(0, m.index).trimEnd().endsWith(FIELD_SEPARATOR));
  if (matches.length === 0 || matches[0]?.index !== 0) return null;
  return matches.map((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = matches[i + 1]?.index ?? text.length;
    const value = text.slice(start, end).trim().replace(/\s*\|$/, '').trim();
    return [normaliseLabel(m[1] ?? ''), value];
  });
}

export function parseFooter(line: string): Footer | null {
  const m = FOOTER_GRAMMAR.line.exec(unwrap(line));
  if (!m) return null;
  const depthText = (m[1] ?? '').trim();
  const footer: Footer = {
    line: unwrap(line),
    mode: (m[2] ?? '').toLowerCase(),
    depthText,
    depth: null,
    unit: null,
    stop: null,
    count: null,
    lensPath: m[3] === undefined ? null : parseLensPath(m[3]),
  };
  const rounds = FOOTER_GRAMMAR.rounds.exec(depthText);
  const latent = FOOTER_GRAMMAR.latentPasses.exec(depthText);
  const agents = FOOTER_GRAMMAR.subagents.exec(depthText);
  const read = (m: RegExpExecArray, unit: Footer['unit'], grammar: FooterUnit) => {
    footer.depth = Number(m[1]);
    footer.unit = unit;
    footer.count = { written: `${m[1]} ${(m[2] ?? '').toLowerCase().replace(/\s+/g, ' ')}`, expected: footerCount(Number(m[1]), grammar) };
  };
  if (rounds) {
    read(rounds, 'rounds', 'rounds');
    if (rounds[3] && rounds[4]) {
      const kind = rounds[3].toLowerCase() === 'converged' ? 'converged' : 'stopped';
      footer.stop = { kind, round: Number(rounds[4]), reason: rounds[5]?.trim().toLowerCase() ?? null };
    }
  } else if (latent) {
    read(latent, 'latent-passes', 'latentPasses');
  } else if (agents) {
    read(agents, 'parallel-subagents', 'subagents');
  }
  return footer;
}

/**
 * What is wrong with the footer's count, or null: one takes the singular and every other count
 * the plural, so `1 rounds`, `2 round` and `1 latent passes` are not the format.
 */
export function countProblem(footer: Footer | null): string | null {
  const count = footer?.count;
  if (!count || count.written === count.expected) return null;
  return `'${count.written}' should read '${count.expected}' (a count of 1 takes the singular, any other count the plural)`;
}

/** `Clarify → Deepen ×2 → Challenge.` → [Clarify, Deepen, Deepen, Challenge]. */
function parseLensPath(text: string): string[] {
  const entries = text.replace(/\.\s*$/, '').split(/\s*(?:→|->)\s*/).map((s) => s.trim()).filter(Boolean);
  return entries.flatMap((entry) => {
    const times = /[×x]\s*(\d+)\s*$/i.exec(entry);
    const lens = canonicalLens(entry) ?? bareLensText(entry);
    return Array.from({ length: times ? Number(times[1]) : 1 }, () => lens);
  });
}

function parseDispatch(line: string): Dispatch | null {
  const m = DISPATCH.exec(unwrap(line));
  if (!m) return null;
  const lenses = (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return { line: unwrap(line), count: Number(m[1]), lenses: lenses.map((l) => canonicalLens(l) ?? bareLensText(l)) };
}

function chainEntries(value: string): number[] {
  return [...value.matchAll(CHAIN_ENTRY)].map((m) => Number(m[1]));
}

function lensOf(raw: string): { lens: string; lensKnown: boolean } {
  const known: LensName | null = canonicalLens(raw);
  return known ? { lens: known, lensKnown: true } : { lens: bareLensText(raw), lensKnown: false };
}

export function parseTranscript(markdown: string): ParsedTranscript {
  // Claude Code exports prefix a reply with `⏺ ` and indent it; neither carries meaning here.
  const lines = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n')
    .map((l) => l.replace(/^\s*⏺\s?/, '').trim());
  const out: ParsedTranscript = {
    footer: null, loadBearing: null, notes: [], preludes: [], rounds: [], dispatch: null,
    subagents: [], merge: null, answer: { present: false, text: '' },
  };

  // The footer is the last depth line; everything after it is load-bearing and notes.
  let footerAt = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    const footer = parseFooter(lines[i] ?? '');
    if (footer) { out.footer = footer; footerAt = i; break; }
  }
  const tailFrom = footerAt === -1 ? lines.length : footerAt + 1;
  for (const line of lines.slice(tailFrom)) {
    if (!line.trim()) continue;
    const lb = LOAD_BEARING.exec(unwrap(line));
    if (lb && out.loadBearing === null) out.loadBearing = (lb[1] ?? '').replace(/[*_]+$/, '').trim();
    else if (/^[*_]/.test(line.trim())) out.notes.push(unwrap(line));
  }

  const bodyEnd = footerAt === -1 ? lines.length : footerAt;
  const answerAt = lines.findIndex((l, i) => i < bodyEnd && /^#{1,3}\s+Answer\s*$/i.test(l.replace(/\*\*/g, '')));
  if (answerAt !== -1) {
    const body = lines.slice(answerAt + 1, bodyEnd);
    // Blank lines, then the one rule that sets the footer apart, then blank lines again.
    const blank = () => { while (body.length && !body[body.length - 1]?.trim()) body.pop(); };
    blank();
    if (/^(?:-{3,}|\*{3,}|_{3,})$/.test(body[body.length - 1]?.replace(/\s+/g, '') ?? '')) body.pop();
    blank();
    out.answer = { present: true, text: body.join('\n').trim() };
  }

  // Protocol sections live before the Answer; an Answer may have its own sub-headings.
  const protocolEnd = answerAt === -1 ? bodyEnd : answerAt;
  let section: Section = { kind: 'none' };
  let lastLabel: string | null = null;
  for (const line of lines.slice(0, protocolEnd)) {
    const heading = HEADING.exec(line);
    if (heading) {
      const title = (heading[1] ?? '').replace(/\*\*/g, '').trim();
      section = openSection(out, title);
      lastLabel = null;
      continue;
    }
    const dispatch = parseDispatch(line);
    if (dispatch) {
      out.dispatch ??= dispatch;
      lastLabel = null;
      continue;
    }
    if (section.kind !== 'fields' || !line.trim()) continue;
    const fields = labelledFields(line.trim());
    if (fields) {
      for (const [label, value] of fields) {
        if (!(label in section.fields)) section.fields[label] = value;
        lastLabel = label;
      }
    } else if (lastLabel !== null) {
      // Continuation: multi-line insight chains (`- R1: …`) and wrapped paragraphs.
      const prev = section.fields[lastLabel] ?? '';
      section.fields[lastLabel] = prev ? `${prev}\n${line.trim()}` : line.trim();
    }
  }
  for (const round of out.rounds) {
    const chain = round.fields['insight chain'];
    round.chain = chain === undefined ? null : chainEntries(chain);
  }
  return out;
}

/** Records a recognised heading and returns the section its lines fill. */
function openSection(out: ParsedTranscript, title: string): Section {
  const fields: Fields = {};
  const prelude = PRELUDE.exec(title);
  if (prelude) {
    out.preludes.push({ reAfter: prelude[1] ? Number(prelude[1]) : null, roundsBefore: out.rounds.length, fields });
    return { kind: 'fields', fields };
  }
  const round = ROUND.exec(title);
  if (round) {
    out.rounds.push({ number: Number(round[1]), ...lensOf(round[2] ?? ''), heading: title, fields, chain: null });
    return { kind: 'fields', fields };
  }
  const subagent = SUBAGENT.exec(title);
  if (subagent) {
    out.subagents.push({ letter: subagent[1] ?? '', ...lensOf(subagent[2] ?? ''), heading: title, fields });
    return { kind: 'fields', fields };
  }
  if (/^Merge$/i.test(title)) {
    out.merge ??= { fields };
    return { kind: 'fields', fields };
  }
  return { kind: 'none' };
}

/**
 * The lenses a transcript applied, in order: the silent lens path, the trace rounds or the agent
 * subagents, chosen by the footer's mode (or, without one, by what the transcript shows).
 */
export function lensSequence(t: ParsedTranscript): string[] {
  const mode = t.footer?.mode;
  if (mode === 'agent' || (mode !== 'trace' && mode !== 'silent' && t.subagents.length > 0)) {
    return t.subagents.map((s) => s.lens);
  }
  if (mode === 'trace' || (mode !== 'silent' && t.rounds.length > 0)) return t.rounds.map((r) => r.lens);
  return t.footer?.lensPath ?? [];
}
