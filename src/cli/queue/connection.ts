/**
 * `--queue redis://[user:password@]HOST:PORT[/DB]` → connection options. The password never appears in a
 * message: `describe()` prints the URL without it.
 */
import { UsageError } from '../args.ts';

export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** The URL as safe to print: scheme, host, port, db. */
  label: string;
}

export function parseQueueUrl(text: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--queue: expected redis://HOST:PORT[/DB], got "${text.replace(/\/\/[^@/]*@/, '//…@')}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new UsageError(`--queue: expected a redis:// or rediss:// URL, got ${url.protocol}`);
  if (!url.hostname) throw new UsageError('--queue: the URL names no host');
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15 || !/^\d*$/.test(dbText)) throw new UsageError(`--queue: database must be 0–15, got "/${dbText}"`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return {
    host, port, db, tls: url.protocol === 'rediss:',
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    label: `${url.protocol}//${url.host}/${db}`,
  };
}

/** ioredis options. Workers wait for Redis forever (maxRetriesPerRequest null); the client fails fast. */
export function redisOptions(t: RedisTarget, role: 'worker' | 'client', retryStrategy?: (times: number) => number | null) {
  return {
    host: t.host, port: t.port, db: t.db, username: t.username, password: t.password,
    ...(t.tls ? { tls: {} } : {}),
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 5_000,
    ...(retryStrategy ? { retryStrategy } : {}),
  };
}
