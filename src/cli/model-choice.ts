/**
 * The model a command runs with: its catalogue entry (bundled facts, laid under the user's
 * $MYTHOS_HOME/models.json), checked against what the user asked of it before anything is spent.
 */
import { UsageError } from '../core/errors.js';
import { loadCatalogue, lookupModel, userCatalogueFile, type Catalogue, type Effort } from '../core/models/catalogue.js';
import type { ResolvedModel } from '../core/models/pricing.js';

export function catalogueFor(home: string): Catalogue {
  return loadCatalogue(userCatalogueFile(home));
}

export interface ModelChoice {
  model: ResolvedModel;
  /** One line each, for stderr: what mythos will do differently for this model. */
  warnings: string[];
}

/** Resolves the model and refuses an `--effort` the model does not take (a 400 otherwise). */
export function chooseModel(catalogue: Catalogue, id: string, effort: Effort | undefined, home: string): ModelChoice {
  const entry = lookupModel(catalogue, id);
  const warnings: string[] = [];
  if (!entry) {
    warnings.push(
      `mythos: ${id} is not in the model catalogue: no effort is sent, thinking is left to the model, and costs are unknown. `
      + `Describe it in ${userCatalogueFile(home)} to change that.`,
    );
    if (effort) warnings.push(`mythos: --effort ${effort} is not sent to ${id}: mythos does not know whether it accepts it.`);
    return { model: { id, entry: null }, warnings };
  }
  if (effort && !entry.effort.levels.includes(effort)) {
    throw new UsageError(
      entry.effort.levels.length === 0 ? `${id} does not accept an effort level` : `${id} does not accept effort ${effort}`,
      entry.effort.levels.length === 0 ? 'leave out --effort for this model' : `use one of: ${entry.effort.levels.join(', ')}`,
    );
  }
  if (entry.status !== 'current') warnings.push(`mythos: ${entry.name} (${id}) is a ${entry.status} model; it still works, but a current one may serve better.`);
  return { model: { id, entry }, warnings };
}
