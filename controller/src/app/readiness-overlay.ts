/**
 * One more readiness condition laid over the rig's own (a full disk, a room held after a faulty
 * photo): a Rig wrapper that passes the rig's readiness through and, while its condition holds, adds
 * its reason and makes the room not ready. The kiosk already refuses capture, shows the reason and
 * stops a countdown for any reason, so every such condition is handled like an open door.
 */
import type { ReadinessReport, Rig } from './ports/rig.ts';

export abstract class ReadinessOverlay implements Rig {
  private readonly listeners = new Set<(report: ReadinessReport) => void>();
  private readonly unsubscribe: () => void;

  protected constructor(protected readonly inner: Rig, private readonly listenerFailed: (err: unknown) => void) {
    this.unsubscribe = inner.onChange(() => this.emit());
  }

  /** The reason this overlay adds now, or null while its condition does not hold. */
  protected abstract extraReason(): string | null;

  readiness(): ReadinessReport {
    const r = this.inner.readiness();
    const extra = this.extraReason();
    return extra ? { ...r, ready: false, reasons: [...r.reasons, extra] } : r;
  }

  onChange(listener: (report: ReadinessReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops listening to the wrapped rig; its owner closes it. */
  async close(): Promise<void> {
    this.unsubscribe();
    this.listeners.clear();
  }

  /** Tells every listener the readiness now; a listener that throws is reported, the others still hear. */
  protected emit(): void {
    const report = this.readiness();
    for (const l of [...this.listeners]) {
      try {
        l(report);
      } catch (err) {
        this.listenerFailed(err);
      }
    }
  }
}
