import { describe, expect, it } from 'vitest';
import { bodySnippet, describeBody, notAMessage } from '../../src/providers/reply-shape.js';

describe('replies that are not from a Messages API', () => {
  it('a Messages reply passes, with or without its type field', () => {
    expect(notAMessage({ type: 'message', content: [], usage: { input_tokens: 1 } }, 'application/json')).toBeNull();
    expect(notAMessage({ content: [{ type: 'text', text: 'x' }], usage: {} }, null)).toBeNull();
  });

  it('a web page, text or other JSON is described by type and first bytes, on one line', () => {
    expect(notAMessage('<!DOCTYPE html>\n<html>\n  <title>Portal</title>', 'text/html; charset=utf-8')).toBe('a web page (text/html) starting "<!DOCTYPE html> <html> <title>Portal</title>"');
    expect(notAMessage('<html><body>hi</body></html>', null)).toBe('a web page starting "<html><body>hi</body></html>"');
    expect(notAMessage('hello', 'text/plain')).toBe('a body (text/plain) starting "hello"');
    expect(notAMessage({ ok: true }, null)).toBe('a body (application/json) starting "{"ok":true}"');
    expect(describeBody('', 'text/html')).toBe('a web page (text/html) with nothing in it');
  });

  it('never shows more than 80 characters, or a secret the client sent', () => {
    expect(bodySnippet('a'.repeat(500))).toBe(`${'a'.repeat(80)}…`);
    expect(bodySnippet('echo: Bearer sk-ant-SECRET', ['sk-ant-SECRET', null])).toBe('echo: Bearer ***');
  });
});
