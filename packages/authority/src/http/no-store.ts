/** Answers that carry codes, tokens or personal state must never sit in a cache. */
export const NO_STORE = { 'cache-control': 'no-store' };
