/**
 * Pretty markdown for a terminal reader. Loaded only when stdout is a colour TTY, so pipes get
 * the exact markdown and start-up stays light.
 */
export async function renderForTerminal(markdown: string): Promise<string> {
  const [{ Marked }, { markedTerminal }] = await Promise.all([import('marked'), import('marked-terminal')]);
  const marked = new Marked();
  marked.use(markedTerminal({ reflowText: false, tab: 2 }));
  return (await marked.parse(markdown)).replace(/\n+$/, '\n');
}
