/**
 * Fan-out of what the kiosk publishes: state views to the SSE streams and live-view frames to the
 * preview sockets. A subscriber that throws is logged and the others still hear.
 */
import type { Logger } from 'pino';

export class FanOut<T> {
  private readonly listeners = new Set<(item: T) => void>();

  constructor(private readonly log: Logger, private readonly what: string) {}

  get size(): number {
    return this.listeners.size;
  }

  subscribe(listener: (item: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(item: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(item);
      } catch (err) {
        this.log.error({ err, subscriber: this.what }, 'subscriber failed');
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
