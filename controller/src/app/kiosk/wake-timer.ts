/**
 * The one timer of the kiosk: wakes the session machine when a timed state (a screen's timeout, the
 * countdown) is due. Node fires some timers a millisecond or so before `Date.now()` reaches their
 * target, and a tick that arrives early changes nothing; so a wake that finds the clock short of
 * its target arms itself again for the rest, and the owner re-arms after every tick whatever the
 * tick changed. Either alone would keep a state from sticking; both together make it independent
 * of how the owner reacts.
 */

/** The clock the session machine reads (epoch milliseconds). */
export interface Clock {
  now(): number;
}

/** Where timers come from: Node's in the service, a scripted source in the fault tests. */
export interface TimerSource {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

export const nodeTimers: TimerSource = {
  set: (callback, delayMs) => setTimeout(callback, delayMs),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class WakeTimer {
  private handle: unknown = null;
  private target: number | null = null;
  private stopped = false;

  constructor(private readonly clock: Clock, private readonly timers: TimerSource, private readonly onWake: () => void) {}

  /** The clock time the next wake is armed for, or null. */
  get armedFor(): number | null {
    return this.target;
  }

  /** Arms the wake for clock time `at` (replacing any earlier one); null disarms. */
  arm(at: number | null): void {
    this.disarm();
    if (at === null || this.stopped) return;
    this.target = at;
    this.handle = this.timers.set(() => this.fire(at), Math.max(0, at - this.clock.now()));
  }

  stop(): void {
    this.stopped = true;
    this.disarm();
  }

  private disarm(): void {
    if (this.handle !== null) this.timers.clear(this.handle);
    this.handle = null;
    this.target = null;
  }

  private fire(at: number): void {
    this.handle = null;
    const early = at - this.clock.now();
    if (early > 0) {
      // Fired before the clock got there: wait out the remainder instead of waking for nothing.
      this.handle = this.timers.set(() => this.fire(at), early);
      return;
    }
    this.target = null;
    this.onWake();
  }
}
