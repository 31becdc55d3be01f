import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../store/database.ts';
import type { AcceptedPhotoSource } from '../../store/export/accepted-photos.ts';

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
}
