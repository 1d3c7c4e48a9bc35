/**
 * Replies that are not from a Messages API at all: a captive portal's login page, a proxy's
 * error page, a web server at the wrong path. The SDK hands such a body back as a string (or
 * whatever JSON it was); this says what came back in one line, never with headers or keys.
 */

/** The first bytes of a body, on one line, with any secret the client sent blanked out. */
export function bodySnippet(body: string, secrets: ReadonlyArray<string | null | undefined> = []): string {
  let text = body;
  for (const secret of secrets) if (secret) text = text.split(secret).join('***');
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** Content type without its parameters, e.g. "text/html". */
function mediaType(contentType: string | null | undefined): string | null {
  return contentType?.split(';')[0]?.trim().toLowerCase() || null;
}

export function describeBody(body: string, contentType: string | null | undefined, secrets: ReadonlyArray<string | null | undefined> = []): string {
  const type = mediaType(contentType);
  const snippet = bodySnippet(body, secrets);
  const kind = type === 'text/html' || /^\s*<(!doctype|html)/i.test(body) ? 'a web page' : 'a body';
  return snippet ? `${kind}${type ? ` (${type})` : ''} starting "${snippet}"` : `${kind}${type ? ` (${type})` : ''} with nothing in it`;
}

/** Null when the value looks like a Messages API reply; else what it was instead. */
export function notAMessage(value: unknown, contentType: string | null | undefined, secrets: ReadonlyArray<string | null | undefined> = []): string | null {
  if (typeof value === 'object' && value !== null) {
    // Lenient on purpose: some compatible gateways leave out `type`; none leave out these two.
    const { content, usage } = value as { content?: unknown; usage?: unknown };
    if (Array.isArray(content) && typeof usage === 'object' && usage !== null) return null;
  }
  const body = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return describeBody(body, contentType ?? (typeof value === 'string' ? null : 'application/json'), secrets);
}
