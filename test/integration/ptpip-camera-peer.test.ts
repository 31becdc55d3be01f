/**
 * The fake PTP/IP camera as a program (`npx tsx test/peers/ptpip-camera.ts --port 0 --images DIR`):
 * it prints its address once listening, stock gphoto2 reads it, stdin changes the fault, and it
 * exits on SIGTERM.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cameraImages, gphoto2Env } from '../support/fake-camera.ts';
import { projectRoot } from '../support/paths.ts';

let peer: ChildProcessWithoutNullStreams | null = null;
afterEach(async () => {
  if (peer && peer.exitCode === null && peer.signalCode === null) {
    peer.kill('SIGKILL');
    await once(peer, 'close');
  }
  peer = null;
});

/** Resolves with the next stdout line matching `re`. */
function line(child: ChildProcessWithoutNullStreams, re: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString('utf8');
      const m = re.exec(buf);
      if (m) {
        child.stdout.off('data', onData);
        resolve(m);
      }
    };
    child.stdout.on('data', onData);
    child.once('close', () => reject(new Error(`peer exited before printing ${re}: ${buf}`)));
  });
}

function gphoto2(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn('gphoto2', args, { env, cwd: tmpdir() });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    c.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
    c.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, out });
    });
  });
}

describe('fake PTP/IP camera program', () => {
  it('prints ptpip: 127.0.0.1:PORT, answers gphoto2, takes faults on stdin and exits on SIGTERM', async () => {
    peer = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test', 'peers', 'ptpip-camera.ts'), '--port', '0', '--images', await cameraImages()], { cwd: projectRoot });
    const [, address] = await line(peer, /^ptpip: (127\.0\.0\.1:\d+)\n/m);
    const port = `ptpip:${address}:${address?.split(':')[1]}`;
    const env = await gphoto2Env();
    const summary = await gphoto2(['--port', port, '--summary'], env);
    expect(summary.out).toMatch(/Model: Fake PTP\/IP Camera/);
    expect(summary.out).toMatch(/Serial Number: FAKE0001/);
    peer.stdin.write('fault storage-full\n');
    await line(peer, /^fault: storage-full$/m);
    const info = await gphoto2(['--port', port, '--storage-info'], env);
    expect(info.out).toMatch(/^free=0 KB$/m);
    const closed = once(peer, 'close');
    peer.kill('SIGTERM');
    const [code] = await closed;
    expect(code).toBe(0);
  });
});
