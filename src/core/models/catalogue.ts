/**
 * The model catalogue: what mythos knows about each model id (thinking, effort, output limit,
 * cache minimum, list prices by date). One bundled data file, checked against the platform docs
 * on the date it names, plus an optional user file under $MYTHOS_HOME that adds or replaces
 * entries, so a new model or a price change needs no new release.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BundledFileError, UsageError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { EFFORT_LEVELS } from '../vocabulary.js';
import { describeIssues } from '../zod-issues.js';

export { EFFORT_LEVELS };
export const Effort = z.enum(EFFORT_LEVELS);
export type Effort = z.infer<typeof Effort>;

const perMTok = z.number().nonnegative();
const Rates = z.strictObject({ input: perMTok, output: perMTok, cacheWrite5m: perMTok, cacheWrite1h: perMTok, cacheRead: perMTok });
export type Rates = z.infer<typeof Rates>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD');

const PricePeriod = Rates.extend({
  /** First day (UTC) these prices apply. */
  from: isoDate,
  /** A prompt longer than `above` tokens (input, cache reads and writes together) bills every token at these rates. */
  longPrompt: Rates.extend({ above: z.number().int().positive() }).optional(),
});
export type PricePeriod = z.infer<typeof PricePeriod>;

export const ModelEntry = z.strictObject({
  /** Ids this entry covers; a requested id resolves to the longest one it starts with. */
  ids: z.array(z.string().min(1)).min(1),
  name: z.string().min(1),
  status: z.enum(['current', 'legacy', 'deprecated']),
  contextWindow: z.number().int().positive(),
  maxOutput: z.number().int().positive(),
  minCacheTokens: z.number().int().nonnegative(),
  thinking: z.strictObject({
    /** What the model does when a request carries no `thinking` field. */
    default: z.enum(['adaptive', 'off']),
    /** `thinking.type` values the model accepts; any other is a 400. */
    accepts: z.array(z.enum(['adaptive', 'enabled', 'disabled', 'between_tools'])),
  }),
  effort: z.strictObject({
    /** Levels `output_config.effort` may take; empty when the model rejects the parameter. */
    levels: z.array(Effort),
    default: Effort.nullable(),
  }),
  prices: z.array(PricePeriod).min(1),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

const CatalogueFile = z.strictObject({
  $comment: z.string().optional(),
  version: z.literal(1),
  checked: isoDate.optional(),
  models: z.array(ModelEntry),
});

export interface Catalogue {
  /** The date the bundled facts were checked against the docs. */
  checked: string;
  entries: ModelEntry[];
  /** Where the user's own file was read from, when there was one. */
  userFile: string | null;
}

/** The catalogue shipped at the package root. */
export function bundledCataloguePath(): string {
  return join(packageRoot(import.meta.url), 'models', 'catalogue.json');
}

function readCatalogueFile(path: string, fail: (problem: string) => Error): z.infer<typeof CatalogueFile> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code ? `cannot be read (${code})` : `is not JSON (${(error as Error).message})`);
  }
  const parsed = CatalogueFile.safeParse(json);
  if (!parsed.success) throw fail(describeIssues(parsed.error));
  for (const model of parsed.data.models) {
    const dates = model.prices.map((p) => p.from);
    if (dates.some((d, i) => i > 0 && d <= dates[i - 1]!)) throw fail(`${model.ids[0]}: price periods must run oldest first`);
  }
  return parsed.data;
}

/**
 * The bundled catalogue, with the user's entries (if `userFile` exists) laid over it: a user
 * entry replaces every bundled entry that shares one of its ids.
 */
export function loadCatalogue(userFile: string | null, bundled: string = bundledCataloguePath()): Catalogue {
  const base = readCatalogueFile(bundled, (problem) => new BundledFileError('model catalogue', bundled, problem));
  if (!userFile || !existsSync(userFile)) return { checked: base.checked ?? 'unknown', entries: base.models, userFile: null };
  const user = readCatalogueFile(userFile, (problem) =>
    new UsageError(`your model catalogue ${userFile} ${problem.startsWith('cannot') || problem.startsWith('is not') ? problem : `is malformed: ${problem}`}`, 'fix it, or move it aside to use the bundled catalogue'));
  const replaced = new Set(user.models.flatMap((m) => m.ids));
  const kept = base.models.filter((m) => !m.ids.some((id) => replaced.has(id)));
  return { checked: base.checked ?? 'unknown', entries: [...user.models, ...kept], userFile };
}

/** The user's catalogue file inside a mythos home. */
export function userCatalogueFile(home: string): string {
  return join(home, 'models.json');
}

/**
 * What may follow a catalogue id and still name that model: a snapshot date (`-20270101`),
 * `-latest`, a Bedrock version (`-v1:0`), a Vertex tag (`@20270101`) or a client's context tag
 * (`[1m]`). Anything else, such as `-3` after `claude-fable-5`, is a newer model mythos does not
 * know, and pricing it as the older one would be wrong.
 */
const SAME_MODEL_SUFFIX = /^(?:-\d{8}|-latest)?(?:-v\d+(?::\d+)?)?(?:@[\w.-]+)?(?:\[[^\]]*\])?$/;

/**
 * The entry for a model id: the catalogue id it names, with any snapshot or gateway decoration
 * around it, so `claude-sonnet-5-5-20270101` finds `claude-sonnet-5-5` while `claude-sonnet-5-7`
 * and `claude-sonnet-50` find nothing. Gateway prefixes such as `anthropic.` or `us.anthropic.`
 * are looked through.
 */
export function lookupModel(catalogue: Catalogue, requested: string): ModelEntry | null {
  const id = requested.trim().toLowerCase().replace(/^(?:[a-z]{2,4}\.)?anthropic[./]/, '');
  let best: { entry: ModelEntry; length: number } | null = null;
  for (const entry of catalogue.entries) {
    for (const key of entry.ids) {
      const k = key.toLowerCase();
      const fits = id.startsWith(k) && SAME_MODEL_SUFFIX.test(id.slice(k.length));
      if (fits && (!best || k.length > best.length)) best = { entry, length: k.length };
    }
  }
  return best?.entry ?? null;
}
