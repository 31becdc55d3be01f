/**
 * `npm run bench -- rig [SAMPLES]`: the rig through johnny-five and our driver, on the virtual board
 * and on the real firmware in simavr, side by side (default 40 samples per figure):
 *  - command -> PWM: `setLights` (johnny-five Led.brightness) until the board drives the new duty;
 *  - sensor -> readiness: the door opens (or closes) in the room until readiness says so.
 * ratio = p95(simavr, command -> PWM) / p95(virtual board, command -> PWM): what the real firmware,
 * its UART at 57600 baud and the PTY cost over the in-process emulation.
 */
import type { RigPort } from '../../controller/src/app/ports/rig.ts';
import { openRig } from '../../firmware-bridge/src/open-rig.ts';
import type { BoardRig } from '../../firmware-bridge/src/board-rig.ts';
import type { RoomModel } from '../../firmware-bridge/src/room-model.ts';
import { SimavrBoard } from '../../firmware-bridge/src/simavr-board.ts';
import type { VirtualSerialLine } from '../../firmware-bridge/src/virtual-serial.ts';
import { ensureFirmwareBuilt, testRigSettings, testWiring } from '../support/rig-targets.ts';

const samples = Number(process.argv[2] ?? 40);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

function waitFor(check: () => boolean, subscribe: (wake: () => void) => () => void, timeoutMs = 5000): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    if (check()) {
      resolve(0);
      return;
    }
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out'));
    }, timeoutMs);
    const off = subscribe(() => {
      if (!check()) return;
      clearTimeout(timer);
      off();
      resolve(performance.now() - t0);
    });
  });
}

async function measure(rig: RigPort, room: RoomModel): Promise<{ pwm: number[]; sensor: number[] }> {
  await rig.scene('full', 0);
  const pwm: number[] = [];
  const sensor: number[] = [];
  for (let i = 0; i < samples; i++) {
    const percent = i % 2 === 0 ? 30 : 70;
    const duty = Math.round((percent / 100) * 255);
    const t0 = performance.now();
    await rig.setLights({ key: percent });
    await waitFor(() => room.duty(testWiring.lights.key ?? 9) === duty, (wake) => room.onChange(wake));
    pwm.push(performance.now() - t0);
  }
  for (let i = 0; i < samples; i++) {
    const door = i % 2 === 0 ? 'open' : 'closed';
    const t0 = performance.now();
    room.setDoor(door);
    await waitFor(() => rig.readiness().door === door, (wake) => {
      const timer = setInterval(wake, 2);
      const off = rig.onChange(wake);
      return () => {
        clearInterval(timer);
        off();
      };
    });
    sensor.push(performance.now() - t0);
  }
  return { pwm, sensor };
}

console.log(await ensureFirmwareBuilt());
const virtualRig = (await openRig({ ...testRigSettings, driver: 'simulated' })) as BoardRig & { line: VirtualSerialLine };
let virtual: { pwm: number[]; sensor: number[] };
try {
  virtual = await measure(virtualRig, virtualRig.line.room);
} finally {
  await virtualRig.close();
}
const sim = await SimavrBoard.start(testWiring);
let simavr: { pwm: number[]; sensor: number[] };
try {
  const rig = await openRig({ ...testRigSettings, driver: 'board', serialPort: sim.path });
  try {
    simavr = await measure(rig, sim.room);
  } finally {
    await rig.close();
  }
} finally {
  await sim.close();
}

const f = (n: number): string => n.toFixed(1).padStart(7);
console.log(`samples: ${samples} per figure (johnny-five + firmata-io + our driver; door switch debounced 5 ms by johnny-five)`);
console.log('                              virtual board           firmware in simavr');
console.log(`command -> PWM       p50 ${f(pct(virtual.pwm, 50))} ms   p95 ${f(pct(virtual.pwm, 95))} ms   p50 ${f(pct(simavr.pwm, 50))} ms   p95 ${f(pct(simavr.pwm, 95))} ms`);
console.log(`sensor -> readiness  p50 ${f(pct(virtual.sensor, 50))} ms   p95 ${f(pct(virtual.sensor, 95))} ms   p50 ${f(pct(simavr.sensor, 50))} ms   p95 ${f(pct(simavr.sensor, 95))} ms`);
console.log(`ratio: ${(pct(simavr.pwm, 95) / pct(virtual.pwm, 95)).toFixed(2)}`);
