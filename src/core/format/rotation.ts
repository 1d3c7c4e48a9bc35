/**
 * The standard rotation, the order a visible trace must follow (specialist lenses may sit
 * anywhere after Clarify). lenses.md carries the same list for the engine; a test holds them equal.
 */
import type { LENSES } from '../vocabulary.js';

export const ROTATION: ReadonlyArray<(typeof LENSES)[number]> = ['Clarify', 'Deepen', 'Challenge', 'Expand', 'Synthesize'];
