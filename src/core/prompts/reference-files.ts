/**
 * Loads the bundled markdown prompt files (the same files the Claude Code skill reads),
 * validates them, and fails loudly with the file's path when one is malformed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import matter from 'gray-matter';
import { z } from 'zod';
import { PromptFileError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { describeIssues as describeZodIssues } from '../zod-issues.js';
import { DriverName, LENSES, LensName } from '../schemas.js';

/** Every template the engine fills, with the placeholders it may use. */
export const TEMPLATE_PLACEHOLDERS = {
  System: [],
  Prelude: ['question'],
  'Re-Prelude': ['question', 'prelude', 'insight_chain', 'round', 'missed_driver'],
  Round: ['question', 'prelude', 'round', 'total_rounds', 'lens', 'lens_brief', 'application', 'insight_chain'],
  Judge: ['question', 'prelude', 'insight_chain', 'stances', 'round', 'lens', 'candidate'],
  Coda: ['question', 'prelude', 'mode', 'trajectory'],
  'Cross-check': ['question', 'prelude', 'trajectory', 'answer'],
  'Direct Coda': ['question', 'prelude'],
  Subagent: ['question', 'prelude', 'lens', 'lens_brief', 'application'],
  Merge: ['question', 'prelude', 'findings'],
} as const;
export type TemplateName = keyof typeof TEMPLATE_PLACEHOLDERS;

const TEMPLATE_FILES: Record<TemplateName, string> = {
  System: 'prompt-templates.md',
  Prelude: 'prompt-templates.md',
  'Re-Prelude': 'prompt-templates.md',
  Round: 'prompt-templates.md',
  Judge: 'prompt-templates.md',
  Coda: 'prompt-templates.md',
  'Cross-check': 'prompt-templates.md',
  'Direct Coda': 'prompt-templates.md',
  Subagent: 'agent-blueprint.md',
  Merge: 'agent-blueprint.md',
};

const LensEntry = z.object({
  name: LensName,
  asks: z.string().min(1),
  fitsWhen: z.string().min(1),
  goodInsight: z.string().min(1),
  secondApplication: z.string().min(1),
});
export type LensEntry = z.infer<typeof LensEntry>;

const LensesFrontmatter = z.object({
  kind: z.literal('lenses'),
  rotation: z.array(LensName).min(1),
  drivers: z.record(DriverName, z.array(LensName).min(1)),
});

const TemplatesFrontmatter = z.object({ kind: z.enum(['prompt-templates', 'agent-blueprint']) });

export interface ReferenceBundle {
  dir: string;
  rotation: LensName[];
  driverLenses: Record<DriverName, LensName[]>;
  lenses: Record<LensName, LensEntry>;
  templates: Record<TemplateName, string>;
}

/** The references/ folder shipped at the package root. */
export function defaultReferencesDir(): string {
  return join(packageRoot(import.meta.url), 'references');
}

function readMarkdown(path: string): matter.GrayMatterFile<string> {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PromptFileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  try {
    // gray-matter caches by content; pass a fresh options object so edits are never masked.
    return matter(raw.replace(/\r\n/g, '\n'), {});
  } catch (error) {
    throw new PromptFileError(path, `frontmatter is not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
}

/** Splits a markdown body into `## Heading` → section text; headings inside code fences do not count. */
export function splitSections(body: string): Map<string, string> {
  const sections = new Map<string, string>();
  let heading: string | null = null;
  let lines: string[] = [];
  let fenced = false;
  const close = () => {
    if (heading !== null) sections.set(heading, lines.join('\n'));
  };
  for (const line of body.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const match = fenced ? null : /^## +(.+?)\s*$/.exec(line);
    if (match) {
      close();
      heading = match[1] ?? '';
      lines = [];
    } else {
      lines.push(line);
    }
  }
  close();
  return sections;
}

function field(section: string, label: string): string | undefined {
  const match = section.match(new RegExp(`^\\*\\*${label}:\\*\\*\\s*(.+)$`, 'm'));
  return match?.[1]?.trim();
}

function parseLenses(path: string) {
  const file = readMarkdown(path);
  const front = LensesFrontmatter.safeParse(file.data);
  if (!front.success) throw new PromptFileError(path, describeZodIssues(front.error));
  const sections = splitSections(file.content);
  const lenses = {} as Record<LensName, LensEntry>;
  for (const name of LENSES) {
    const section = sections.get(name);
    if (section === undefined) throw new PromptFileError(path, `missing section "## ${name}"`);
    const entry = LensEntry.safeParse({
      name,
      asks: field(section, 'Asks'),
      fitsWhen: field(section, 'Fits when'),
      goodInsight: field(section, 'Good insight'),
      secondApplication: field(section, 'Second application'),
    });
    if (!entry.success) throw new PromptFileError(path, `lens ${name}: ${describeZodIssues(entry.error)}`);
    lenses[name] = entry.data;
  }
  return { rotation: front.data.rotation, driverLenses: front.data.drivers as Record<DriverName, LensName[]>, lenses };
}

function extractTemplate(path: string, sections: Map<string, string>, name: TemplateName): string {
  const section = sections.get(name);
  if (section === undefined) throw new PromptFileError(path, `missing section "## ${name}"`);
  const blocks = [...section.matchAll(/^```template[ \t]*\n([\s\S]*?)^```[ \t]*$/gm)];
  if (blocks.length !== 1) {
    throw new PromptFileError(path, `section "## ${name}" needs exactly one \`\`\`template block, found ${blocks.length}`);
  }
  const text = (blocks[0]?.[1] ?? '').trimEnd();
  const allowed = new Set<string>(TEMPLATE_PLACEHOLDERS[name]);
  for (const match of text.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)) {
    const placeholder = match[1] ?? '';
    if (!allowed.has(placeholder)) {
      throw new PromptFileError(path, `section "## ${name}" uses unknown placeholder {{${placeholder}}}`);
    }
  }
  return text;
}

function parseTemplates(dir: string): Record<TemplateName, string> {
  const byFile = new Map<string, Map<string, string>>();
  const templates = {} as Record<TemplateName, string>;
  for (const name of Object.keys(TEMPLATE_PLACEHOLDERS) as TemplateName[]) {
    const path = join(dir, TEMPLATE_FILES[name]);
    let sections = byFile.get(path);
    if (!sections) {
      const file = readMarkdown(path);
      const front = TemplatesFrontmatter.safeParse(file.data);
      if (!front.success) throw new PromptFileError(path, describeZodIssues(front.error));
      sections = splitSections(file.content);
      byFile.set(path, sections);
    }
    templates[name] = extractTemplate(path, sections, name);
  }
  return templates;
}

const cache = new Map<string, ReferenceBundle>();

/** Reads and validates the three reference files once per process. */
export function loadReferences(dir: string = defaultReferencesDir()): ReferenceBundle {
  const cached = cache.get(dir);
  if (cached) return cached;
  const lensesPath = join(dir, 'lenses.md');
  const { rotation, driverLenses, lenses } = parseLenses(lensesPath);
  const bundle: ReferenceBundle = { dir, rotation, driverLenses, lenses, templates: parseTemplates(dir) };
  cache.set(dir, bundle);
  return bundle;
}
