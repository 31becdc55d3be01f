/**
 * One persistent `gphoto2 --shell` child process: commands written to its stdin, replies read up
 * to the next prompt. The camera session stays open between commands, which is what makes it
 * faster than a process per shot (figures in the README).
 *
 * libgphoto2 has no time limit on some PTP/IP paths (a capture whose events never come spins for
 * ever) and after some PTP failures (Device Busy, Store Full) the shell never prompts again. So every
 * command has a time limit, the shell is killed with SIGKILL when it runs out, and a reply is
 * cut short as soon as stderr shows one of those wedging failures. `kill()` resolves only once the
 * child has been reaped: no zombies.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface Gphoto2ShellOptions {
  /** The gphoto2 binary (default `gphoto2` on PATH). */
  binary?: string;
  /** `--port` value; null lets gphoto2 pick the first camera it detects. */
  port: string | null;
  /** Working folder: downloads land here. */
  cwd: string;
  /** Environment (tests set HOME to a temp dir: libgphoto2 keeps its PTP/IP GUID under it). */
  env?: NodeJS.ProcessEnv;
}

export interface ShellReply {
  /** stdout of the command, without the echoed command and the prompt. */
  out: string;
  /** Error lines gphoto2 printed while the command ran (stderr and `*** Error` text). */
  errors: string[];
}

/** Why a command did not get a normal reply. */
export type ShellFailureKind = 'timeout' | 'exited' | 'wedged' | 'aborted';

export class ShellFailure extends Error {
  constructor(readonly kind: ShellFailureKind, readonly errors: string[], message: string) {
    super(message);
    this.name = 'ShellFailure';
  }
}

/** A prompt: `gphoto2: {LOCAL DIR} CAMERA DIR> ` at the end of stdout. */
const PROMPT = /gphoto2: \{[^}\n]*\} [^\n]*> $/;
/**
 * PTP failures after which the gphoto2 shell never prompts again (seen with gphoto2 2.5.28 over
 * PTP/IP): Device Busy, Store Full, and an InitiateCapture refused because autofocus did not lock
 * (0xA002, Nikon's Out of Focus; the generic capture path logs it and then waits for events that
 * never come).
 */
const WEDGING = /failed: PTP (Device Busy|Store Full)|\((0x2019|0x200c|0xa002)\)|Out of Focus/i;

interface Pending {
  command: string;
  out: string;
  errors: string[];
  resolve: (r: ShellReply) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
  cleanup: () => void;
}

export class Gphoto2Shell {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly closed: Promise<void>;
  private exited = false;
  private stdout = '';
  private stderrRest = '';
  private pending: Pending | null = null;
  private ready: Promise<void>;

  private constructor(options: Gphoto2ShellOptions) {
    const args = ['--debug', '--debug-loglevel=error', '--force-overwrite'];
    if (options.port) args.push('--port', options.port);
    args.push('--shell');
    this.child = spawn(options.binary ?? 'gphoto2', args, {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), LANG: 'C', LC_ALL: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.closed = new Promise((resolve) => {
      this.child.once('close', () => {
        this.exited = true;
        this.fail(new ShellFailure('exited', [], 'gphoto2 exited'));
        resolve();
      });
    });
    // EPIPE on a dead child's stdin surfaces as 'close' above; nothing else to do with it.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', () => undefined);
    this.ready = new Promise<void>((resolve, reject) => {
      this.pending = this.makePending('', 10_000, () => resolve(), reject);
    });
    this.child.stdout.on('data', (d: string) => this.onStdout(d));
    this.child.stderr.on('data', (d: string) => this.onStderr(d));
  }

  /** Starts the shell and waits for its first prompt (the camera itself is opened by the first command). */
  static async start(options: Gphoto2ShellOptions): Promise<Gphoto2Shell> {
    const shell = new Gphoto2Shell(options);
    try {
      await shell.ready;
    } catch (err) {
      await shell.kill();
      throw err;
    }
    return shell;
  }

  get alive(): boolean {
    return !this.exited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves when the child has exited and been reaped. */
  whenExited(): Promise<void> {
    return this.closed;
  }

  /**
   * Runs one shell command. Rejects with a ShellFailure when it runs out of time (the child is then
   * killed), when gphoto2 wedges or exits, or when `signal` aborts (the child is killed too: a
   * gphoto2 command cannot be cancelled half-way).
   */
  run(command: string, timeoutMs: number, signal?: AbortSignal): Promise<ShellReply> {
    if (this.exited) return Promise.reject(new ShellFailure('exited', [], 'gphoto2 is not running'));
    if (this.pending) return Promise.reject(new Error('gphoto2 shell: one command at a time'));
    if (signal?.aborted) return Promise.reject(new ShellFailure('aborted', [], 'aborted'));
    return new Promise<ShellReply>((resolve, reject) => {
      const p = this.makePending(command, timeoutMs, resolve, reject);
      if (signal) {
        const onAbort = (): void => {
          this.fail(new ShellFailure('aborted', p.errors, `${command}: aborted`));
          this.kill().catch(() => undefined);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        p.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending = p;
      this.stdout = '';
      this.child.stdin.write(`${command}\n`);
    });
  }

  private makePending(command: string, timeoutMs: number, resolve: (r: ShellReply) => void, reject: (e: unknown) => void): Pending {
    const timer = setTimeout(() => {
      this.fail(new ShellFailure('timeout', this.pending?.errors ?? [], `${command || 'gphoto2 start'}: no answer within ${timeoutMs} ms`));
      this.kill().catch(() => undefined);
    }, timeoutMs);
    return { command, out: '', errors: [], resolve, reject, timer, cleanup: () => undefined };
  }

  private settle(): Pending | null {
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.timer);
      p.cleanup();
    }
    return p;
  }

  private fail(err: ShellFailure): void {
    this.settle()?.reject(err);
  }

  private onStdout(data: string): void {
    this.stdout += data;
    if (!PROMPT.test(this.stdout)) return;
    const text = this.stdout.replace(PROMPT, '');
    this.stdout = '';
    const p = this.pending;
    if (!p) return;
    // gphoto2 writes its errors to stderr before the prompt to stdout, but the two pipes are read
    // separately: give stderr's pending data one turn of the event loop to arrive first.
    setImmediate(() => {
      if (this.pending !== p) return;
      this.settle();
      this.finish(p, text);
    });
  }

  private finish(p: Pending, text: string): void {
    // Drop the echoed command (readline echoes it once, the shell once more).
    const lines = text.split('\n').filter((l) => l.trim() !== p.command.trim());
    const errors = [...p.errors, ...lines.filter((l) => /^(ERROR:|\*\*\* Error)/.test(l) || /^[A-Z].*(error|failed)/i.test(l) && !/^New file|^Saving|^Deleting/.test(l))];
    p.resolve({ out: lines.join('\n').trim(), errors });
  }

  private onStderr(data: string): void {
    const text = this.stderrRest + data;
    const lines = text.split('\n');
    this.stderrRest = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.trim();
      if (!line || !this.pending) continue;
      this.pending.errors.push(line);
      if (WEDGING.test(line)) {
        this.fail(new ShellFailure('wedged', [...this.pending.errors], line));
        this.kill().catch(() => undefined);
        return;
      }
    }
  }

  /** Kills the child (SIGKILL) and resolves once it has been reaped. Idempotent. */
  async kill(): Promise<void> {
    if (!this.exited) {
      try {
        this.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.closed;
  }

  /** Asks the shell to exit, killing it if it does not within `graceMs`. */
  async exit(graceMs = 1000): Promise<void> {
    if (this.exited) return;
    if (!this.pending) this.child.stdin.write('exit\n');
    this.child.stdin.end();
    const t = setTimeout(() => { this.kill().catch(() => undefined); }, graceMs);
    await this.closed;
    clearTimeout(t);
  }
}
