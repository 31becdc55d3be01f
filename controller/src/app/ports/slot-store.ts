/** What the schedule import needs from storage. SQLite adapter: store/schedule-repository.ts (`sqlSlotStore`). */
import type { MakeupWindow, ShootSlot } from '../../domain/schedule.ts';
import type { AuditTrail } from './audit.ts';

/** Reads and writes inside a transaction held by `SlotStore.transaction`. */
export interface SlotWrites {
  /** Every stored slot, to plan against. */
  list(): Promise<ShootSlot[]>;
  insert(slot: Omit<ShootSlot, 'id'>): Promise<unknown>;
  /** The audit log, written in the same transaction. */
  audit: AuditTrail;
}

export interface SlotStore {
  /** Runs `work` in one write transaction; a rejection rolls back every write made through `tx` and is passed on. */
  transaction<T>(work: (tx: SlotWrites) => Promise<T>): Promise<T>;
}

/** The make-up window import's reads and writes, inside one transaction (`sqlMakeupWindowStore`). */
export interface MakeupWindowWrites {
  list(): Promise<MakeupWindow[]>;
  insert(window: Omit<MakeupWindow, 'id'>): Promise<unknown>;
  audit: AuditTrail;
}

export interface MakeupWindowStore {
  transaction<T>(work: (tx: MakeupWindowWrites) => Promise<T>): Promise<T>;
}
