/**
 * The staff listener as `rig serve` starts it: host, port and optional TLS from the configuration,
 * the capture tables as the photo source, the roster importer, and the dashboard build if present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { RigConfig } from '../../config/schema.ts';
import { projectRoot } from '../../config/load.ts';
import type { Database } from '../../store/database.ts';
import type { AcceptedPhotoSource } from '../../app/ports/accepted-photos.ts';
import { SqlPhotoSource } from '../../store/export/photo-source.ts';
import type { RoomHoldControl } from '../../app/kiosk/room-hold.ts';
import { buildStaffApp, type StaffApp, type StaffAppOptions } from './app.ts';
import { rosterImporter } from './roster-upload.ts';
import { certificateFingerprint, existingDataTls, lanWithoutTls } from './tls-files.ts';
import { bilingual } from '../../domain/messages/index.ts';
import type { DevicesReport } from '../../app/ports/device.ts';

export interface StaffListenerOptions {
  config: RigConfig;
  db: Database;
  dataDir: string;
  /** overrides config.staff.port (`rig serve --staff-port`); 0 picks a free port */
  port?: number;
  photos?: AcceptedPhotoSource;
  logger?: boolean | object;
  /** rig serve's pino logger; the staff app logs through a child of it */
  loggerInstance?: FastifyBaseLogger;
  now?: () => Date;
  /** further staff routes from the running service (the room's status, the technician's calibration routes: they need the kiosk runtime's camera and rig) */
  plugins?: StaffAppOptions['plugins'];
  /** the kiosk runtime's devices for the status page */
  devices?: () => DevicesReport;
  /** the kiosk's room hold (rig serve runs both) */
  room?: RoomHoldControl;
}

export interface StaffListener extends StaffApp {
  url: string;
  /** SHA-256 of the certificate served, for pinning; null without TLS */
  fingerprint: string | null;
  /** what `rig serve` should say on start-up (plain HTTP on the LAN) */
  warnings: string[];
  close(): Promise<void>;
}

/** The address to print: the listener's own, or the first LAN address when it binds every interface. */
function displayHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host.includes(':') ? `[${host}]` : host;
  for (const list of Object.values(networkInterfaces())) {
    const v4 = list?.find((i) => i.family === 'IPv4' && !i.internal);
    if (v4) return v4.address;
  }
  return '127.0.0.1';
}

export async function startStaffListener(o: StaffListenerOptions): Promise<StaffListener> {
  const { config } = o;
  const now = o.now ?? (() => new Date());
  // The configured files, else the data folder's own (rig staff tls --self-signed).
  const files = config.staff.tls.cert && config.staff.tls.key ? { cert: config.staff.tls.cert, key: config.staff.tls.key } : existingDataTls(o.dataDir);
  const https = files ? { cert: readFileSync(files.cert), key: readFileSync(files.key) } : undefined;
  const uiDir = join(projectRoot, 'kiosk-ui', 'dist');
  const staff = await buildStaffApp({
    db: o.db,
    dataDir: o.dataDir,
    photos: o.photos ?? new SqlPhotoSource(o.db, config.school.code),
    now,
    https,
    timeZone: config.timeZone,
    stationName: `${config.school.name} ${config.school.code}`,
    importRoster: rosterImporter(o.db, o.dataDir, config.timeZone, now),
    uiDir: existsSync(join(uiDir, 'staff.html')) ? uiDir : undefined,
    logger: o.logger,
    loggerInstance: o.loggerInstance?.child({ listener: 'staff' }),
    ...(o.plugins ? { plugins: o.plugins } : {}),
    ...(o.devices ? { devices: o.devices } : {}),
    ...(o.room ? { room: o.room } : {}),
  });
  await staff.app.listen({ host: config.staff.host, port: o.port ?? config.staff.port });
  const address = staff.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `${https ? 'https' : 'http'}://${displayHost(config.staff.host)}:${port}/`;
  const warnings: string[] = [];
  if (lanWithoutTls(config.staff.host, https !== undefined)) {
    warnings.push(bilingual('staff.lan_without_tls', { host: config.staff.host }));
    o.loggerInstance?.warn({ host: config.staff.host, port }, 'staff listener on the LAN without TLS');
  }
  const fingerprint = https ? certificateFingerprint(https.cert) : null;
  return { ...staff, url, fingerprint, warnings, close: () => staff.app.close() };
}
