/**
 * Runs the session machine's effects (look up a code, shoot, validate, store ...) so that none can
 * end the process: each is awaited inside a guard that logs its failure with its context and hands
 * it to the owner, which turns it into an event with a coded notice. `drain()` waits for every
 * effect, including ones started while it waits (a failing store answers with an event whose
 * handler may start another write).
 */
import type { Logger } from 'pino';

export interface EffectContext {
  effect: string;
  session?: number;
  [key: string]: unknown;
}

export class EffectRunner {
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  /** How many effects are still running. */
  get running(): number {
    return this.inflight.size;
  }

  /**
   * Starts `work`; if it rejects, `onFailure` is called with the error (after logging it). A
   * failure inside `onFailure` itself is logged and goes no further.
   */
  run(context: EffectContext, work: () => Promise<void>, onFailure: (err: unknown) => void): void {
    const guarded = (async () => {
      try {
        await work();
      } catch (err) {
        this.log.error({ err, ...context }, 'kiosk effect failed');
        try {
          onFailure(err);
        } catch (inner) {
          this.log.error({ err: inner, ...context }, 'kiosk effect failure handler failed');
        }
      }
    })();
    this.inflight.add(guarded);
    guarded.finally(() => this.inflight.delete(guarded)).catch((err: unknown) => this.log.error({ err }, 'effect bookkeeping failed'));
  }

  /** Resolves once no effect is running, counting those started while waiting. */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }
}
