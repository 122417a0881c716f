import type { Clock } from '../lib/clock.ts';

/**
 * A token bucket per client: `burst` requests at once, refilled at `perSecond`. The table is bounded so
 * a flood of spoofed clients cannot grow it without limit (full buckets are the ones forgotten first).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly clock: Clock,
    private readonly maxClients = 10_000,
  ) {}

  /** 0 when the request may go ahead, else the seconds to wait before retrying. */
  take(client: string): number {
    const now = this.clock.now();
    let b = this.buckets.get(client);
    if (!b) {
      if (this.buckets.size >= this.maxClients) this.prune(now);
      b = { tokens: this.burst, at: now };
      this.buckets.set(client, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond));
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(k);
    }
    // Still full of active clients: forget the oldest (Map keeps insertion order).
    for (const k of this.buckets.keys()) {
      if (this.buckets.size < this.maxClients) break;
      this.buckets.delete(k);
    }
  }
}
