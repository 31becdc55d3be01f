/**
 * `rig serve` as a real child process on a temp data folder, for the suites that must see the
 * process itself (fault injection, crash loops, fuzzing): both listeners on 127.0.0.1 with free
 * ports, the URLs read from its stdout, its stderr kept for the failure message. `stop()` kills and
 * reaps it on every path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths.ts';

export interface ServeProcess {
  child: ChildProcess;
  pid: number;
  kioskUrl: string;
  staffUrl: string;
  /** Everything it wrote on stderr so far (pino lines). */
  stderr(): string;
  /** Resident set size now, in bytes (from /proc). */
  rss(): number;
  /** Live heap after two full collections, in bytes (only when started with `heapProbe`). */
  heap(): Promise<number>;
  /** Whether it is still running. */
  alive(): boolean;
  /** SIGKILL (or the given signal) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServe(options: { dataDir: string; demo?: boolean; env?: Record<string, string>; args?: string[]; timeoutMs?: number; heapProbe?: boolean }): Promise<ServeProcess> {
  const probe = options.heapProbe ? ['--expose-gc', '--require', join(projectRoot, 'test', 'support', 'heap-probe.cjs')] : [];
  const child = spawn(process.execPath, [...probe, join(projectRoot, 'bin', 'rig.js'), 'serve', ...(options.demo === false ? [] : ['--demo']), '--kiosk-port', '0', '--staff-port', '0', ...(options.args ?? [])], {
    cwd: projectRoot,
    env: { ...process.env, RIG_DATA: options.dataDir, RIG_STAFF_HOST: '127.0.0.1', RIG_LOG_LEVEL: 'warn', ...options.env },
    stdio: options.heapProbe ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`rig serve did not start in time:\n${err}`)), options.timeoutMs ?? 60_000);
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (/^kiosk: /m.test(out) && /^staff: /m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`rig serve exited (${code ?? sig}) before listening:\n${err}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  const kioskUrl = /^kiosk: (\S+?)\/?$/m.exec(out)![1]!;
  const staffUrl = /^staff: (\S+?)\/?$/m.exec(out)![1]!;
  return {
    child, pid: child.pid!, kioskUrl, staffUrl, stop,
    stderr: () => err,
    alive: () => child.exitCode === null && child.signalCode === null,
    heap: () => new Promise<number>((resolve, reject) => {
      if (!options.heapProbe) return reject(new Error('started without heapProbe'));
      const timer = setTimeout(() => { child.off('message', onMessage); reject(new Error('no heap answer within 30 s')); }, 30_000);
      const onMessage = (m: unknown): void => {
        if (typeof m !== 'object' || m === null || !('heap' in m)) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(Number((m as { heap: number }).heap));
      };
      child.on('message', onMessage);
      child.send('heap');
    }),
    rss: () => {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    },
  };
}
