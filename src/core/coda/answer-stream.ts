/**
 * Pulls the `answer` string out of a structured Coda reply while it is still streaming, so the
 * answer can reach the reader token by token. The schema puts `answer` first; if a reply starts
 * any other way, nothing is streamed and the answer is printed whole at the end.
 */
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
const OPENING = /^\s*\{\s*"answer"\s*:\s*"/;

export class AnswerStreamExtractor {
  private raw = '';
  private state: 'opening' | 'string' | 'done' | 'gave-up' = 'opening';
  /** Index in `raw` of the next character to decode. */
  private cursor = 0;
  /** A high surrogate whose low half has not arrived: written alone it would print as U+FFFD. */
  private heldSurrogate = '';

  /** Feeds the next chunk of reply text; returns the newly decoded answer text (maybe empty). */
  push(chunk: string): string {
    this.raw += chunk;
    if (this.state === 'opening') {
      const match = OPENING.exec(this.raw);
      if (match) {
        this.state = 'string';
        this.cursor = match[0].length;
      } else if (!'{"answer":"'.startsWith(this.raw.replace(/\s+/g, ''))) {
        this.state = 'gave-up';
      }
    }
    return this.state === 'string' ? this.decode() : '';
  }

  get streaming(): boolean {
    return this.state === 'string' || this.state === 'done';
  }

  private decode(): string {
    let out = this.heldSurrogate;
    this.heldSurrogate = '';
    while (this.cursor < this.raw.length) {
      const ch = this.raw[this.cursor]!;
      if (ch === '"') {
        this.state = 'done';
        this.cursor++;
        break;
      }
      if (ch !== '\\') {
        out += ch;
        this.cursor++;
        continue;
      }
      const next = this.raw[this.cursor + 1];
      if (next === undefined) break; // the escape continues in the next chunk
      if (next === 'u') {
        const hex = this.raw.slice(this.cursor + 2, this.cursor + 6);
        if (hex.length < 4) break;
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.cursor += 6;
        continue;
      }
      out += ESCAPES[next] ?? next;
      this.cursor += 2;
    }
    const last = out.charCodeAt(out.length - 1);
    if (this.state === 'string' && last >= 0xd800 && last <= 0xdbff) {
      this.heldSurrogate = out.slice(-1);
      out = out.slice(0, -1);
    }
    return out;
  }
}
