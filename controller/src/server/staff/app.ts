/**
 * The staff API (LAN listener) as a fastify app that tests drive with inject(). The kiosk API is
 * never registered here. Every route declares its access; `routes` lists them for the tests.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Database } from '../../store/database.ts';
import type { AcceptedPhotoSource } from '../../app/ports/accepted-photos.ts';
import { installAccessControl, sessionRoutes, defaultLoginLimits, type LoginLimits, type RouteRecord } from './auth.ts';
import type { RosterImporter, StaffContext } from './context.ts';
import { officeRoutes } from './office.ts';
import { uiRoutes } from './ui.ts';
import { scheduleRoutes } from './schedule.ts';
import { discrepancyRoutes } from './discrepancies.ts';
import { identityRoutes } from './identity.ts';
import { deviceRoutes } from './devices.ts';
import type { DevicesReport } from '../../app/ports/device.ts';
import { sendError } from './errors.ts';
import { maskIdNumbersIn } from '../../domain/roster/id-number.ts';
import { auditRoutes } from './audit.ts';
import { batchRoutes } from './batches.ts';
import { photoRoutes } from './photos.ts';
import { DamagedPhotoError } from '../../formats/export/batch.ts';
import { roomRoutes } from './room.ts';
import type { RoomHoldControl } from '../../app/kiosk/room-hold.ts';
import { hardenHttp } from '../http-hardening.ts';

export interface StaffAppOptions {
  db: Database;
  dataDir: string;
  photos: AcceptedPhotoSource;
  now?: () => Date;
  tls?: boolean;
  sessionLifetimeMs?: number;
  stationName?: string;
  loginLimits?: LoginLimits;
  /** budget per address per minute on the whole listener: a signed-in request costs 1, an anonymous one 10 (default 6000) */
  requestsPerMinute?: number;
  /** pino options or false; tests pass false */
  logger?: boolean | object;
  /** an existing pino logger (rig serve's); wins over `logger` */
  loggerInstance?: FastifyBaseLogger;
  timeZone?: string;
  importRoster?: RosterImporter;
  /** the kiosk's room hold, when the kiosk runs in this process */
  room?: RoomHoldControl;
  /** built dashboard (kiosk-ui/dist, staff.html and assets/); absent: API only */
  uiDir?: string;
  /** PEM certificate and key: the listener speaks HTTPS (cookies get Secure, HSTS is sent) */
  https?: { cert: Buffer; key: Buffer };
  /** the kiosk runtime's devices (drivers chosen, status) for the status page; absent: `devices: null` */
  devices?: () => DevicesReport;
  /** further plugins registered after the staff routes (the dashboard files, a benchmark's baseline) */
  plugins?: FastifyPluginAsync[];
}

export interface StaffApp {
  app: FastifyInstance;
  routes: RouteRecord[];
}

export async function buildStaffApp(options: StaffAppOptions): Promise<StaffApp> {
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: options.logger ?? false }),
    bodyLimit: 1024 * 1024,
    // The LAN listener is reached directly; never believe X-Forwarded-For for the audit origin.
    trustProxy: false,
    // Fastify's own request lines would carry full URLs (search text, ID numbers): ours mask them.
    logController: new LogController({ disableRequestLogging: true }),
    // Large query strings are never needed here.
    routerOptions: { maxParamLength: 200 },
  });
  const ctx: StaffContext = {
    db: options.db,
    dataDir: options.dataDir,
    photos: options.photos,
    now: options.now ?? (() => new Date()),
    tls: options.https !== undefined || (options.tls ?? false),
    sessionLifetimeMs: options.sessionLifetimeMs ?? 12 * 3600_000,
    stationName: options.stationName ?? 'rig',
    log: app.log.child({ component: 'staff' }),
    timeZone: options.timeZone ?? 'Asia/Shanghai',
    importRoster: options.importRoster,
    ...(options.room ? { room: options.room } : {}),
  };

  await hardenHttp(app, { tls: ctx.tls });
  const routes = installAccessControl(app, ctx, options.requestsPerMinute);
  app.addHook('onResponse', async (req, reply) => {
    ctx.log.info({
      method: req.method, url: maskIdNumbersIn(req.url), status: reply.statusCode, user: req.staff?.name ?? null,
      from: req.ip, ms: Math.round(reply.elapsedTime),
    }, 'request');
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) return sendError(req, reply, 'staff.bad_request', err.validation.map((v) => ({
      where: err.validationContext, path: v.instancePath, rule: v.keyword,
    })), { detail: err.message });
    if (err instanceof DamagedPhotoError) {
      ctx.log.error({ file: err.file }, 'photo file missing or damaged');
      return sendError(req, reply, 'staff.photo_missing', null, { file: err.file });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(req, reply, 'staff.payload_too_large');
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(req, reply, 'staff.bad_request', null, { detail: err.message });
    }
    ctx.log.error({ err }, 'staff route failed');
    return sendError(req, reply, 'staff.internal');
  });
  app.setNotFoundHandler((req, reply) => sendError(req, reply, 'staff.not_found'));

  await app.register(sessionRoutes(ctx, options.loginLimits ?? defaultLoginLimits));
  await app.register(auditRoutes(ctx));
  await app.register(batchRoutes(ctx));
  await app.register(photoRoutes(ctx));
  await app.register(officeRoutes(ctx));
  await app.register(scheduleRoutes(ctx));
  await app.register(discrepancyRoutes(ctx));
  await app.register(identityRoutes(ctx));
  await app.register(deviceRoutes(options.devices));
  await app.register(roomRoutes(ctx));
  if (options.uiDir) await app.register(uiRoutes(options.uiDir));
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  await app.ready();
  return { app, routes };
}
