import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../store/database.ts';
import type { AcceptedPhotoSource } from '../../app/ports/accepted-photos.ts';
import type { RowError } from '../../domain/row-error.ts';
import type { RoomHoldControl } from '../../app/kiosk/room-hold.ts';

/** What every staff plugin is given: the store, the data folder, a clock, listener facts. */
export interface StaffContext {
  db: Database;
  dataDir: string;
  photos: AcceptedPhotoSource;
  now: () => Date;
  /** the listener serves HTTPS: cookies get Secure, HSTS is sent */
  tls: boolean;
  sessionLifetimeMs: number;
  /** shown to `rig pull` so that several rooms' batches can be told apart */
  stationName: string;
  log: FastifyBaseLogger;
  /** the school's time zone (slots are local times) */
  timeZone: string;
  /** the roster importer (all or nothing, with a row-level report); absent: uploads answer 503 */
  importRoster?: RosterImporter;
  /** the kiosk's room hold (a photo found a room fault); absent: the kiosk runs elsewhere, 503 */
  room?: RoomHoldControl;
}

export interface RosterReport {
  added: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
  /** problems beyond those listed */
  errorsOmitted?: number;
  /** the file was refused as a whole by a reading limit (413) or cancelled: the reason code */
  refused?: string;
}

/** Imports (or with dryRun only checks) a roster file; a successful import writes its own audit row. */
export type RosterImporter = (
  file: { name: string; bytes: Buffer },
  options: { dryRun: boolean; actor: string; origin: string; signal?: AbortSignal },
) => Promise<RosterReport>;
