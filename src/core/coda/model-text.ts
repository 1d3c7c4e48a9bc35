/**
 * Model text as it may appear inside a transcript. The transcript's own structure (one labelled
 * field per line, bold labels, the `(failed: …)` and `(discarded: …)` marks, the footer after the
 * answer) is code's to write; text from the model must read the same to a person and never pass
 * for that structure to `mythos check`. The run log keeps every reply as it came.
 */
import { BLANK_FIELD, CODE_SPAN, FIELD_LABEL, MARK_START } from '../format/fields.js';

/** Every kind of line break, the parser's (`\r`, `\n`) and Unicode's. */
const LINE_BREAKS = /\s*[\n\r\v\f\u0085\u2028\u2029]+\s*/g;

/** Labels sit on one line each; a stray line break from the model would break the shape. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').trim();
}

/** Text with nothing a reader would see: only spaces and emphasis or code marks. */
function isBlank(text: string): boolean {
  return !/[^\s*_`~]/.test(text);
}

/** Runs `change` on the parts of `text` outside inline code spans; code stays byte for byte. */
function outsideCode(text: string, change: (part: string) => string): string {
  let out = '';
  let from = 0;
  for (const m of text.matchAll(CODE_SPAN)) {
    out += change(text.slice(from, m.index)) + m[0];
    from = m.index + m[0].length;
  }
  return out + change(text.slice(from));
}

/** A backtick with no partner in its own field gets a markdown escape, so it cannot pair with one in the next. */
function escapeLoneBackticks(part: string): string {
  return part.replace(/(\\*)`/g, (match, slashes: string) => (slashes.length % 2 ? match : `${slashes}\\\``));
}

/**
 * `**Label:**` in model text becomes `__Label:__`: still bold when rendered, no longer a field
 * label. A leading `(failed` or `(discarded` gets a markdown escape, `\(`, which renders as the
 * same parenthesis but is not the renderer's mark. Backticks that open no code span within the
 * field are escaped, and so is a trailing lone backslash, so nothing in one field reaches into
 * the next field or the emphasis that closes the line. Code spans stay byte for byte.
 */
function neutralise(text: string): string {
  const labels = (part: string) => part.replace(FIELD_LABEL, (label) => label.replace(/\*\*/g, '__'));
  let out = outsideCode(text, (part) => escapeLoneBackticks(labels(part)));
  if (MARK_START.test(out)) out = `\\${out}`;
  const trailing = /\\+$/.exec(out)?.[0].length ?? 0;
  return trailing % 2 === 1 ? `${out}\\` : out;
}

/** One model-written field value: one line, neutralised, and never empty. */
export function fieldText(text: string, blank = BLANK_FIELD): string {
  const line = oneLine(text);
  return isBlank(line) ? blank : neutralise(line);
}

/** Model-written list entries joined with `; `; blank entries are dropped, `none` when none is left. */
export function fieldList(items: readonly string[], none: string): string {
  const kept = items.filter((item) => !isBlank(oneLine(item)));
  return kept.length ? kept.map((item) => fieldText(item)).join('; ') : none;
}

/** A fence that opens a code block: three or more backticks or tildes, indented at most three. */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The answer as it goes under `## Answer`: trimmed, a placeholder when empty, and a code block the
 * model left open closed, so the rule and footer after it are not read as code. Changes only ever
 * append, so a streamed answer is a prefix of this.
 */
export function answerText(answer: string): string {
  const text = answer.trim();
  if (isBlank(text)) return BLANK_FIELD;
  let open: string | null = null;
  for (const line of text.split(/\r\n?|\n/)) {
    const fence = FENCE.exec(line)?.[1];
    if (!fence) continue;
    if (open === null) open = fence;
    // A closing fence is the same character, at least as long, with nothing after it.
    else if (fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = null;
  }
  return open === null ? text : `${text}\n${open}`;
}
