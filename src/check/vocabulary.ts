/**
 * The protocol words a transcript is judged against. Lens, mode, convergence and confidence
 * names come from the core schemas, footer words from the format module the renderer uses, so
 * the checker and the renderer cannot drift apart.
 */
import { EARLY_HALT_PHRASES, TRACE_STOP_PHRASES } from '../core/format/footers.js';
import { ROTATION } from '../core/format/rotation.js';
import { CONFIDENCE, CONVERGENCE, LENSES, MODES, type LensName, type Mode } from '../core/schemas.js';

export { CONFIDENCE, CONVERGENCE, LENSES, MODES, ROTATION, type LensName, type Mode };

/** Reasons an honest trace footer may give for `stopped at round X: <reason>`: the renderer's own. */
export const STOP_REASONS = TRACE_STOP_PHRASES;

/** Stops that legitimately end a trace before Challenge is reached. */
export const EARLY_HALT_REASONS = EARLY_HALT_PHRASES;

const byKey = new Map<string, LensName>(LENSES.map((lens) => [lensKey(lens), lens]));

function lensKey(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '-');
}

/**
 * Strips what writers hang on a lens name (`Clarify (2nd application)`, `Steelman ×2`,
 * `**Deepen**`, `Steelman (pro)`) and returns the bare text.
 */
export function bareLensText(raw: string): string {
  return raw
    .replace(/[*`_]/g, '')
    .replace(/\s*\([^)]*\)\s*$/, '')
    .replace(/\s*[×x]\s*\d+\s*$/i, '')
    .replace(/[.:;,]+$/, '')
    .trim();
}

/** The canonical lens for a heading or list entry, or null when it names no known lens. */
export function canonicalLens(raw: string): LensName | null {
  return byKey.get(lensKey(bareLensText(raw))) ?? null;
}

/** Reads a mode word case-insensitively; null for anything outside the four modes. */
export function asMode(raw: string | null | undefined): Mode | null {
  const word = (raw ?? '').trim().toLowerCase();
  return (MODES as readonly string[]).includes(word) ? (word as Mode) : null;
}

/**
 * The leading keyword of a field value, when it is one of `allowed` and followed by an end, a
 * space or punctuation (so `stable (held)` reads as stable, but the unfilled template
 * `evolving / stable` does not).
 */
export function leadingKeyword(value: string | undefined, allowed: readonly string[]): string | null {
  const text = (value ?? '').replace(/^[*`_\s]+/, '').toLowerCase();
  for (const word of allowed) {
    if (!text.startsWith(word)) continue;
    const next = text.charAt(word.length);
    if (next === '' || /[\s.,;:(—–*`_]/.test(next)) {
      const rest = text.slice(word.length).trimStart();
      if (!rest.startsWith('/')) return word;
    }
  }
  return null;
}
