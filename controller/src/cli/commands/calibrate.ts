/**
 * `rig calibrate [--auto] [--save NAME] [--json]`: the calibration page from a terminal. Opens the
 * configured camera and rig as `rig serve` does (stop the service first: both want the devices),
 * takes one test shot (or runs auto-calibration with --auto), prints the figures and each step,
 * and with --save stores the result as a named profile (activate it on the page or with the API).
 */
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import pino from 'pino';
import { createPhotoValidator } from '../../imaging/index.ts';
import { defaultSessionSettings, startKioskRuntime } from '../../server/compose.ts';
import { CalibrationError } from '../../app/calibration/calibration-error.ts';
import type { AutoRun, TestShot } from '../../app/calibration/calibration.ts';
import { bilingual, type MessageCode } from '../../domain/messages/index.ts';
import { cliConfig, printJson } from '../context.ts';
import { formatTable } from '../format.ts';
import { CliError } from '../cli-error.ts';
import { calibrationSettingsFrom } from './serve.ts';

const projectRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const r1 = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : String(Math.round(v * 10) / 10));

function shotRows(shot: Pick<TestShot, 'settings' | 'targets'>): string[] {
  const s = shot.settings;
  return [
    `${r1(s.lights.key)}/${r1(s.lights.fill)}/${r1(s.lights.background)}`, `ISO ${s.camera.iso} ${s.camera.aperture} ${s.camera.shutter}`,
    ...shot.targets.map((t) => `${r1(t.value)}${t.passed ? '' : ' ✗'}`),
  ];
}

const header = ['key/fill/background %', 'camera', 'backdrop ΔE00', 'backdrop spread', 'face L*', 'face ΔL*'];

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description('灯光与相机校准（请先停止 rig serve）/ calibrate lights and camera (stop rig serve first)')
    .option('--auto', 'auto-calibrate: shoot, measure and adjust until the targets hold or the shot limit is reached')
    .option('--save <name>', 'save the result as a named calibration profile')
    .option('--json', 'print JSON')
    .action(async (opts: { auto?: boolean; save?: string; json?: boolean }, command: Command) => {
      const { config, layout } = cliConfig(command);
      const logger = pino({ level: process.env.RIG_LOG_LEVEL ?? 'warn' }, pino.destination(2));
      const validator = await createPhotoValidator({ profile: config.photo.profile, logger });
      try {
        const runtime = await startKioskRuntime({
          dataDir: layout.root, demo: false, projectRoot, logger, validator,
          school: { code: config.school.code, name: config.school.name }, timeZone: config.timeZone, room: config.room, profile: config.photo.profile,
          session: defaultSessionSettings, camera: { failureRate: 0 },
          cameraConfig: { driver: config.camera.driver, port: config.camera.port }, rigConfig: config.rig,
          calibration: calibrationSettingsFrom(config),
        });
        try {
          const calibration = runtime.calibration;
          if (!calibration) throw new CliError(bilingual('calibration.unavailable'), 69);
          let run: AutoRun | null = null;
          let shot: TestShot | null = null;
          if (opts.auto) run = await calibration.autoCalibrate();
          else shot = await calibration.testShot();
          const profile = opts.save ? await calibration.saveProfile(opts.save, `cli:${process.env.USER ?? 'technician'}`) : null;
          if (opts.json) {
            printJson({ ...(run ? { run } : { shot }), ...(profile ? { profile } : {}) });
          } else if (run) {
            process.stdout.write(`${formatTable(['shot', ...header], run.steps.map((s) => [String(s.shot), ...shotRows(s)]))}\n`);
            process.stdout.write(`${bilingual(run.outcome.reason as MessageCode, run.outcome.params)}\n`);
          } else if (shot) {
            process.stdout.write(`${formatTable(header, [shotRows(shot)])}\n`);
          }
          if (profile && !opts.json) process.stdout.write(`saved profile #${profile.id} ${profile.name}\n`);
          if (run && !run.converged) process.exitCode = 2;
        } finally {
          await runtime.close();
        }
      } catch (err) {
        if (err instanceof CalibrationError) throw new CliError(bilingual(err.code, err.params), err.code === 'calibration.name_taken' ? 65 : 1);
        throw err;
      } finally {
        await validator.close();
      }
    });
}
