/** Kept apart so `mythos --version` loads nothing else. A test checks it equals package.json. */
export const VERSION = '0.1.0';
