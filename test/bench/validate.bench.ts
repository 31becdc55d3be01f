/**
 * `npm run bench -- validate`: the photo pipeline against the floor of one full sharp decode of a
 * 24 MP camera-like JPEG, in one process; and ImageMagick doing only crop+resize+encode (what
 * script-based booths run) against the same floor. Ends with `ratio: pipeline / full decode`, the
 * median of adjacent pairs. Also times the review preview the old way (resize of the decoded frame to
 * 640 px tall, then encode) against the way it is made now (the 512 px analysis image encoded as it is).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { createPhotoValidator } from '../../controller/src/imaging/index.ts';
import { renderPreview } from '../../controller/src/imaging/render.ts';
import { GENERATED_DIR, generateFixtures } from '../fixtures/generate.ts';
import { projectRoot } from '../support/paths.ts';

// Nine adjacent pairs (floor, pipeline): on a shared machine the load drifts between runs, and a
// pair sees the same load, so the ratio is the median of the pairs' ratios.
const RUNS = 9;
// The real ImageMagick from Debian; /usr/local/bin/convert on this machine is a stand-in.
const CONVERT = '/usr/bin/convert';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function ensureImageMagick(): void {
  if (existsSync(CONVERT)) return;
  if (process.getuid?.() !== 0) throw new Error(`${CONVERT} missing: sudo apt-get install -y imagemagick`);
  console.log('installing imagemagick (Debian) for the comparison ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'imagemagick'], { stdio: 'inherit', env });
}

ensureImageMagick();
// The same 24 MP file the fixture tests use, built (or reused) by the deterministic generator.
await generateFixtures();
const file = join(GENERATED_DIR, 'camera-24mp.jpg');
const dir = join(projectRoot, 'test', '.generated', 'bench');
await mkdir(dir, { recursive: true });
const image = await readFile(file);
const meta = await sharp(image).metadata();
console.log(`input: ${meta.width}x${meta.height} JPEG, ${(image.length / 1e6).toFixed(1)} MB, sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}`);

const validator = await createPhotoValidator();
const first = await validator.validate(image); // warm-up: JIT, wasm kernels, caches
if (first.verdict !== 'pass' || !first.crop || !first.deliverable) throw new Error(`bench photo did not pass: ${JSON.stringify(first.checks.filter((c) => !c.passed))}`);
await sharp(image).raw().toBuffer();

const decode: number[] = [];
const pipeline: number[] = [];
const landmarks: number[] = [];
const stages: Record<string, number[]> = {};
for (let i = 0; i < RUNS; i++) {
  (globalThis as { gc?: () => void }).gc?.();
  decode.push(await time(() => sharp(image).raw().toBuffer()));
  (globalThis as { gc?: () => void }).gc?.();
  let report = first;
  pipeline.push(await time(async () => { report = await validator.validate(image); }));
  landmarks.push(report.timings.landmarks ?? NaN);
  for (const [k, v] of Object.entries(report.timings)) (stages[k] ??= []).push(v);
}
await validator.close();

// ImageMagick: the same crop, resize to 480x640 and encode, nothing else (no analysis at all).
const c = first.crop;
const geometry = `${Math.round(c.w)}x${Math.round(c.h)}+${Math.round(c.x)}+${Math.round(c.y)}`;
const imOut = join(dir, 'imagemagick-out.jpg');
const magick: number[] = [];
for (let i = 0; i < Math.min(RUNS, 5); i++) {
  const t = performance.now();
  const r = spawnSync(CONVERT, [file, '-auto-orient', '-crop', geometry, '+repage', '-resize', '480x640!', '-strip', '-density', '300', '-quality', String(first.deliverable.quality), imOut]);
  if (r.status !== 0) throw new Error(`convert failed: ${r.stderr.toString()}`);
  magick.push(performance.now() - t);
}
await rm(imOut, { force: true });

// The preview, on its own: the old render (resize of the 1/4-scale decode to 640 px tall + encode) and
// the current one (encode of the 512 px analysis raster).
const quarter = await sharp(image).resize(1000, 1500, { fit: 'fill', fastShrinkOnLoad: true }).raw().toBuffer({ resolveWithObject: true });
const analysisRaster = await sharp(quarter.data, { raw: { width: quarter.info.width, height: quarter.info.height, channels: 3 } }).resize(512, 512, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
const oldPreview: number[] = [];
const newPreview: number[] = [];
for (let i = 0; i < RUNS; i++) {
  oldPreview.push(await time(() => sharp(quarter.data, { raw: { width: quarter.info.width, height: quarter.info.height, channels: 3 } }).resize({ height: 640 }).jpeg({ quality: 80 }).toBuffer()));
  newPreview.push(await time(() => renderPreview({ pixels: analysisRaster.data, width: analysisRaster.info.width, height: analysisRaster.info.height })));
}

const d = median(decode);
const p = median(pipeline);
const pairRatio = median(pipeline.map((x, i) => x / (decode[i] ?? NaN)));
const m = median(magick);
console.log(`full sharp decode (floor), median of ${RUNS}: ${d.toFixed(1)} ms`);
console.log(`pipeline (verdict + deliverable + preview), median of ${RUNS}: ${p.toFixed(1)} ms`);
console.log(`  stages (median ms): ${Object.entries(stages).map(([k, v]) => `${k} ${median(v).toFixed(1)}`).join(', ')}`);
console.log(`  one decode at 1/${first.decoded?.shrink} scale (shrink-on-load); crop ${geometry}; deliverable ${first.deliverable.bytes} bytes at q${first.deliverable.quality}`);
console.log(`face landmarks alone, median: ${median(landmarks).toFixed(1)} ms`);
console.log(`imagemagick convert crop+resize+encode, median of ${magick.length}: ${m.toFixed(1)} ms; imagemagick ratio: ${(m / d).toFixed(2)}`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(`review preview alone, median: ${median(oldPreview).toFixed(1)} ms resizing the decoded frame (before), ${median(newPreview).toFixed(1)} ms encoding the analysis image (now); in the pipeline it overlaps the landmarks (its stage time includes waiting for them)`);
console.log(`ratio of medians: ${(p / d).toFixed(2)}; pairs: ${pipeline.map((x, i) => (x / (decode[i] ?? NaN)).toFixed(2)).join(' ')}`);
console.log(`ratio: ${pairRatio.toFixed(2)}`);
