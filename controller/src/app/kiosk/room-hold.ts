/**
 * A room fault found in a photo (domain/photo/reasons.ts: a blocking technician reason, such as
 * the lights or the backdrop) holds the room: one more readiness condition, like an open door, so the
 * kiosk refuses the next shots with `kiosk.rig.not_ready` and the reason `kiosk.room.adjusting`
 * ("please wait, the room is being adjusted"), and the countdown stops when it appears. The sensors
 * cannot tell that the lamps were put right, so the hold stays until a technician or staff member
 * releases it (staff API, audited); the technician's reasons are kept for their page.
 */
import type { Rig } from '../ports/rig.ts';
import { ReadinessOverlay } from '../readiness-overlay.ts';

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

export class RoomHold extends ReadinessOverlay implements RoomHoldControl {
  private held: RoomHoldState | null = null;

  constructor(inner: Rig, onError: (err: unknown) => void) {
    super(inner, onError);
  }

  protected extraReason(): string | null {
    return this.held ? roomHoldReason : null;
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
}
