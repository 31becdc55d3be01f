/**
 * Virtual time for the kiosk's fault suites: one clock and one timer source, fired by the test in
 * deadline order with the misbehaviour Node shows under load: early (the callback runs before the
 * clock reaches its target), late, and in bursts (several due timers in one go).
 */
import type { Clock, TimerSource } from '../../controller/src/app/kiosk/wake-timer.ts';

export interface Jitter {
  /** Share of timers that fire early, with the clock 1 ms short of the target. */
  early: number;
  /** Largest lateness, ms (uniform 0..late). */
  late: number;
  /** Share of firings that also run every other timer due within `late` ms. */
  burst: number;
}

interface Pending {
  id: number;
  at: number;
  callback: () => void;
}


export class VirtualTime implements Clock, TimerSource {
  private t: number;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(start: number, private readonly jitter: Jitter, private readonly random: () => number) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  set(callback: () => void, delayMs: number): number {
    const id = this.nextId++;
    this.pending.set(id, { id, at: this.t + Math.max(0, delayMs), callback });
    return id;
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Moves the clock forward by up to `ms`, stopping short of the next timer (the student taking their time). */
  pass(ms: number): void {
    const next = Math.min(...[...this.pending.values()].map((p) => p.at));
    this.t = Math.max(this.t, Math.min(this.t + ms, next - 1));
  }

  /** Fires the earliest timer (and, in a burst, the others due soon after); false when none is pending. */
  fireNext(): boolean {
    const first = [...this.pending.values()].sort((a, b) => a.at - b.at || a.id - b.id)[0];
    if (!first) return false;
    const early = this.random() < this.jitter.early;
    const at = early ? first.at - 1 : first.at + Math.floor(this.random() * (this.jitter.late + 1));
    this.t = Math.max(this.t, at);
    const due = this.random() < this.jitter.burst
      ? [...this.pending.values()].filter((p) => p.at <= first.at + this.jitter.late).sort((a, b) => a.at - b.at || a.id - b.id)
      : [first];
    for (const p of due) {
      if (!this.pending.delete(p.id)) continue;
      p.callback();
    }
    return true;
  }
}
