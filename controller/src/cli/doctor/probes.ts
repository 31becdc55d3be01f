/**
 * The facts `rig doctor` judges, read from this machine: tools run with a time limit (execFile
 * kills and reaps a tool that hangs, e.g. gphoto2 waiting on a camera that stopped answering).
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readdir, readFile, statfs } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { RigConfig } from '../../config/schema.ts';
import type { DoctorFacts, PortProbe } from '../../domain/doctor.ts';

/** A tool's stdout, or null when it is absent, fails or takes longer than `timeoutMs`. */
function run(file: string, args: string[], timeoutMs: number): Promise<string | null> {
  return new Promise((done) => {
    execFile(file, args, { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' }, (err, stdout) => done(err ? null : stdout));
  });
}

/** Camera lines of `gphoto2 --auto-detect` (the table below the dashes): "Model  port". */
export function parseAutoDetect(text: string): string[] {
  const lines = text.split('\n');
  const rule = lines.findIndex((l) => /^-{10,}/.test(l.trim()));
  return lines.slice(rule + 1).map((l) => l.trim().replace(/\s{2,}/g, ' ')).filter((l) => l !== '');
}

async function cameraFacts(config: RigConfig): Promise<DoctorFacts['camera']> {
  const version = await run('gphoto2', ['--version'], 10_000);
  const gphoto2Version = version === null ? null : (/gphoto2\s+([\d.]+)/.exec(version)?.[1] ?? 'unknown');
  if (gphoto2Version === null || config.camera.driver === 'simulated') return { driver: config.camera.driver, gphoto2Version, detected: [] };
  // A network camera is not enumerated by --auto-detect; its configured address is taken as given.
  if (config.camera.port?.startsWith('ptpip:')) return { driver: config.camera.driver, gphoto2Version, detected: [config.camera.port] };
  const detected = parseAutoDetect((await run('gphoto2', ['--auto-detect'], 20_000)) ?? '');
  return { driver: config.camera.driver, gphoto2Version, detected };
}

async function boardFacts(config: RigConfig): Promise<DoctorFacts['board']> {
  const configured = config.rig.serialPort;
  let portAccess: DoctorFacts['board']['access'] = null;
  if (configured !== null) {
    portAccess = await access(configured, constants.R_OK | constants.W_OK).then(
      () => 'ok' as const,
      (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? 'missing' as const : 'denied' as const),
    );
  }
  const list = async (dir: string, pattern: RegExp): Promise<string[]> =>
    (await readdir(dir).catch(() => [])).filter((n) => pattern.test(n)).map((n) => join(dir, n));
  const candidates = [
    ...(await list('/dev', /^rig-board$/)),
    ...(await list('/dev/serial/by-id', /./)),
    ...(await list('/dev', /^tty(ACM|USB)\d+$/)),
  ];
  return { driver: config.rig.driver, configured, access: portAccess, candidates };
}

async function freeBytes(folder: string): Promise<number | null> {
  // The data folder may not exist yet (before the first start): ask its nearest existing parent.
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    const st = await statfs(dir).catch(() => null);
    if (st) return st.bavail * st.bsize;
    if (dirname(dir) === dir) return null;
  }
}

async function clockSynchronized(): Promise<boolean | null> {
  const answer = (await run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'], 5000))?.trim();
  if (answer === 'yes') return true;
  if (answer === 'no') return false;
  return access('/run/systemd/timesync/synchronized').then(() => true, () => null);
}

/** What answers on the kiosk port: our kiosk API (its state document), nothing, or something else. */
async function probeKiosk(host: string, port: number, waitMs: number): Promise<PortProbe> {
  if (port === 0) return 'free';
  try {
    const res = await fetch(`http://${host === 'localhost' ? '127.0.0.1' : host}:${port}/api/kiosk/state`, { signal: AbortSignal.timeout(waitMs) });
    const body: unknown = await res.json().catch(() => null);
    return typeof body === 'object' && body !== null && 'state' in body && 'rig' in body ? 'rig' : 'other';
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? (err.cause as NodeJS.ErrnoException).code : undefined;
    if (cause === 'ECONNREFUSED') return 'free';
    return err instanceof Error && err.name === 'TimeoutError' ? 'unknown' : 'other';
  }
}

/** Whether something accepts connections on the staff port (which needs a login to say more). */
function probeStaffPort(host: string, port: number, waitMs: number): Promise<'open' | 'free' | 'unknown'> {
  if (port === 0) return Promise.resolve('free');
  const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return new Promise((done) => {
    const socket = connect({ host: target, port, timeout: waitMs });
    socket.once('connect', () => { socket.destroy(); done('open'); });
    socket.once('timeout', () => { socket.destroy(); done('unknown'); });
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'free' : 'unknown'));
  });
}

async function certificate(file: string | null): Promise<DoctorFacts['tls']> {
  if (file === null) return { configured: false, notAfter: null, unreadable: false };
  try {
    const cert = new X509Certificate(await readFile(file));
    return { configured: true, notAfter: new Date(cert.validTo), unreadable: false };
  } catch {
    return { configured: true, notAfter: null, unreadable: true };
  }
}

/** `probeMs`: how long each listener may take to answer before it counts as unknown (default 5 s). */
export async function gatherFacts(config: RigConfig, dataFolder: string, now: Date, options: { probeMs?: number } = {}): Promise<DoctorFacts> {
  const waitMs = options.probeMs ?? 5000;
  const [camera, board, chromium, free, synchronized, kiosk, staffPort, tls] = await Promise.all([
    cameraFacts(config),
    boardFacts(config),
    run('chromium', ['--version'], 20_000),
    freeBytes(dataFolder),
    clockSynchronized(),
    probeKiosk(config.kiosk.host, config.kiosk.port, waitMs),
    probeStaffPort(config.staff.host, config.staff.port, waitMs),
    certificate(config.staff.tls.cert),
  ]);
  const staff: PortProbe = staffPort === 'free' ? 'free' : staffPort === 'unknown' ? 'unknown' : kiosk === 'rig' ? 'rig' : 'other';
  return {
    camera, board,
    chromium: { version: chromium?.trim() ?? null },
    disk: { folder: dataFolder, freeBytes: free },
    clock: { now, synchronized, systemTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, configTimeZone: config.timeZone },
    kiosk: { port: config.kiosk.port, probe: kiosk },
    staff: { host: config.staff.host, port: config.staff.port, probe: staff },
    tls,
  };
}
