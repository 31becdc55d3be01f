import { describe, expect, it } from 'vitest';
import { WakeTimer } from '../../../controller/src/app/kiosk/wake-timer.ts';
import { seededRandom } from '../../../controller/src/domain/seeded-random.ts';
import { VirtualTime } from '../../faults/virtual-time.ts';

describe('the kiosk wake timer', () => {
  it('waits out the remainder when its timer fires before the clock reaches the target', () => {
    const time = new VirtualTime(1_000, { early: 1, late: 0, burst: 0 }, seededRandom(1));
    const wakes: number[] = [];
    const wake = new WakeTimer(time, time, () => wakes.push(time.now()));
    wake.arm(1_500);
    time.fireNext(); // fires at 1,499: too early to wake the machine
    expect(wakes).toEqual([]);
    expect(wake.armedFor).toBe(1_500);
    expect(time.size).toBe(1);
    const late = new VirtualTime(0, { early: 0, late: 0, burst: 0 }, seededRandom(1));
    const w2 = new WakeTimer(late, late, () => wakes.push(late.now()));
    w2.arm(10);
    late.fireNext();
    expect(wakes).toEqual([10]);
    expect(w2.armedFor).toBeNull();
  });

  it('wakes exactly once per arming, however early, late or bursty the timers are', () => {
    const time = new VirtualTime(0, { early: 0.5, late: 30, burst: 0.5 }, seededRandom(7));
    let wakes = 0;
    const wake = new WakeTimer(time, time, () => wakes++);
    for (let i = 1; i <= 200; i++) {
      wake.arm(time.now() + 100);
      const target = wake.armedFor!;
      while (time.fireNext()) { /* until this arming has woken */ }
      expect(wakes).toBe(i);
      expect(time.now()).toBeGreaterThanOrEqual(target);
      expect(time.now() - target).toBeLessThanOrEqual(30);
    }
  });

  it('re-arming replaces the pending wake and stop() disarms for good', () => {
    const time = new VirtualTime(0, { early: 0, late: 0, burst: 0 }, seededRandom(3));
    let wakes = 0;
    const wake = new WakeTimer(time, time, () => wakes++);
    wake.arm(50);
    wake.arm(80);
    expect(time.size).toBe(1);
    wake.stop();
    expect(time.size).toBe(0);
    wake.arm(90);
    expect(time.fireNext()).toBe(false);
    expect(wakes).toBe(0);
  });
});
