import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Camera, CameraSettingKey, CameraSettings } from '../../app/ports/camera.ts';
import { CAMERA_SETTING_KEYS } from '../../app/ports/camera.ts';
import { isCameraError, kioskReasonForCameraError } from '../../app/ports/camera-error.ts';
import { loadDemoSubject } from '../../camera/demo-subject.ts';
import { openCamera, type OpenedCamera } from '../../camera/open-camera.ts';
import { SimulatedCamera } from '../../camera/simulated-camera.ts';
import { bilingual } from '../../domain/messages/index.ts';
import { cliConfig, printJson } from '../context.ts';
import { formatTable } from '../format.ts';
import { CliError } from '../cli-error.ts';

const projectRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Opens the configured camera (same choice as `rig serve`), runs `fn`, always closes it. Camera failures exit 1 with their code. */
async function withCamera<T>(cmd: Command, fn: (opened: OpenedCamera) => Promise<T>): Promise<T> {
  const { config } = cliConfig(cmd);
  let opened: OpenedCamera | null = null;
  try {
    opened = await openCamera({ driver: config.camera.driver, port: config.camera.port }, {
      simulated: async () => new SimulatedCamera({ subject: await loadDemoSubject(join(projectRoot, 'config', 'demo-subject.png')), failureRate: 0 }),
    });
    return await fn(opened);
  } catch (err) {
    if (isCameraError(err)) throw new CliError(`${err.code}: ${bilingual(kioskReasonForCameraError(err))}\n  ${err.message}`, 1);
    throw err;
  } finally {
    await opened?.camera.close();
  }
}

function settingsRows(s: CameraSettings): string[][] {
  return CAMERA_SETTING_KEYS.filter((k) => s[k]).map((k) => [k, s[k]?.value ?? '', s[k]?.readOnly ? '(read-only)' : (s[k]?.choices ?? []).join(', ')]);
}

function parseAssignments(list: string[]): Partial<Record<CameraSettingKey, string>> {
  const out: Partial<Record<CameraSettingKey, string>> = {};
  for (const item of list) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(item);
    const key = m?.[1] as CameraSettingKey | undefined;
    if (!m || !key || !(CAMERA_SETTING_KEYS as readonly string[]).includes(key)) {
      throw new CliError(`--set ${item}: expected KEY=VALUE with KEY one of ${CAMERA_SETTING_KEYS.join(', ')}`, 64);
    }
    out[key] = m[2] ?? '';
  }
  return out;
}

const describeCamera = (camera: Camera): string[][] => [
  ['model', camera.info.model], ['serial', camera.info.serial ?? '-'], ['lens', camera.info.lens ?? '-'],
  ['battery', camera.info.batteryPercent === null ? '-' : `${camera.info.batteryPercent}%`],
  ['free storage', camera.info.freeBytes === null ? '-' : `${(camera.info.freeBytes / 1e9).toFixed(1)} GB`],
  ['port', camera.info.port ?? '-'], ['status', camera.status],
];

/** `rig camera status | settings [--set K=V] | capture --out FILE`: the technician's view of the camera `rig serve` would use. */
export function registerCamera(program: Command): void {
  const camera = program.command('camera').description('相机状态、设置与试拍 / camera status, settings and a test shot');

  camera
    .command('status')
    .description('打开配置的相机并显示型号、电量、存储与所选驱动 / open the configured camera and show what it is')
    .option('--json', 'print {choice, info, status} as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withCamera(cmd, async ({ camera: cam, choice }) => {
        if (opts.json) printJson({ choice, info: cam.info, status: cam.status });
        else for (const [k, v] of [['driver', `${choice.driver} (${choice.reason})`], ...describeCamera(cam)]) console.log(`${(k ?? '').padEnd(14)}${v ?? ''}`);
      });
    });

  camera
    .command('settings')
    .description('查看或修改相机设置 / show or change camera settings')
    .option('--set <K=V>', `change a setting (${CAMERA_SETTING_KEYS.join(', ')}); repeatable`, (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--json', 'print the settings as JSON')
    .action(async (opts: { set: string[]; json?: boolean }, cmd: Command) => {
      const changes = parseAssignments(opts.set);
      await withCamera(cmd, async ({ camera: cam }) => {
        const settings = Object.keys(changes).length ? await cam.setSettings(changes) : await cam.getSettings();
        if (opts.json) printJson(settings);
        else console.log(formatTable(['setting', 'value', 'choices'], settingsRows(settings)));
      });
    });

  camera
    .command('capture')
    .description('试拍一张并保存原图 / take one test shot and save the original')
    .requiredOption('--out <file>', 'where to write the JPEG')
    .option('--json', 'print {file, bytes, width, height, ms, driver} as JSON')
    .action(async (opts: { out: string; json?: boolean }, cmd: Command) => {
      await withCamera(cmd, async ({ camera: cam, choice }) => {
        const started = performance.now();
        const still = await cam.capture();
        const ms = Math.round(performance.now() - started);
        await writeFile(opts.out, still.jpeg);
        const result = { file: opts.out, bytes: still.jpeg.length, width: still.width, height: still.height, ms, driver: choice.driver };
        if (opts.json) printJson(result);
        else console.log(`${opts.out}: ${still.width}x${still.height}, ${still.jpeg.length} bytes, ${ms} ms (${choice.driver})`);
      });
    });
}
