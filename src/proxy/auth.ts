const enc = new TextEncoder();

/**
 * Compares a presented token with the expected one in time that depends only on the expected token's
 * length, so response timing reveals nothing about how much of a guess was right.
 */
export function tokenEquals(presented: string, expected: string): boolean {
  const a = enc.encode(presented);
  const b = enc.encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i % (a.length || 1)] ?? 0) ^ b[i]!;
  return diff === 0;
}

export type TokenState = 'ok' | 'missing' | 'wrong';

/** The proxy token from `Authorization: Bearer …`, or for a browser WebSocket (which cannot set headers) `?access_token=`. */
export function presentedToken(req: Request, query: string, allowQuery: boolean): string | null {
  const h = req.headers.get('authorization');
  if (h !== null) {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(h);
    return m ? m[1]! : '';
  }
  if (allowQuery) return new URLSearchParams(query).get('access_token');
  return null;
}

export function checkToken(presented: string | null, expected: string): TokenState {
  if (presented === null) return 'missing';
  return tokenEquals(presented, expected) ? 'ok' : 'wrong';
}
