/**
 * The data folder's free space as one more readiness condition of the room. A Rig wrapper: the
 * kiosk already refuses capture while the rig reports a reason, shows the reason to the student and
 * lets the countdown stop when it appears, so a full disk is handled like an open door. The space is
 * measured every `checkMs`; when it returns, the reason goes away and capture is allowed again.
 *
 * Why before capture rather than at saving: a student should hear "see staff" before sitting for a
 * photo that cannot be kept. A disk that fills between the check and the save still fails cleanly
 * (the archive write removes its temp file; see store/capture-repository.ts).
 */
import type { Logger } from 'pino';
import type { Rig } from '../app/ports/rig.ts';
import { ReadinessOverlay } from '../app/readiness-overlay.ts';

/** Reason code while the data folder is short of space (text in messages/kiosk.ts). */
export const storageFullReason = 'storage.full';

export interface StorageGuardOptions {
  dataDir: string;
  minFreeBytes: number;
  checkMs: number;
  logger: Logger;
  /** Free bytes of the filesystem holding `dataDir`. */
  measure(dir: string): Promise<number>;
  /** Told when space runs low (for the audit log, where staff see it); its failure is logged, not thrown. */
  onLow?(freeBytes: number): Promise<void>;
}

export class StorageGuardedRig extends ReadinessOverlay {
  private low = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly log: Logger;

  constructor(inner: Rig, private readonly o: StorageGuardOptions) {
    const log = o.logger.child({ component: 'storage' });
    super(inner, (err) => log.error({ err }, 'readiness listener failed'));
    this.log = log;
  }

  protected extraReason(): string | null {
    return this.low ? storageFullReason : null;
  }

  /** Measures once (so the first student already sees the truth), then keeps measuring. */
  async start(): Promise<void> {
    await this.check();
    this.arm();
  }

  /** Stops measuring; the wrapped rig is closed by its owner. */
  override async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await super.close();
  }

  private arm(): void {
    if (this.closed) return;
    // One measurement at a time: the next is armed only when this one has finished.
    this.timer = setTimeout(() => void this.check().then(() => this.arm(), () => this.arm()), this.o.checkMs);
  }

  private async check(): Promise<void> {
    let free: number;
    try {
      free = await this.o.measure(this.o.dataDir);
    } catch (err) {
      // Cannot measure: keep the last answer rather than guess either way.
      this.log.warn({ err }, 'could not measure free space');
      return;
    }
    const low = free < this.o.minFreeBytes;
    if (low === this.low || this.closed) return;
    this.low = low;
    const fields = { code: storageFullReason, freeMB: Math.floor(free / 1048576), minFreeMB: Math.ceil(this.o.minFreeBytes / 1048576), dataDir: this.o.dataDir };
    if (low) {
      this.log.error(fields, 'data folder is short of space: capture refused until space is freed');
      await this.o.onLow?.(free).catch((err: unknown) => this.log.error({ err }, 'could not record the low-space event'));
    } else {
      this.log.info(fields, 'space is back: capture allowed again');
    }
    this.emit();
  }
}
