/**
 * `npm run bench -- camera [N]`: N captures through the camera actor (one persistent `gphoto2
 * --shell`) against N runs of `gphoto2 --capture-image-and-download`, one process per shot (what
 * script-based booths do), on the same fake PTP/IP camera in the same run. Both download the same
 * files; the fake takes the same simulated shutter time for each. `ratio:` is actor time / process
 * per shot time (target <= 0.7, goal 0.5).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gphoto2Camera } from '../../controller/src/camera/gphoto2-camera.ts';
import { cameraImages, gphoto2Children, gphoto2Env, ptpipPort, servedBytes, startFakeCamera } from '../support/fake-camera.ts';

const n = Number(process.argv[2] ?? 20);
const fake = await startFakeCamera();
const port = ptpipPort(fake);
const env = await gphoto2Env();
const served = await servedBytes(await cameraImages());
const out = await mkdtemp(join(tmpdir(), 'camera-bench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** One shot the script way: a fresh gphoto2 opens the session, captures, downloads, deletes, closes. */
function oneProcessShot(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // cwd in the scratch folder: gphoto2 downloads into a temporary file in its working directory first.
    const child = spawn('gphoto2', ['--port', port, '--capture-image-and-download', '--filename', file, '--force-overwrite'], { env, stdio: 'ignore', cwd: out });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`gphoto2 exited ${code}`));
    });
  });
}

let mismatches = 0;
const check = (bytes: Buffer): void => {
  const file = fake.served[fake.served.length - 1]?.file as string;
  if (!bytes.equals(served.get(file) as Buffer)) mismatches++;
};

// Warm both paths once (page cache, libgphoto2 camlib loading) before timing.
await oneProcessShot(join(out, 'warm.jpg'));
const warm = await Gphoto2Camera.open({ port, env });
await warm.capture();
await warm.close();

const openStart = performance.now();
const camera = await Gphoto2Camera.open({ port, env });
const openMs = performance.now() - openStart;
// Interleaved, one shot of each in turn: the machine's load drifts, and both paths see the same drift.
const perProcess: number[] = [];
const perActor: number[] = [];
for (let i = 0; i < n; i++) {
  let s = performance.now();
  const file = join(out, `p${i}.jpg`);
  await oneProcessShot(file);
  perProcess.push(performance.now() - s);
  check(await readFile(file));
  s = performance.now();
  const still = await camera.capture();
  perActor.push(performance.now() - s);
  check(still.jpeg);
}
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const processTotal = sum(perProcess);
const actorTotal = sum(perActor);
await camera.close();
await fake.close();
await rm(out, { recursive: true, force: true });
const leftovers = await gphoto2Children();

const f = (x: number): string => x.toFixed(1);
console.log(`camera bench: ${n} captures each, fake PTP/IP camera on ${port}, ${[...served.values()].map((b) => b.length).join('/')} byte JPEGs`);
console.log(`process per shot (gphoto2 --capture-image-and-download): total ${f(processTotal)} ms, per shot median ${f(median(perProcess))} ms, max ${f(Math.max(...perProcess))} ms`);
console.log(`camera actor (persistent gphoto2 --shell):              total ${f(actorTotal)} ms, per shot median ${f(median(perActor))} ms, max ${f(Math.max(...perActor))} ms (open + probe + settings lock once: ${f(openMs)} ms)`);
console.log(`byte mismatches: ${mismatches}; gphoto2 processes left: ${leftovers.length}`);
if (mismatches > 0 || leftovers.length > 0) process.exitCode = 1;
console.log(`ratio: ${(actorTotal / processTotal).toFixed(3)}`);
