/**
 * The gphoto2 camera: a supervised actor that is the only owner of the body. Commands (capture,
 * preview frames, settings, health) are queued and run one at a time through one persistent
 * `gphoto2 --shell`, each with its own time limit. A wedged or dead shell is killed (and reaped)
 * and the camera reopened: quietly when the body only refused one command (busy, card full),
 * otherwise as a loss (`lost`, `reconnecting` with exponential backoff, `connected`).
 *
 * On every (re)connect the active settings are locked: JPEG only and the smallest image size that
 * still fills the deliverable with margin (gphoto2-output.ts says how much).
 */
import { mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceStatus, DeviceStatusEvent } from '../app/ports/device.ts';
import { CameraError, isCameraError, type CameraErrorCode } from '../app/ports/camera-error.ts';
import type { Camera, CameraInfo, CameraSettingKey, CameraSettings, CaptureOptions, PreviewFrame, Still } from '../app/ports/camera.ts';
import { classifyFailure, parseBattery, parseConfig, parseFreeBytes, savedFiles } from './gphoto2-output.ts';
import { jpegDimensions } from '../domain/photo/jpeg-size.ts';
import { lockSettings, probeBody, readSettings, writeSettings } from './gphoto2-session.ts';
import type { CameraLogger } from './camera-logger.ts';
import { Gphoto2Shell, ShellFailure, type ShellReply } from './gphoto2-shell.ts';

export type { CameraLogger };

export interface Gphoto2CameraOptions {
  /** gphoto2 `--port`; null takes the first camera gphoto2 detects. */
  port: string | null;
  binary?: string;
  env?: NodeJS.ProcessEnv;
  logger?: CameraLogger;
  timeouts?: Partial<{
    /** Starting the shell and probing the body. */
    openMs: number;
    /** One still: focus, shutter, transfer of a 24 MP JPEG over USB 2 with room to spare. */
    captureMs: number;
    /** Settings and health. */
    commandMs: number;
    /**
     * One live-view frame after the first of a stream (the first has `commandMs`: the body may be
     * starting live view). A frame takes tens of milliseconds; one that does not come within this
     * limit is a frozen live view: gphoto2 is killed and the body reconnected, and the stream ends
     * with `camera.disconnected` so that the kiosk says "camera not connected" within 2 s instead
     * of showing the last frame frozen.
     */
    previewMs: number;
  }>;
  backoff?: Partial<{ initialMs: number; maxMs: number }>;
  /** Lock JPEG-only and the smallest filling size on connect (default true). */
  lockSettings?: boolean;
  /** Live-view frames per second at most (each is one `capture-preview`). */
  previewFps?: number;
  /**
   * How long the camera may sit idle before a health check (battery and storage) asks whether it is
   * still there: an unplugged or sleeping body is then reported `lost` without waiting for the next
   * shot. 0 turns the checks off.
   */
  healthMs?: number;
}

const defaults = { openMs: 8000, captureMs: 15_000, commandMs: 5000, previewMs: 1200, initialMs: 250, maxMs: 5000, previewFps: 10, healthMs: 1000 };

const silent: CameraLogger = { info: () => undefined, warn: () => undefined, debug: () => undefined };

interface Job<T> {
  run: (shell: Gphoto2Shell) => Promise<T>;
}

export class Gphoto2Camera implements Camera {
  info: CameraInfo;
  private currentStatus: DeviceStatus = 'reconnecting';
  private readonly listeners = new Set<(e: DeviceStatusEvent) => void>();
  private shell: Gphoto2Shell | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private capturing = false;
  /** A queued command is running in the shell now. */
  private running = false;
  private closed = false;
  private reconnecting: Promise<void> | null = null;
  private reconnectTimer: { timer: NodeJS.Timeout; wake: () => void } | null = null;
  private readonly log: CameraLogger;
  private readonly t: typeof defaults;
  private readonly subscribers = new Map<number, { onFrame: (f: PreviewFrame) => void; onError?: (e: Error) => void }>();
  private nextSubscriber = 1;
  private previewLoop: Promise<void> | null = null;
  private previewSeq = 0;
  private healthTimer: NodeJS.Timeout | null = null;
  /** When the last queued command ended: health checks only fill silences. */
  private lastActivity = Date.now();
  /** What the lock on connect set, for `rig camera status`. */
  locked: Partial<Record<CameraSettingKey, string>> = {};

  private constructor(private readonly options: Gphoto2CameraOptions, private readonly workDir: string) {
    this.log = options.logger ?? silent;
    this.t = {
      ...defaults, ...options.timeouts, ...options.backoff,
      ...(options.previewFps ? { previewFps: options.previewFps } : {}),
      ...(options.healthMs === undefined ? {} : { healthMs: options.healthMs }),
    };
    this.info = { driver: 'gphoto2', model: 'unknown', simulated: false, serial: null, lens: null, batteryPercent: null, freeBytes: null, port: options.port };
  }

  /** Opens the body: starts gphoto2, probes identity and health, locks settings. Rejects with a CameraError (`camera.not_found` when nothing answers). */
  static async open(options: Gphoto2CameraOptions): Promise<Gphoto2Camera> {
    const dir = await mkdtemp(join(tmpdir(), 'rig-camera-'));
    const camera = new Gphoto2Camera(options, dir);
    try {
      await camera.connect(true);
    } catch (err) {
      await camera.close();
      throw err;
    }
    return camera;
  }

  get status(): DeviceStatus {
    return this.currentStatus;
  }

  onStatus(listener: (event: DeviceStatusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setStatus(status: DeviceStatus, code?: string): void {
    if (status === this.currentStatus || this.closed) return;
    this.currentStatus = status;
    this.log.info({ status, code }, 'camera status');
    const e: DeviceStatusEvent = code ? { status, at: Date.now(), code } : { status, at: Date.now() };
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        // A listener's bug must not stop the actor from reconnecting.
        this.log.warn({ err: String(err) }, 'camera status listener failed');
      }
    }
  }

  /** Starts a shell and probes the body; on success the shell is ours and the status `connected`. */
  private async connect(opening: boolean): Promise<void> {
    const shell = await Gphoto2Shell.start({
      port: this.options.port, cwd: this.workDir,
      ...(this.options.binary ? { binary: this.options.binary } : {}),
      ...(this.options.env ? { env: this.options.env } : {}),
    }).catch((err: unknown) => {
      throw new CameraError('camera.not_found', `gphoto2 did not start: ${String(err)}`, { cause: err });
    });
    try {
      const deadline = Date.now() + this.t.openMs;
      const left = (): number => Math.max(1, deadline - Date.now());
      this.info = { ...this.info, ...(await probeBody(shell, left, opening)) };
      if (this.options.lockSettings !== false) this.locked = await lockSettings(shell, left, this.log);
      if (this.closed) throw new CameraError('camera.disconnected', 'camera closed while opening');
      this.shell = shell;
      // A shell that dies on its own (gphoto2 crashed, body gone) is a loss; one we replaced is not.
      shell.whenExited().then(() => {
        if (this.shell === shell) this.lose('camera.disconnected');
      }).catch((err: unknown) => this.log.warn({ err: String(err) }, 'camera loss handling failed'));
      this.log.info({ info: this.info, locked: this.locked }, 'camera connected');
      this.setStatus('connected');
      this.lastActivity = Date.now();
      this.armHealth();
    } catch (err) {
      await shell.kill();
      if (isCameraError(err)) throw err;
      const errors = err instanceof ShellFailure ? err.errors : [];
      const code: CameraErrorCode = err instanceof ShellFailure && err.kind === 'timeout' ? (opening ? 'camera.not_found' : 'camera.timeout') : classifyFailure(errors, opening);
      throw new CameraError(code, err instanceof Error ? err.message : String(err), { cause: err });
    }
  }

  /** The body went away (or wedged past repair): drop the shell and reconnect in the background with backoff. */
  private lose(code: CameraErrorCode): void {
    const shell = this.shell;
    this.shell = null;
    if (shell) shell.kill().catch(() => undefined);
    if (this.closed || this.reconnecting) return;
    this.setStatus('lost', code);
    this.failPreviews(new CameraError('camera.disconnected', 'the camera went away'));
    this.reconnecting = this.reconnectLoop(code)
      .catch((err: unknown) => this.log.warn({ err: String(err) }, 'camera reconnect loop failed'))
      .finally(() => {
        this.reconnecting = null;
      });
  }

  private async reconnectLoop(code: CameraErrorCode): Promise<void> {
    let delay = 0;
    for (let attempt = 1; !this.closed; attempt++) {
      this.setStatus('reconnecting', code);
      if (delay > 0) await this.sleep(delay);
      if (this.closed) return;
      try {
        await this.connect(false);
        this.log.info({ attempt }, 'camera reconnected');
        return;
      } catch (err) {
        this.log.debug({ attempt, err: String(err) }, 'camera reconnect failed');
        delay = delay === 0 ? this.t.initialMs : Math.min(this.t.maxMs, delay * 2);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.reconnectTimer = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.reconnectTimer = { timer, wake };
    });
  }

  /** Waits until a reconnect in progress is over (tests and the CLI use it); resolves at once when connected. */
  async whenConnected(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && this.currentStatus !== 'connected' && this.currentStatus !== 'busy' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.currentStatus === 'connected' || this.currentStatus === 'busy';
  }

  /**
   * Queues one command. It runs after those before it; if the camera is not connected when its turn
   * comes it rejects with `camera.disconnected`. Failures are classified; a dead or wedged shell is
   * replaced before the next command runs.
   */
  private enqueue<T>(name: string, job: Job<T>, signal?: AbortSignal): Promise<T> {
    const result = this.queue.then(async () => {
      if (signal?.aborted) throw signal.reason;
      const shell = this.shell;
      if (this.closed || !shell || !shell.alive) throw new CameraError('camera.disconnected', `${name}: the camera is not connected`);
      this.running = true;
      try {
        return await job.run(shell);
      } catch (err) {
        if (signal?.aborted) {
          // The shell was killed to cut the command short: bring it back before the next one.
          await this.restartQuietly('camera.timeout');
          throw signal.reason;
        }
        const e = this.classify(name, err);
        if (e.code === 'camera.disconnected' || e.code === 'camera.timeout') {
          // gphoto2 keeps prompting after the connection ended, but its session is gone: start over.
          this.lose(e.code);
        } else if (!shell.alive || err instanceof ShellFailure) {
          // The body refused (busy, card full) and the shell wedged on it: the body is still there.
          await this.restartQuietly(e.code);
        }
        throw e;
      } finally {
        this.running = false;
        this.lastActivity = Date.now();
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Replaces a shell the body wedged while it stays connected; a failure to reopen becomes a loss. */
  private async restartQuietly(code: CameraErrorCode): Promise<void> {
    const old = this.shell;
    this.shell = null;
    if (old) await old.kill();
    if (this.closed) return;
    try {
      await this.connect(false);
    } catch {
      this.lose(code);
    }
  }

  private classify(name: string, err: unknown): CameraError {
    if (isCameraError(err)) return err;
    if (err instanceof ShellFailure) {
      if (err.kind === 'timeout') return new CameraError('camera.timeout', `${name}: ${err.message}`, { cause: err });
      if (err.kind === 'exited') return new CameraError('camera.disconnected', `${name}: gphoto2 exited`, { cause: err });
      return new CameraError(classifyFailure(err.errors, false), `${name}: ${err.errors.join(' | ') || err.message}`, { cause: err });
    }
    return new CameraError('camera.permanent', `${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }

  /**
   * Re-arms the idle health check. Each wake checks only if nothing ran for `healthMs` (the queue
   * proves the body is there otherwise), then arms the next one: no wake relies on an earlier one.
   */
  private armHealth(): void {
    if (this.healthTimer) clearTimeout(this.healthTimer);
    this.healthTimer = null;
    if (this.closed || this.t.healthMs <= 0) return;
    this.healthTimer = setTimeout(() => {
      this.healthTimer = null;
      const idleFor = Date.now() - this.lastActivity;
      if (this.closed || !this.shell) return;
      if (this.running || idleFor < this.t.healthMs) {
        this.armHealth();
        return;
      }
      this.refresh().then(
        () => this.armHealth(),
        // A failed check has already reported the loss (lose() re-arms on reconnect).
        () => this.armHealth(),
      );
    }, this.t.healthMs);
  }

  async capture(options: CaptureOptions = {}): Promise<Still> {
    const { signal } = options;
    if (signal?.aborted) throw signal.reason;
    if (this.closed) throw new CameraError('camera.disconnected', 'camera closed');
    if (this.capturing) throw new CameraError('camera.busy', 'a capture is in flight');
    if (this.currentStatus !== 'connected' && this.currentStatus !== 'busy') throw new CameraError('camera.disconnected', 'the camera is not connected');
    this.capturing = true;
    try {
      return await this.enqueue('capture', {
        run: async (shell) => {
          this.setStatus('busy');
          try {
            const r = await shell.run('capture-image-and-download', this.t.captureMs, signal);
            return await this.readStill(r);
          } finally {
            if (this.shell === shell && shell.alive) this.setStatus('connected');
          }
        },
      }, signal);
    } finally {
      this.capturing = false;
    }
  }

  private async readStill(r: ShellReply): Promise<Still> {
    const files = savedFiles(r.out);
    const jpegName = files.find((f) => /\.jpe?g$/i.test(f)) ?? files[0];
    try {
      // Nothing saved and nothing said: the session under the shell is gone.
      if (!jpegName) throw new CameraError(classifyFailure(r.errors, false), `no file downloaded: ${r.errors.join(' | ') || r.out || 'no output'}`);
      if (r.errors.length) throw new CameraError(classifyFailure(r.errors, false), r.errors.join(' | '));
      const jpeg = await readFile(join(this.workDir, jpegName));
      const size = jpegDimensions(jpeg);
      if (!size) throw new CameraError('camera.permanent', `the camera saved ${jpegName}, which is not a JPEG`);
      return { jpeg, ...size, capturedAt: new Date() };
    } finally {
      for (const f of files) await unlink(join(this.workDir, f)).catch(() => undefined);
    }
  }

  async getSettings(): Promise<CameraSettings> {
    return this.enqueue('get settings', { run: (shell) => readSettings(shell, this.t.commandMs) });
  }

  async setSettings(changes: Partial<Record<CameraSettingKey, string>>): Promise<CameraSettings> {
    await this.enqueue('set settings', { run: (shell) => writeSettings(shell, changes, this.t.commandMs) });
    return this.getSettings();
  }

  async refresh(): Promise<CameraInfo> {
    return this.enqueue('refresh', {
      run: async (shell) => {
        const battery = parseConfig((await shell.run('get-config batterylevel', this.t.commandMs)).out);
        const storage = await shell.run('storage-info', this.t.commandMs);
        if (storage.errors.length) throw new CameraError(classifyFailure(storage.errors, false), storage.errors.join(' | '));
        this.info = { ...this.info, batteryPercent: parseBattery(battery?.value), freeBytes: parseFreeBytes(storage.out) };
        return { ...this.info };
      },
    });
  }

  /**
   * Live view as a loop of `capture-preview` commands, each one queue turn: a capture queued in
   * between runs next, so the preview stops for the still and resumes after it. A body without
   * live view ends the stream with `camera.permanent`; a lost body, or a frame that does not come
   * within `previewMs` (a frozen live view), ends it with `camera.disconnected`.
   */
  preview(onFrame: (frame: PreviewFrame) => void, onError?: (err: Error) => void): () => void {
    if (this.closed) throw new CameraError('camera.disconnected', 'camera closed');
    const id = this.nextSubscriber++;
    this.subscribers.set(id, onError ? { onFrame, onError } : { onFrame });
    if (!this.previewLoop) {
      this.previewSeq = 0;
      this.previewLoop = this.runPreview()
        .catch((err: unknown) => this.failPreviews(new CameraError('camera.permanent', String(err))))
        .finally(() => {
          this.previewLoop = null;
        });
    }
    return () => {
      this.subscribers.delete(id);
    };
  }

  private async runPreview(): Promise<void> {
    const period = 1000 / this.t.previewFps;
    // The first frame of a stream may wait for the body to raise its mirror and start live view
    // (a second or two on some bodies): it has the command limit; the frames after it, previewMs.
    let limit = this.t.commandMs;
    while (this.subscribers.size > 0 && !this.closed) {
      const started = Date.now();
      try {
        const frame = await this.enqueue('preview', {
          run: async (shell) => {
            const r = await shell.run('capture-preview', limit);
            const files = savedFiles(r.out);
            try {
              const name = files[0];
              if (!name) {
                const code = /not supported|unsupported/i.test(r.errors.join('\n') + r.out) || r.errors.length === 0 ? 'camera.permanent' : classifyFailure(r.errors, false);
                throw new CameraError(code, `no live view: ${r.errors.join(' | ') || r.out}`);
              }
              const jpeg = await readFile(join(this.workDir, name));
              const size = jpegDimensions(jpeg) ?? { width: 0, height: 0 };
              return { jpeg, ...size, seq: ++this.previewSeq };
            } finally {
              for (const f of files) await unlink(join(this.workDir, f)).catch(() => undefined);
            }
          },
        });
        limit = this.t.previewMs;
        for (const s of [...this.subscribers.values()]) s.onFrame(frame);
      } catch (err) {
        this.failPreviews(isCameraError(err) ? err : new CameraError('camera.permanent', String(err)));
        return;
      }
      const wait = period - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  private failPreviews(err: CameraError): void {
    const subs = [...this.subscribers.values()];
    this.subscribers.clear();
    for (const s of subs) s.onError?.(err);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscribers.clear();
    if (this.healthTimer) clearTimeout(this.healthTimer);
    this.healthTimer = null;
    this.reconnectTimer?.wake();
    const shell = this.shell;
    // A command in flight is cut (its caller gets camera.disconnected); an idle shell closes the session properly.
    if (shell && this.running) await shell.kill();
    else await shell?.exit(500);
    this.shell = null;
    await this.reconnecting?.catch(() => undefined);
    await this.queue;
    await this.previewLoop?.catch(() => undefined);
    this.listeners.clear();
    await rm(this.workDir, { recursive: true, force: true });
  }
}
