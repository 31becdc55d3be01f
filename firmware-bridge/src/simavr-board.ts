/**
 * The real firmware in simavr: builds the firmware ELF and the harness (make), starts the harness
 * as a child process, feeds it the room model's sensor inputs and applies its PWM outputs to the
 * room. The host talks to the firmware through the PTY at `path`, exactly as to a board.
 *
 * The child is killed and reaped on every path: a failed start, `close()`, and the parent's exit.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';
import { RoomModel, type RoomWiring } from './room-model.ts';

const run = promisify(execFile);
const bridgeDir = fileURLToPath(new URL('..', import.meta.url));
export const firmwareElf = `${bridgeDir}firmware/build/rig.elf`;
export const harnessBinary = `${bridgeDir}sim/build/harness`;

/** Builds the firmware and the harness when their sources changed; returns the firmware's size report. */
export async function buildFirmwareAndHarness(): Promise<string> {
  const fw = await run('make', ['-C', `${bridgeDir}firmware`, '--no-print-directory'], { maxBuffer: 1 << 20 });
  await run('make', ['-C', `${bridgeDir}sim`, '--no-print-directory'], { maxBuffer: 1 << 20 });
  return fw.stdout.split('\n').filter((l) => /^(flash|ram):/.test(l)).join('\n');
}

/** ADC counts to the millivolts that make the simulated ADC (5 V reference) read exactly those counts. */
function countsToMillivolts(raw: number): number {
  return Math.round(((raw + 0.5) * 5000) / 1024);
}

export class SimavrBoard {
  readonly room: RoomModel;
  /** PTY of the firmware's UART. */
  path = '';
  /** How often the firmware (re)started: 1 after power-on, +1 per watchdog reset. */
  boots = 1;
  private readonly pwmListeners = new Set<(pin: number, value: number) => void>();
  private readonly exited: Promise<unknown>;
  private unsubscribe: () => void = () => undefined;
  private lastSent = new Map<string, string>();

  private constructor(private readonly child: ChildProcess, wiring: RoomWiring) {
    this.room = new RoomModel(wiring);
    this.exited = once(child, 'exit').catch(() => undefined);
  }

  /** `link`: a symlink kept pointing at the current PTY, stable across `unplug()` / `plugIn()`. */
  static async start(wiring: RoomWiring, opts: { elf?: string; harness?: string; startTimeoutMs?: number; link?: string } = {}): Promise<SimavrBoard> {
    const args = [opts.elf ?? firmwareElf, ...(opts.link ? ['--link', opts.link] : [])];
    const child = spawn(opts.harness ?? harnessBinary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const board = new SimavrBoard(child, wiring);
    try {
      const pty = await board.waitForPty(opts.startTimeoutMs ?? 10_000);
      board.path = opts.link ?? pty;
      board.unsubscribe = board.room.onChange(() => board.sendInputs());
      board.sendInputs();
      return board;
    } catch (err) {
      await board.close();
      throw err;
    }
  }

  private waitForPty(timeoutMs: number): Promise<string> {
    const stdout = this.child.stdout;
    const stderr: string[] = [];
    this.child.stderr?.on('data', (b: Buffer) => stderr.push(b.toString()));
    return new Promise<string>((resolve, reject) => {
      if (!stdout) {
        reject(new Error('harness has no stdout'));
        return;
      }
      const timer = setTimeout(() => reject(new Error(`simavr harness did not start within ${timeoutMs} ms: ${stderr.join('')}`)), timeoutMs);
      this.child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`simavr harness exited (${code}): ${stderr.join('')}`));
      });
      createInterface({ input: stdout }).on('line', (line) => {
        const [word, a, b] = line.split(' ');
        if (word === 'pty' && a) {
          clearTimeout(timer);
          resolve(a);
        } else if (word === 'pwm' && a && b) {
          const pin = Number(a);
          const value = Number(b);
          this.room.setPwm(pin, value);
          for (const l of [...this.pwmListeners]) l(pin, value);
        } else if (word === 'boot') {
          this.boots += 1;
        }
      });
    });
  }

  /** The serial device vanishes (a pulled USB cable); the firmware keeps running. */
  unplug(): void {
    this.command('unplug');
  }

  /** The serial device comes back (under `link`, if one was given). */
  plugIn(): void {
    this.command('plug');
  }

  private command(line: string): void {
    if (this.child.stdin?.writable) this.child.stdin.write(`${line}\n`);
  }

  /** Called with every PWM change the firmware makes; returns the unsubscribe function. */
  onPwm(listener: (pin: number, value: number) => void): () => void {
    this.pwmListeners.add(listener);
    return () => this.pwmListeners.delete(listener);
  }

  private sendInputs(): void {
    const inputs = this.room.inputs();
    const lines: Array<[string, string]> = [];
    for (const [ch, raw] of inputs.analog) lines.push([`adc ${ch}`, `adc ${ch} ${countsToMillivolts(raw)}`]);
    for (const [pin, level] of inputs.digital) lines.push([`pin ${pin}`, `pin ${pin} ${level}`]);
    lines.push(['lux', `lux ${inputs.bh1750Raw}`]);
    lines.push(['temp', `temp ${inputs.temperatureMv}`]);
    const out = lines.filter(([k, l]) => this.lastSent.get(k) !== l);
    for (const [k, l] of out) this.lastSent.set(k, l);
    if (out.length > 0 && this.child.stdin?.writable) this.child.stdin.write(out.map(([, l]) => `${l}\n`).join(''));
  }

  async close(): Promise<void> {
    this.unsubscribe();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin?.end('quit\n');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 1000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}
