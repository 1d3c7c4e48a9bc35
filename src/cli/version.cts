/**
 * The version, in a CommonJS file so the CommonJS entry can read it without the ES module
 * loader. A test checks it equals package.json.
 */
export const VERSION = '0.1.0';
