/** Bumped whenever a change can alter any result: same strategy + data + engine version ⇒ same result. */
export const ENGINE_VERSION = '0.6.0';
