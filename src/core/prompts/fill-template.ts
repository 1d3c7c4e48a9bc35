/**
 * Fills `{{placeholder}}` slots. Every slot must be supplied: a prompt with a hole in it is a bug.
 */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {{${name}}} has no value`);
    return String(value);
  });
}
