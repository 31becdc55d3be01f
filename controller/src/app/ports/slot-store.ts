/** What the schedule import needs from storage. SQLite adapter: store/schedule-repository.ts (`sqlSlotStore`). */
import type { ShootSlot } from '../../domain/schedule.ts';
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
