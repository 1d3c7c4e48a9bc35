import type { z } from 'zod';

/** Zod issues as `path: message`, the first five and a count of the rest: short enough for one line. */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  const more = error.issues.length > 5 ? `; … and ${error.issues.length - 5} more` : '';
  return shown.join('; ') + more;
}
