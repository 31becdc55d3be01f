/**
 * A per-address request budget for the whole staff API (fixed one-minute windows, in memory): a
 * runaway script or a scan from the LAN gets 429s instead of the database's attention. Sign-in has
 * its own, stricter, persistent limit (auth.ts).
 */
export class RequestLimiter {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(private readonly perMinute: number) {}

  /** Counts a request of `cost` units; returns the seconds to wait when the budget is spent, else 0. */
  hit(key: string, now: Date, cost = 1): number {
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== this.window) {
      // A new window forgets every address: the map never outgrows one minute of clients.
      this.window = minute;
      this.counts = new Map();
    }
    const n = (this.counts.get(key) ?? 0) + cost;
    this.counts.set(key, n);
    return n > this.perMinute ? 60 - Math.floor((now.getTime() % 60_000) / 1000) : 0;
  }
}
