import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EffectRunner } from '../../../controller/src/app/kiosk/effect-runner.ts';

const quietLog = pino({ level: 'silent' });

describe('the kiosk effect runner', () => {
  it('hands a failed effect to its failure handler instead of letting it escape', async () => {
    const runner = new EffectRunner(quietLog);
    const failures: unknown[] = [];
    runner.run({ effect: 'lookup', session: 1 }, async () => { throw new Error('SQLITE_FULL'); }, (err) => failures.push(err));
    await runner.drain();
    expect(failures).toHaveLength(1);
    expect((failures[0] as Error).message).toBe('SQLITE_FULL');
  });

  it('logs a failure handler that throws and carries on', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => { lines.push(line); } });
    const runner = new EffectRunner(log);
    runner.run({ effect: 'store', session: 2 }, async () => { throw new Error('disk gone'); }, () => { throw new Error('handler broke'); });
    await runner.drain();
    expect(lines.join('')).toContain('handler broke');
    expect(lines.join('')).toContain('"session":2');
  });

  it('drain() also waits for effects started while it waits', async () => {
    const runner = new EffectRunner(quietLog);
    const done: string[] = [];
    const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
    runner.run({ effect: 'store' }, async () => {
      await tick();
      done.push('store');
      // The store's answer starts the session-ended write, as the machine does.
      runner.run({ effect: 'session-ended' }, async () => { await tick(); await tick(); done.push('ended'); }, () => undefined);
    }, () => undefined);
    await runner.drain();
    expect(done).toEqual(['store', 'ended']);
    expect(runner.running).toBe(0);
  });
});
