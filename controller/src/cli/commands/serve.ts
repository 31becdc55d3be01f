/**
 * `rig serve`: the kiosk service on loopback and the staff service on the LAN.
 * Prints `kiosk: URL` and `staff: URL` on stdout once they listen; logs go to stderr.
 */
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import pino from 'pino';
import { createPhotoValidator } from '../../imaging/index.ts';
import { defaultSessionSettings, startKioskRuntime } from '../../server/compose.ts';
import type { SessionSettings } from '../../domain/capture-session.ts';
import type { RigConfig } from '../../config/schema.ts';
import type { CalibrationSettings } from '../../app/calibration/calibration.ts';
import { cliConfig } from '../context.ts';
import { startStaffListener } from '../../server/staff/listener.ts';
import { roomStatusRoutes } from '../../server/staff/room-status.ts';
import { CliError } from '../cli-error.ts';
import { calibrationRoutes } from '../../server/staff/calibration.ts';
import { rigRoutes } from '../../server/rig-routes.ts';

const projectRoot = fileURLToPath(new URL('../../../../', import.meta.url));

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`not a port number: ${value}`, 64);
  return n;
}

/** The configuration's timeouts (seconds, per screen) as the session machine's limits (ms, per state). */
export function sessionSettingsFrom(config: RigConfig): SessionSettings {
  const t = config.timeouts;
  const ms = (s: number): number => s * 1000;
  return {
    ...defaultSessionSettings,
    retakeLimit: config.capture.retakeLimit,
    sessionMs: ms(t.session),
    timeoutsMs: {
      ...defaultSessionSettings.timeoutsMs,
      identify: ms(t.identify), confirm: ms(t.confirm), refused: ms(t.confirm), dress: ms(t.dressCheck), pose: ms(t.pose),
      review: ms(t.review), receipt: ms(t.receipt), 'see-staff': ms(t.confirm),
    },
  };
}

/** The configuration's `calibration` section as the calibration use case's targets, limits and drift tolerance. */
export function calibrationSettingsFrom(config: RigConfig): Partial<CalibrationSettings> {
  const c = config.calibration;
  return {
    targets: { backgroundDeltaE: c.backgroundDeltaE, backgroundSpread: c.backgroundSpread, faceLightness: c.faceLightness, faceTolerance: c.faceTolerance, balance: c.balance },
    limits: { light: { min: c.lightMin, max: c.lightMax }, iso: c.iso, aperture: c.aperture, shutter: c.shutter, whiteBalance: c.whiteBalance, maxShots: c.maxShots },
    drift: { faceLightness: c.driftLightness, balance: c.driftLightness, background: c.driftBackground, subjectLux: c.driftLux },
    greyCard: c.greyCard,
  };
}

/**
 * The last line of defence: a rejection or exception that escaped every handler is logged with its
 * stack and the service keeps answering (a kiosk that dies mid-queue is worse than one odd request).
 * Each such line is a defect to fix; the lint rules on promises exist so that there are none.
 */
function keepServingThroughStrayFailures(logger: pino.Logger): void {
  process.on('unhandledRejection', (err: unknown) => logger.error({ err, escaped: 'unhandledRejection' }, 'a failure escaped its handler'));
  process.on('uncaughtException', (err: Error) => logger.error({ err, escaped: 'uncaughtException' }, 'a failure escaped its handler'));
}

/**
 * A fresh install has no kiosk-ui/dist yet: build it (or rebuild a stale one) before serving. Vite is a
 * development dependency; where it is missing the APIs still serve and / says the UI is not built.
 */
async function ensureUi(uiDir: string, logger: pino.Logger): Promise<void> {
  try {
    const { buildUi } = await import('../../../../scripts/build-ui.mjs');
    if (await buildUi({ outDir: uiDir })) logger.info({ uiDir }, 'kiosk UI built');
  } catch (err) {
    logger.warn({ err, uiDir }, 'kiosk UI could not be built; the APIs still serve');
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('启动采集室服务 / run the kiosk (and staff) services')
    .option('--demo', 'demo mode: load the invented demo roster when the database is empty, show the DEMO banner')
    .option('--kiosk-port <n>', 'kiosk port on loopback (0 picks a free one; default from config)', port)
    .option('--staff-port <n>', 'staff port on the LAN (0 picks a free one; default from config)', port)
    .action(async (opts: { demo?: boolean; kioskPort?: number; staffPort?: number }, command: Command) => {
      const { config, layout } = cliConfig(command);
      const logger = pino({ level: process.env.RIG_LOG_LEVEL ?? 'info', base: { service: 'rig' } }, pino.destination(2));
      keepServingThroughStrayFailures(logger);
      const uiDir = join(projectRoot, 'kiosk-ui', 'dist');
      await ensureUi(uiDir, logger);
      const validator = await createPhotoValidator({ profile: config.photo.profile, logger, faceDescriptor: config.identity.sameFace !== 'off' });
      const runtime = await startKioskRuntime({
        dataDir: layout.root, demo: opts.demo === true, projectRoot, logger, validator,
        school: { code: config.school.code, name: config.school.name }, timeZone: config.timeZone, room: config.room, profile: config.photo.profile,
        session: sessionSettingsFrom(config), uiDir,
        camera: { failureRate: config.camera.simulatedTiltRate },
        storage: { minFreeBytes: config.storage.minFreeMB * 1048576, checkMs: config.storage.checkSeconds * 1000 },
        cameraConfig: { driver: config.camera.driver, port: config.camera.port }, rigConfig: config.rig,
        identity: config.identity.sameFace === 'off' ? false : {
          threshold: config.identity.threshold, referenceThreshold: config.identity.referenceThreshold, presentation: { moireLimit: config.identity.moireLimit, ...config.identity.liveView },
          ...(opts.demo === true ? {} : { onMatch: config.identity.sameFace }),
        },
        calibration: calibrationSettingsFrom(config),
      }).catch(async (err: unknown) => {
        await validator.close();
        throw err;
      });
      const url = await runtime.app.listen({ host: config.kiosk.host, port: opts.kioskPort ?? config.kiosk.port });
      process.stdout.write(`kiosk: ${url}/\n`);
      const staff = await startStaffListener({
        config, db: runtime.db, dataDir: layout.root, port: opts.staffPort, loggerInstance: logger, room: runtime.controller.roomHold, devices: () => runtime.devices(),
        plugins: [
          roomStatusRoutes(runtime.roomStatus),
          calibrationRoutes({ calibration: runtime.calibration, camera: runtime.camera, rig: runtime.rigPort }),
          async (app) => app.register(rigRoutes, { rig: runtime.rig, ...(runtime.rig.choice.simulated ? { controls: runtime.rig } : {}) }),
        ],
      }).catch(async (err: unknown) => {
        await runtime.close();
        await validator.close();
        throw err;
      });
      process.stdout.write(`staff: ${staff.url}\n`);
      if (staff.fingerprint) process.stdout.write(`staff TLS SHA-256: ${staff.fingerprint}\n`);
      for (const w of staff.warnings) process.stderr.write(`${w}\n`);
      let stopping = false;
      const stop = async (): Promise<void> => {
        if (stopping) return;
        stopping = true;
        await staff.close();
        await runtime.close();
        await validator.close();
      };
      const stopAndExit = (signal: string): void => {
        logger.info({ signal }, 'stopping');
        stop().then(() => process.exit(0), (err: unknown) => {
          logger.error({ err }, 'stopping failed');
          process.exit(1);
        });
      };
      process.once('SIGINT', () => stopAndExit('SIGINT'));
      process.once('SIGTERM', () => stopAndExit('SIGTERM'));
    });
}
