/**
 * `rig board status|lights|watch`: the technician's view of the light-and-sensor board. Each opens
 * the board per `rig.driver` (or `--driver`, `--port`), so it cannot run while `rig serve` holds the
 * serial port. Lights set here fall back to standby once the command exits and the board's
 * heartbeat watchdog runs out, unless `--hold` keeps the command (and the heartbeat) alive.
 */
import type { Command } from 'commander';
import { isDeviceError } from '../../app/ports/device.ts';
import type { RigPort } from '../../app/ports/rig.ts';
import { lightChannels, type LightPercent } from '../../domain/lighting.ts';
import { bilingual, externalCode } from '../../domain/messages/index.ts';
import { openRig, settleRig, type RigSettings } from '../../../../firmware-bridge/src/open-rig.ts';
import { cliConfig } from '../context.ts';
import { CliError } from '../cli-error.ts';

interface BoardOptions {
  driver?: 'auto' | 'simulated' | 'board';
  port?: string;
  json?: boolean;
}

function percent(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > 100) throw new CliError(`light level must be 0-100 (%), got ${value}`, 64);
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new CliError(`expected a positive whole number, got ${value}`, 64);
  return n;
}

async function withBoard<T>(command: Command, o: BoardOptions, use: (rig: RigPort) => Promise<T>): Promise<T> {
  const { config } = cliConfig(command);
  const settings: RigSettings = { ...config.rig, ...(o.driver ? { driver: o.driver } : {}), ...(o.port ? { serialPort: o.port } : {}) };
  let rig: RigPort;
  try {
    rig = await openRig(settings);
  } catch (err) {
    if (isDeviceError(err)) throw new CliError(`${bilingual(externalCode(err.code))}\n  ${err.message}`, 69);
    throw err;
  }
  try {
    return await use(rig);
  } finally {
    await rig.close();
  }
}

/** One snapshot of everything a technician asks about first. */
function snapshot(rig: RigPort): Record<string, unknown> {
  const r = rig.readiness();
  return { driver: rig.choice, ready: r.ready, reasons: r.reasons, readings: rig.readings(), health: rig.health() };
}

function age(at: number | undefined, now: number): string {
  return at === undefined ? '-' : `${Math.max(0, now - at)} ms ago`;
}

function printStatus(rig: RigPort): void {
  const r = rig.readiness();
  const now = Date.now();
  const read = rig.readings();
  const health = rig.health();
  console.log(`driver:    ${rig.choice.driver}${rig.choice.simulated ? ' (virtual board)' : ''} - ${rig.choice.reason}`);
  console.log(`ready:     ${r.ready ? '是 / yes' : '否 / no'}`);
  for (const code of r.reasons) console.log(`  - ${bilingual(externalCode(code))} [${code}]`);
  console.log(`door:      ${read.door?.value ?? '-'} (${age(read.door?.at, now)})`);
  console.log(`daylight:  ${read.daylightRaw?.value ?? '-'} counts (${age(read.daylightRaw?.at, now)})`);
  console.log(`subject:   ${read.subjectLux?.value ?? '-'} lux (${age(read.subjectLux?.at, now)})`);
  console.log(`seat:      ${read.seat?.value ?? '-'} (${age(read.seat?.at, now)})`);
  console.log(`board:     ${read.boardTemperatureC?.value.toFixed(1) ?? '-'} C (${age(read.boardTemperatureC?.at, now)})`);
  for (const ch of lightChannels) {
    const l = read.lights[ch];
    if (l) console.log(`light ${ch.padEnd(10)} ${l.value.toFixed(0)} %`);
  }
  if (health) console.log(`firmware:  ${health.firmware}, up ${health.uptimeS} s, watchdog resets ${health.watchdogResets}${health.standby ? ', STANDBY' : ''}`);
}

export function registerBoard(program: Command): void {
  const board = program.command('board').description('灯光与传感器控制板 / the light and sensor board (technicians)');
  const common = (c: Command): Command =>
    c.option('--driver <driver>', 'auto | simulated | board (default: rig.driver)')
      .option('--port <path>', 'serial device (default: rig.serialPort, else scan /dev/ttyACM*, /dev/ttyUSB*)');

  common(board.command('status'))
    .description('连接状态、就绪判定与读数 / connection, readiness and readings')
    .option('--json', 'machine-readable')
    .action(async (o: BoardOptions, command: Command) => {
      await withBoard(command, o, async (rig) => {
        await settleRig(rig, 'standby', 2000);
        if (o.json) console.log(JSON.stringify(snapshot(rig), null, 2));
        else printStatus(rig);
      });
    });

  common(board.command('lights'))
    .description('设置灯光亮度（百分比）/ set light levels (percent)')
    .option('--key <percent>', 'key light', percent)
    .option('--fill <percent>', 'fill light', percent)
    .option('--background <percent>', 'background light', percent)
    .option('--hair <percent>', 'hair light', percent)
    .option('--ramp <ms>', 'soft start/stop over this many ms (done by the firmware)', positiveInt)
    .option('--hold', 'stay connected (keeping the lights up) until Ctrl-C')
    .option('--json', 'machine-readable')
    .action(async (o: BoardOptions & LightPercent & { ramp?: number; hold?: boolean }, command: Command) => {
      const levels: LightPercent = {};
      for (const ch of lightChannels) if (o[ch] !== undefined) levels[ch] = o[ch];
      if (Object.keys(levels).length === 0) throw new CliError('name at least one light: --key, --fill, --background or --hair', 64);
      await withBoard(command, o, async (rig) => {
        await rig.setLights(levels, o.ramp ?? 0);
        // Wait until the board confirms the levels (its pin states), at most the ramp plus 3 s.
        const deadline = Date.now() + (o.ramp ?? 0) + 3000;
        const confirmed = (): boolean => Object.entries(levels).every(([ch, v]) => Math.abs((rig.readings().lights[ch as keyof LightPercent]?.value ?? -100) - v) < 1);
        while (!confirmed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        if (o.json) console.log(JSON.stringify({ confirmed: confirmed(), ...snapshot(rig) }, null, 2));
        else printStatus(rig);
        if (!confirmed()) throw new CliError('the board did not confirm the levels', 69);
        if (o.hold) await untilInterrupted();
      });
    });

  common(board.command('watch'))
    .description('持续显示读数 / live readings until Ctrl-C')
    .option('--interval <ms>', 'time between lines', positiveInt, 500)
    .option('--count <n>', 'stop after this many lines', positiveInt)
    .option('--json', 'one JSON object per line')
    .action(async (o: BoardOptions & { interval: number; count?: number }, command: Command) => {
      await withBoard(command, o, async (rig) => {
        const stop = interrupted();
        for (let i = 0; o.count === undefined || i < o.count; i++) {
          const r = rig.readiness();
          const read = rig.readings();
          if (o.json) console.log(JSON.stringify({ at: new Date().toISOString(), ...snapshot(rig) }));
          else {
            const lights = lightChannels.map((ch) => (read.lights[ch] ? `${ch} ${read.lights[ch]?.value.toFixed(0)}%` : null)).filter(Boolean).join(' ');
            console.log(`${new Date().toISOString()}  ${r.ready ? 'READY' : `not ready: ${r.reasons.join(',')}`}  door ${read.door?.value ?? '-'}  daylight ${read.daylightRaw?.value ?? '-'}  lux ${read.subjectLux?.value ?? '-'}  seat ${read.seat?.value ?? '-'}  board ${read.boardTemperatureC?.value.toFixed(1) ?? '-'} C  ${lights}`);
          }
          if (await Promise.race([stop.promise, new Promise<false>((r) => setTimeout(() => r(false), o.interval))])) break;
        }
        stop.dispose();
      });
    });
}

/** Resolves true on SIGINT/SIGTERM; `dispose` removes the handlers. */
function interrupted(): { promise: Promise<true>; dispose: () => void } {
  let onSignal: () => void = () => undefined;
  const promise = new Promise<true>((resolve) => {
    onSignal = () => resolve(true);
  });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { promise, dispose: () => { process.removeListener('SIGINT', onSignal); process.removeListener('SIGTERM', onSignal); } };
}

async function untilInterrupted(): Promise<void> {
  const s = interrupted();
  await s.promise;
  s.dispose();
}
