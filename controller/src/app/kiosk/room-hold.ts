/**
 * A room fault found in a photo (domain/photo/reasons.ts: a blocking technician reason, such as
 * the lights or the backdrop) holds the room: one more readiness condition, like an open door, so the
 * kiosk refuses the next shots with `kiosk.rig.not_ready` and the reason `kiosk.room.adjusting`
 * ("please wait, the room is being adjusted"), and the countdown stops when it appears. The sensors
 * cannot tell that the lamps were put right, so the hold stays until a technician or staff member
 * releases it (staff API, audited); the technician's reasons are kept for their page.
 */
import type { ReadinessReport, Rig } from '../ports/rig.ts';

/** The readiness reason the student sees while the room is held (text in messages/kiosk.ts). */
export const roomHoldReason = 'kiosk.room.adjusting';

export interface RoomHoldState {
  /** The technician's reason codes (photo.exposure.dark ...), in the order they were found. */
  reasons: string[];
  /** ISO instant the hold began. */
  since: string;
  /** The capture attempt whose report found the fault. */
  attemptId: number | null;
}

/** What the staff side sees of the hold and may do with it. */
export interface RoomHoldControl {
  state(): RoomHoldState | null;
  /** Ends the hold; false when there was none. */
  release(): boolean;
}

export class RoomHold implements Rig, RoomHoldControl {
  private held: RoomHoldState | null = null;
  private readonly listeners = new Set<(report: ReadinessReport) => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly inner: Rig, private readonly onError: (err: unknown) => void) {
    this.unsubscribe = inner.onChange(() => this.emit());
  }

  readiness(): ReadinessReport {
    const r = this.inner.readiness();
    return this.held ? { ...r, ready: false, reasons: [...r.reasons, roomHoldReason] } : r;
  }

  onChange(listener: (report: ReadinessReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  state(): RoomHoldState | null {
    return this.held ? { ...this.held, reasons: [...this.held.reasons] } : null;
  }

  /** Holds the room (or adds reasons to the hold); true when the hold is new. */
  hold(reasons: readonly string[], at: Date, attemptId: number | null): boolean {
    if (this.held) {
      this.held = { ...this.held, reasons: [...new Set([...this.held.reasons, ...reasons])] };
      return false;
    }
    this.held = { reasons: [...new Set(reasons)], since: at.toISOString(), attemptId };
    this.emit();
    return true;
  }

  release(): boolean {
    if (!this.held) return false;
    this.held = null;
    this.emit();
    return true;
  }

  /** Stops listening to the wrapped rig; its owner closes it. */
  async close(): Promise<void> {
    this.unsubscribe();
    this.listeners.clear();
  }

  private emit(): void {
    const report = this.readiness();
    for (const l of [...this.listeners]) {
      try {
        l(report);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
