/**
 * A compliant portrait stays compliant under what a second shot of the same student changes: sensor
 * noise, a slightly different distance (+-2 % scale), a few pixels of sway (+-10 px), and another
 * round of JPEG compression. The crop planner keeps every band's margin as wide as it can, so none
 * of these moves a measured position across the edge of its band.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPhotoValidator, type PhotoValidator } from '../../controller/src/imaging/index.ts';
import { planMargin } from '../../controller/src/domain/photo/geometry.ts';
import { PROFILES } from '../../controller/src/domain/photo/profiles.ts';
import { addNoise } from '../fixtures/compose.ts';
import { GENERATED_DIR, readManifest } from '../fixtures/generate.ts';

const manifest = await readManifest();
let validator: PhotoValidator;
beforeAll(async () => {
  validator = await createPhotoValidator();
});
afterAll(async () => {
  await validator.close();
});

type Perturb = (jpeg: Buffer) => Promise<Buffer>;

async function raw(jpeg: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
const encode = (r: { data: Buffer; width: number; height: number }, quality = 92): Promise<Buffer> =>
  sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } }).jpeg({ quality }).toBuffer();

/** The frame moved by dx, dy: the vacated edge filled with the backdrop's own colour (sampled at the top-left corner). */
const shift = (dx: number, dy: number): Perturb => async (jpeg) => {
  const r = await raw(jpeg);
  const background = { r: r.data[0] ?? 0, g: r.data[1] ?? 0, b: r.data[2] ?? 0 };
  const padded = await sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } })
    .extend({ left: Math.max(0, dx), right: Math.max(0, -dx), top: Math.max(0, dy), bottom: Math.max(0, -dy), background })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const out = await sharp(padded.data, { raw: { width: padded.info.width, height: padded.info.height, channels: 3 } })
    .extract({ left: Math.max(0, -dx), top: Math.max(0, -dy), width: r.width, height: r.height })
    .raw()
    .toBuffer();
  return encode({ data: out, width: r.width, height: r.height });
};
const scale = (k: number): Perturb => async (jpeg) => {
  const m = await sharp(jpeg).metadata();
  return sharp(jpeg).resize(Math.round((m.width ?? 0) * k), Math.round((m.height ?? 0) * k), { kernel: 'lanczos3' }).jpeg({ quality: 92 }).toBuffer();
};
const noise = (sigma: number): Perturb => async (jpeg) => {
  const r = await raw(jpeg);
  addNoise(r.data, sigma, 7);
  return encode(r);
};
const reencode = (quality: number): Perturb => async (jpeg) => sharp(jpeg).jpeg({ quality }).toBuffer();

const PERTURBATIONS: Array<[string, Perturb]> = [
  ['noise sigma 6', noise(6)],
  ['scale -2 %', scale(0.98)],
  ['scale +2 %', scale(1.02)],
  ['shift left 10 px', shift(-10, 0)],
  ['shift right 10 px', shift(10, 0)],
  ['shift up 10 px', shift(0, -10)],
  ['shift down 10 px', shift(0, 10)],
  ['JPEG re-encoded at q75', reencode(75)],
];

const COMPLIANT = manifest.variants.filter((v) => v.verdict === 'pass' && !v.name.startsWith('camera-') && v.name !== 'exif-rotated');

describe('compliant portraits stay compliant', () => {
  it('has compliant fixtures to perturb, including the skin-tone ladder', () => {
    expect(COMPLIANT.map((v) => v.name)).toEqual(expect.arrayContaining(['compliant-blue', 'compliant-white', 'compliant-grey', 'skin-tone-l26']));
  });
  it.each(COMPLIANT.map((v) => [v.name, v] as const))('%s passes under noise, scale changes of 2 percent, 10 px shifts and re-encoding', async (_name, v) => {
    const original = await readFile(join(GENERATED_DIR, v.file));
    const options = { preview: false, ...(v.profile ? { profile: v.profile } : {}), ...(v.background ? { background: v.background as 'blue' } : {}) };
    const failures: string[] = [];
    for (const [label, perturb] of PERTURBATIONS) {
      const r = await validator.validate(await perturb(original), options);
      const blocking = r.checks.filter((c) => !c.passed && c.severity === 'blocking').map((c) => `${c.id}=${c.value} (${c.reason})`);
      if (r.verdict !== 'pass') failures.push(`${label}: ${r.verdict} ${blocking.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('the crop planner', () => {
  it('centres a compliant portrait in every band: at least a fifth of the narrowest band to spare', async () => {
    const t = PROFILES['chsi-2017']!.thresholds;
    const r = await validator.validate(await readFile(join(GENERATED_DIR, 'compliant-blue.jpg')), { preview: false });
    const value = (id: string): number => r.checks.find((c) => c.id === id)!.value as number;
    const plan = { hairTop: value('head.top'), eyeLine: value('eyes.line'), faceWidth: value('face.width'), centreOffset: value('face.centred') };
    // The hair band (50-110 px) is the narrowest: 60 px; the old planner left 0-13 px to spare.
    expect(planMargin({ ...plan, crop: { x: 0, y: 0, w: 1, h: 1 }, scale: 1, advice: { hairTop: null, eyeLine: null, faceWidth: null, centre: null } }, t)).toBeGreaterThanOrEqual(12);
    expect(value('head.top') - t.headTopMin.value).toBeGreaterThan(20);
    expect(t.eyeLineMax.value - value('eyes.line')).toBeGreaterThan(20);
    expect(value('face.width') - t.faceWidthMin.value).toBeGreaterThan(20);
  });
});
