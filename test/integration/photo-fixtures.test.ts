import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPhotoValidator, type PhotoReport, type PhotoValidator } from '../../controller/src/imaging/index.ts';
import { GENERATED_DIR, readManifest, type ManifestEntry } from '../fixtures/generate.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectRoot } from '../support/paths.ts';

const run = promisify(execFile);
import { landmarkEngine } from '../../controller/src/imaging/landmarks.ts';

// Built once by test/global-setup.ts.
const manifest = await readManifest();
let validator: PhotoValidator;
const reports = new Map<string, PhotoReport>();

async function reportFor(v: ManifestEntry): Promise<PhotoReport> {
  let r = reports.get(v.name);
  if (!r) {
    const options: { profile?: string; background?: 'blue' | 'white' | 'grey' } = {};
    if (v.profile) options.profile = v.profile;
    if (v.background) options.background = v.background as 'blue' | 'white' | 'grey';
    r = await validator.validate(await readFile(join(GENERATED_DIR, v.file)), options);
    reports.set(v.name, r);
  }
  return r;
}

beforeAll(async () => {
  validator = await createPhotoValidator();
});
afterAll(async () => {
  await validator.close();
});

describe('generated photo variants', () => {
  it.each(manifest.variants.map((v) => [v.name, v] as const))('%s: expected verdict and reasons', async (_name, v) => {
    const r = await reportFor(v);
    expect(r.verdict).toBe(v.verdict);
    const reasons = r.error ? [r.error.code] : r.checks.filter((c) => !c.passed).map((c) => c.reason);
    for (const code of v.reasons) expect(reasons).toContain(code);
    for (const code of v.notReasons ?? []) expect(reasons).not.toContain(code);
    if (v.verdict === 'pass') expect(r.checks.filter((c) => !c.passed && c.severity === 'blocking')).toEqual([]);
    if (v.verdict === 'error') {
      expect(r.error?.message.zh.length).toBeGreaterThan(0);
      expect(r.error?.message.en.length).toBeGreaterThan(0);
      expect(r.deliverable).toBeUndefined();
    }
  });
});

describe('the deliverable', () => {
  const byName = (name: string): ManifestEntry => manifest.variants.find((v) => v.name === name)!;

  it('is a 480x640 baseline sRGB JPEG at 300 dpi, metadata stripped, quality >= 60, inside the size band', async () => {
    for (const name of ['compliant-blue', 'camera-24mp', 'exif-rotated']) {
      const d = (await reportFor(byName(name))).deliverable!;
      expect(d, name).toBeDefined();
      const meta = await sharp(d.jpeg).metadata();
      expect([meta.width, meta.height, meta.format]).toEqual([480, 640, 'jpeg']);
      expect(meta.density).toBe(300);
      expect(meta.isProgressive).toBe(false);
      expect(meta.space).toBe('srgb');
      expect(meta.channels).toBe(3);
      expect(meta.exif).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(d.quality).toBeGreaterThanOrEqual(60);
      expect(d.bytes).toBe(d.jpeg.length);
      expect(d.bytes).toBeGreaterThanOrEqual(20 * 1024);
      expect(d.bytes).toBeLessThanOrEqual(40 * 1024);
    }
  });

  it('honours EXIF orientation: the rotated file gives the same picture as the upright one', async () => {
    const upright = await sharp((await reportFor(byName('compliant-blue'))).deliverable!.jpeg).raw().toBuffer();
    const turned = await sharp((await reportFor(byName('exif-rotated'))).deliverable!.jpeg).raw().toBuffer();
    let diff = 0;
    for (let i = 0; i < upright.length; i++) diff += Math.abs((upright[i] ?? 0) - (turned[i] ?? 0));
    expect(diff / upright.length).toBeLessThan(8);
  });

  it('is also rendered when the photo fails for a reason other than framing', async () => {
    const r = await reportFor(byName('roll-15'));
    expect(r.verdict).toBe('fail');
    expect(r.deliverable).toBeDefined();
    expect((await reportFor(byName('off-centre'))).deliverable).toBeUndefined();
  });

  it('comes with a preview of the oriented original and timings per stage', async () => {
    const r = await reportFor(byName('exif-rotated'));
    const meta = await sharp(r.preview!).metadata();
    expect(meta.height).toBeLessThanOrEqual(640);
    expect(meta.height!).toBeGreaterThan(meta.width!); // portrait after orientation
    for (const stage of ['decode', 'landmarks', 'measure', 'render', 'total']) expect(r.timings[stage]).toBeGreaterThanOrEqual(0);
  });

  it('marks the failing region in normalised coordinates', async () => {
    const r = await reportFor(byName('blurred'));
    const c = r.checks.find((x) => x.id === 'sharpness.face')!;
    expect(c.passed).toBe(false);
    expect(c.region!.x).toBeGreaterThan(0.2);
    expect(c.region!.x + c.region!.w).toBeLessThan(0.8);
  });
});

describe('decode scale', () => {
  it('decodes a second time, finer, only when the reduced decode cannot fill 480x640', async () => {
    const image = await readFile(join(GENERATED_DIR, 'compliant-blue.jpg'));
    // Force a very coarse first decode (1200x1600 at 1/4 = 300x400): the crop then needs a finer one.
    const coarse = await createPhotoValidator({ decode: { minDecodedShortSide: 300 } });
    const r = await coarse.validate(image, { preview: false });
    await coarse.close();
    expect(r.verdict).toBe('pass');
    expect(r.timings.redecode).toBeGreaterThanOrEqual(0);
    expect(r.decoded?.shrink).toBeLessThan(4);
    const normal = await validator.validate(image, { preview: false });
    expect(normal.timings.redecode).toBeUndefined();
    expect(normal.decoded?.shrink).toBe(1);
    // About the same crop either way (landmarks saw a smaller image, so allow a few per cent).
    const tolerance = normal.crop!.w * 0.04;
    for (const k of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(r.crop![k] - normal.crop![k])).toBeLessThan(tolerance);
    expect((await sharp(r.deliverable!.jpeg).metadata()).width).toBe(480);
  });
});

describe('a frame too bright to read', () => {
  it('finds the face on a tone-normalised copy when the first look sees none, and blames the light', async () => {
    const image = await readFile(join(GENERATED_DIR, 'over-exposed-found-on-retry.jpg'));
    // The first look, as the validator takes it: the ~512 px analysis image straight from the decode.
    const { data, info } = await sharp(image).resize(512, 512, { fit: 'inside' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(await (await landmarkEngine()).detect(data, info.width, info.height)).toEqual([]);
    const r = await validator.validate(image, { preview: false });
    expect(r.checks.find((c) => c.id === 'face.count')).toMatchObject({ passed: true, value: 1 });
    expect(r.checks.find((c) => c.id === 'face.width')?.value).toBeGreaterThan(0); // the head was measured
    expect(r.checks.find((c) => c.id === 'exposure.frame')).toMatchObject({ passed: false, reason: 'photo.exposure.bright', audience: 'technician', cause: 'lights' });
  });
});

describe('in a long-running server', () => {
  it('lets a second validator work beside the first and after the first is closed', async () => {
    const a = await createPhotoValidator({ profile: 'xinhua-audit' });
    const image = await readFile(join(GENERATED_DIR, 'compliant-blue.jpg'));
    const [x, y] = await Promise.all([a.validate(image), validator.validate(image)]);
    expect(x.profile).toBe('xinhua-audit');
    expect(x.verdict).toBe('fail'); // the smile blocks under xinhua-audit
    expect(y.verdict).toBe('pass');
    await a.close();
    await expect(a.validate(image)).rejects.toThrow(/closed/);
    expect((await validator.validate(image)).verdict).toBe('pass');
  });
  it('answers an unknown profile or background with an error value', async () => {
    const image = await readFile(join(GENERATED_DIR, 'compliant-blue.jpg'));
    expect((await validator.validate(image, { profile: 'nope' })).error?.code).toBe('photo.profile.unknown');
    expect((await validator.validate(image, { profile: 'xinhua-audit', background: 'white' })).error?.code).toBe('photo.background.unknown');
    // the configuration file's spelling is understood too
    const r = await validator.validate(image, { background: 'light-blue', preview: false });
    expect(r.verdict).toBe('pass');
    expect(r.background).toBe('blue');
  });
});

describe('process hygiene', () => {
  // A child process of its own: this file's engine is already loaded, and the probe must be free to die.
  const probe = (env: Record<string, string> = {}) => run(process.execPath, ['--import', 'tsx', join(projectRoot, 'test', 'support', 'rejection-probe.ts')], {
    cwd: projectRoot, env: { ...process.env, ...env }, timeout: 120_000,
  });

  it('leaves no rethrowing error handlers of the wasm runtime behind: an unhandled rejection reaches the process\'s own handler', async () => {
    const { stdout } = await probe();
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '')).toEqual({ seen: 1, orphan: true });
  }, 130_000);

  it('(the probe notices a rethrowing handler when one is there)', async () => {
    await expect(probe({ PROBE_RETHROW: '1' })).rejects.toMatchObject({ stderr: expect.stringContaining('probe') });
  }, 130_000);
});
