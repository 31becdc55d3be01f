/**
 * The live view's presentation cues as rules: samples summed up (motion between samples, medians of
 * flatness and border) and judged with the still's moiré, each cue on its own.
 */
import { describe, expect, it } from 'vitest';
import { blockMotion, LiveViewCueTracker, type LiveViewSample } from '../../../controller/src/domain/identity/live-view-cues.ts';
import { DEFAULT_PRESENTATION_POLICY, judgePresentation, presentationPolicy } from '../../../controller/src/domain/identity/presentation.ts';

const picture = (shift: number): number[] => Array.from({ length: 16 }, (_, i) => Math.sin(i + shift));
const sample = (shift: number, flatLight = 0.05, border = 0.2): LiveViewSample => ({ blocks: picture(shift), flatLight, border });

describe('the live view summed up', () => {
  it('takes the most the face moved between two samples', () => {
    const t = new LiveViewCueTracker();
    for (const shift of [0, 0, 0.3, 0.3, 0, 0]) t.add(sample(shift));
    expect(t.cues(6).motion).toBeCloseTo(blockMotion(picture(0), picture(0.3)), 3);
    expect(t.cues(6).motion).toBeGreaterThan(0.1);
  });

  it('says nothing of motion until enough samples were seen, then says "none" for a still picture', () => {
    const t = new LiveViewCueTracker();
    for (let i = 0; i < 5; i++) t.add(sample(0));
    expect(t.cues(6).motion).toBeNull();
    t.add(sample(0));
    expect(t.cues(6).motion).toBe(0);
    expect(t.samples).toBe(6);
  });

  it('takes the median flatness and border, so one odd frame decides nothing', () => {
    const t = new LiveViewCueTracker();
    for (const [f, b] of [[0.05, 0.1], [0.9, 1], [0.06, 0.2], [0.07, 0.3], [0.05, 0.2]] as const) t.add(sample(0, f, b));
    expect(t.cues(6)).toMatchObject({ flatLight: 0.06, border: 0.2 });
    expect(new LiveViewCueTracker().cues(6)).toEqual({ motion: null, flatLight: null, border: null });
  });

  it('refuses to compare block pictures of different sizes', () => {
    expect(() => blockMotion([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});

describe('the live-view cues judged', () => {
  const policy = DEFAULT_PRESENTATION_POLICY;
  const live = { moire: 5, motion: 0.1, flatLight: 0.05, border: 0.3 };

  it('passes a student who moved, with dark hair and no straight edge beside the head', () => {
    expect(judgePresentation(live, policy)).toEqual({ kind: 'live' });
  });

  it('holds on each cue alone, and names every cue that fired', () => {
    expect(judgePresentation({ ...live, motion: 0 }, policy)).toEqual({ kind: 'suspect', cues: [{ cue: 'no_motion', value: 0, limit: policy.motionMin }] });
    expect(judgePresentation({ ...live, flatLight: policy.flatLightLimit }, policy)).toEqual({ kind: 'suspect', cues: [{ cue: 'flat_light', value: policy.flatLightLimit, limit: policy.flatLightLimit }] });
    expect(judgePresentation({ ...live, border: 0.95 }, policy)).toEqual({ kind: 'suspect', cues: [{ cue: 'border', value: 0.95, limit: policy.borderLimit }] });
    const print = judgePresentation({ moire: 20, motion: 0, flatLight: 0.4, border: 1 }, policy);
    expect(print.kind === 'suspect' ? print.cues.map((c) => c.cue) : []).toEqual(['moire', 'no_motion', 'flat_light', 'border']);
  });

  it('judges nothing it could not measure, and a cue set to its off value never fires', () => {
    expect(judgePresentation({ moire: null, motion: null, flatLight: null, border: null }, policy)).toEqual({ kind: 'live' });
    expect(judgePresentation({ moire: null }, policy)).toEqual({ kind: 'live' });
    const off = { ...policy, motionMin: 0, flatLightLimit: 1, borderLimit: 1 };
    expect(judgePresentation({ moire: 3, motion: 0, flatLight: 1, border: 1 }, off)).toEqual({ kind: 'live' });
  });

  it('refuses limits that would hold every face', () => {
    expect(() => presentationPolicy({ flatLightLimit: 0 })).toThrow(RangeError);
    expect(() => presentationPolicy({ motionMin: -1 })).toThrow(RangeError);
    expect(() => presentationPolicy({ motionMinSamples: 1 })).toThrow(RangeError);
    expect(presentationPolicy({ borderLimit: 1 })).toEqual({ ...policy, borderLimit: 1 });
  });
});
