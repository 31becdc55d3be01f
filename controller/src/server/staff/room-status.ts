/**
 * The room's status for the staff page (拍摄环境): readiness with its coded reasons, every sensor
 * reading with its time, and the firmware's own health. Read-only; the dashboard asks for it once a
 * second while the page is open. Registered on the staff listener by `rig serve` (through the staff
 * app's `plugins`), behind the login like every staff route.
 */
import type { FastifyInstance } from 'fastify';
import type { DriverChoice } from '../../app/ports/device.ts';
import type { BoardHealth, ReadinessReport, RigReadings } from '../../app/ports/rig.ts';

/** What the page shows, from the running kiosk's rig. */
export interface RoomStatusSource {
  readonly choice: DriverChoice;
  /** Readiness as the kiosk judges it (storage included). */
  readiness(): ReadinessReport;
  readings(): RigReadings;
  health(): BoardHealth | null;
}

export interface RoomStatus {
  /** ISO instant of this answer; reading times are epoch ms of the same clock. */
  at: string;
  now: number;
  driver: DriverChoice;
  readiness: ReadinessReport;
  readings: RigReadings;
  health: BoardHealth | null;
}

export function roomStatus(source: RoomStatusSource, now: () => Date): RoomStatus {
  const t = now();
  return { at: t.toISOString(), now: t.getTime(), driver: source.choice, readiness: source.readiness(), readings: source.readings(), health: source.health() };
}

export function roomStatusRoutes(source: RoomStatusSource, now: () => Date = () => new Date()) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/room/status', { config: { access: { roles: ['admin', 'staff', 'technician'] } } }, async () => roomStatus(source, now));
  };
}
