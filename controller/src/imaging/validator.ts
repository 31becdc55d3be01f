/**
 * The photo validator: one camera JPEG in, a report out (verdict, every check, timings, the
 * deliverable when a valid crop exists, a preview). One decode feeds everything; landmarks run on a
 * ~512 px analysis image; a second, finer decode happens only when the head is so small in the frame
 * that the reduced decode cannot fill 480x640 without enlarging (reported as `timings.redecode`).
 */
import sharp from 'sharp';
import type { Logger } from 'pino';
import { evaluatePhoto, fileSizeCheck, imageSizeCheck, selectFaces, verdictOf } from '../domain/photo/checks.ts';
import { DELIVERABLE_WIDTH } from '../domain/photo/geometry.ts';
import type { PhotoMeasurements } from '../domain/photo/measurements.ts';
import type { FaceCheck, PhotoReport } from '../domain/photo/report.ts';
import { DEFAULT_PROFILE, PROFILES, backgroundName, findProfile, type BackgroundSpelling, type PhotoProfile } from '../domain/photo/profiles.ts';
import { message, type ExternalCode, type PhotoCode } from '../domain/messages/index.ts';
import { DEFAULT_DECODE, decodePhoto, type DecodedPhoto, type DecodeOptions } from './decode.ts';
import { frameExposure } from './exposure.ts';
import { DESCRIPTOR_MODEL } from './face-descriptor.ts';
import { moireScore } from './presentation.ts';
import { faceGeometry } from './face-geometry.ts';
import { landmarkEngine, type LandmarkEngine } from './landmarks.ts';
import { backgroundModel, backgroundStats, clothing, faceFrame, faceLight, hairTop, type Raster } from './measure.ts';
import { renderDeliverable, renderPreview, type Deliverable } from './render.ts';
import { faceSharpness, SHARPNESS_WIDTH } from './sharpness.ts';

export interface ValidateOptions {
  profile?: string;
  /** 'blue' | 'white' | 'grey', or the configuration's 'light-blue' | 'light-grey'; default: the profile's */
  background?: BackgroundSpelling;
  /** skip the preview JPEG (the CLI does not show it) */
  preview?: boolean;
}

export interface PhotoValidator {
  validate(image: Buffer, options?: ValidateOptions): Promise<PhotoReport>;
  /** The profile `validate` judges by for this id (default: the validator's), with the school's overrides; undefined when unknown. */
  profile(id?: string): PhotoProfile | undefined;
  close(): Promise<void>;
}

export interface ValidatorOptions {
  profile?: string;
  logger?: Logger;
  /** extra or replacement profiles (e.g. a school's overrides built with deriveProfile), by id */
  profiles?: Record<string, PhotoProfile>;
  decode?: Partial<DecodeOptions>;
  /**
   * Also offer the face check (descriptor and presentation cues, `report.faceCheck`) of every shot
   * that yields a deliverable, for the identity checks; the recognition net loads with the validator.
   */
  faceDescriptor?: boolean;
}

/** Long side of the image the landmark model sees: its detector works at 256 px, the mesh at 192. */
const ANALYSIS_SIDE = 512;

function fill(code: PhotoCode | ExternalCode, params: Record<string, string | number> = {}): { zh: string; en: string } {
  return { zh: message(code, 'zh', params), en: message(code, 'en', params) };
}

export async function createPhotoValidator(options: ValidatorOptions = {}): Promise<PhotoValidator> {
  const defaultProfile = options.profile ?? DEFAULT_PROFILE;
  const table: Record<string, PhotoProfile> = { ...PROFILES, ...options.profiles };
  if (!findProfile(defaultProfile, table)) throw new Error(`unknown photo profile ${defaultProfile}`);
  const log = options.logger?.child({ component: 'imaging' });
  const decodeOptions: DecodeOptions = { ...DEFAULT_DECODE, ...options.decode };
  const engine = await landmarkEngine();
  const describe = options.faceDescriptor === true;
  if (describe) await engine.loadDescriber();
  // Last deliverable quality per profile: this validator's own memory, a hint for the next search.
  const qualities = new Map<string, number>();
  let closed = false;
  return {
    async validate(image, opts = {}) {
      if (closed) throw new Error('photo validator is closed');
      let report: PhotoReport;
      try {
        report = await run(engine, image, findProfile(opts.profile ?? defaultProfile, table), opts.profile ?? defaultProfile, opts, decodeOptions, qualities, describe);
      } catch (err) {
        // A defect, not the user's file: say so as a value rather than take the server down.
        log?.error({ err }, 'photo validation failed');
        report = { verdict: 'error', profile: opts.profile ?? defaultProfile, checks: [], timings: {}, error: { code: 'photo.internal', message: fill('photo.internal') } };
      }
      log?.info({ verdict: report.verdict, profile: report.profile, error: report.error?.code, failed: report.checks.filter((c) => !c.passed).map((c) => c.id), timings: report.timings }, 'photo validated');
      return report;
    },
    profile(id) {
      return findProfile(id ?? defaultProfile, table);
    },
    async close() {
      // The landmark models are shared by the process and stay loaded for the next validator.
      closed = true;
    },
  };
}

async function run(
  engine: LandmarkEngine,
  image: Buffer,
  profile: PhotoProfile | undefined,
  profileId: string,
  opts: ValidateOptions,
  decodeOptions: DecodeOptions,
  qualities: Map<string, number>,
  describe: boolean,
): Promise<PhotoReport> {
  const timings: Record<string, number> = {};
  const started = performance.now();
  let mark = started;
  const lap = (name: string): void => {
    const now = performance.now();
    timings[name] = Math.round((now - mark) * 10) / 10;
    mark = now;
  };
  const failWith = (code: PhotoCode, params: Record<string, string | number> = {}, profile = profileId): PhotoReport => {
    timings.total = Math.round((performance.now() - started) * 10) / 10;
    return { verdict: 'error', profile, checks: [], timings, error: { code, message: fill(code, params) } };
  };
  if (!profile) return failWith('photo.profile.unknown', { profile: profileId });
  const asked = opts.background ?? profile.defaultBackground;
  const background = backgroundName(asked);
  if (!profile.backgrounds.includes(background)) return failWith('photo.background.unknown', { background: asked });

  const decoded = await decodePhoto(image, decodeOptions);
  lap('decode');
  if (!decoded.ok) return failWith(decoded.error.code, decoded.error.params);
  let photo = decoded.photo;
  const size = imageSizeCheck(profile, photo.width, photo.height);
  if (!size.passed) {
    // Read fine, but too few pixels for any 480x640 deliverable: a failed requirement, not an unreadable file.
    timings.total = Math.round((performance.now() - started) * 10) / 10;
    return { verdict: 'fail', profile: profile.id, checks: [size], timings, background, decoded: { width: photo.width, height: photo.height, shrink: photo.shrink } };
  }
  const analysis = await toAnalysis(photo);
  lap('analysis');
  // The preview is the analysis image encoded as it is (no second resize of the decoded frame): it
  // encodes on sharp's threads while landmarks run here.
  const previewStarted = performance.now();
  const preview = opts.preview === false ? undefined : renderPreview(analysis).then((jpeg) => ({ jpeg, ms: performance.now() - previewStarted }));
  preview?.catch(() => undefined); // awaited below; this only keeps an early failure from being unhandled
  let raws = await engine.detect(analysis.pixels, analysis.width, analysis.height);
  let normalised = false;
  if (raws.length === 0) {
    // Nothing found: try once more on a tone-stretched copy, so a face in a badly lit frame is
    // still placed and the fault is reported as the light, not as an empty seat.
    const stretched = await toneNormalised(analysis);
    raws = await engine.detect(stretched.pixels, stretched.width, stretched.height);
    normalised = raws.length > 0;
  }
  lap('landmarks');
  // A face too small in the reduced decode to measure its focus gets a finer decode, which the
  // deliverable then uses too (timed as `redecode`, inside `measure`).
  const refine = async (shrink: number): Promise<DecodedPhoto> => {
    const t0 = performance.now();
    const finer = await decodePhoto(image, decodeOptions, shrink);
    timings.redecode = Math.round((performance.now() - t0) * 10) / 10;
    if (finer.ok) photo = finer.photo;
    return photo;
  };
  const measurements = await measure(photo, analysis, raws, profile, refine);
  measurements.frame = frameExposure(analysis);
  if (normalised) measurements.foundOnNormalised = true;
  lap('measure');

  const evaluation = evaluatePhoto(measurements, profile, background);
  const checks = [size, ...evaluation.checks];
  let deliverable: Deliverable | undefined;
  const face = raws.length === 1 ? raws[0] : undefined;
  // The face check runs later, when the kiosk stores the photo (the student is then looking at the
  // review, not waiting for it): it keeps this shot's decoded frame and landmarks until then.
  let faceCheck: (() => Promise<FaceCheck>) | undefined;
  if (evaluation.crop && describe && face) {
    const source = { pixels: photo.pixels, width: photo.decodedWidth, height: photo.decodedHeight };
    const scale = photo.decodedWidth / analysis.width;
    faceCheck = async () => {
      const t0 = performance.now();
      // On the decoded frame (finer than the analysis image), from the landmarks already found.
      const values = await engine.describe(source, face, scale);
      const moire = moireScore(source, face, scale);
      return {
        descriptor: { model: DESCRIPTOR_MODEL, values: Array.from(values) },
        presentation: { moire: moire === null ? null : Math.round(moire * 10) / 10 },
        ms: Math.round((performance.now() - t0) * 10) / 10,
      };
    };
  }
  if (evaluation.crop) {
    const crop = evaluation.crop.crop;
    if ((crop.w * photo.decodedWidth) / photo.width < DELIVERABLE_WIDTH - 0.5 && photo.shrink > 1) {
      await refine(nextShrink(photo, crop.w));
      mark = performance.now();
    }
    const t = profile.thresholds;
    const band = { minBytes: t.minFileKB.value * 1024, maxBytes: t.maxFileKB.value * 1024, minQuality: t.minQuality.value };
    deliverable = await renderDeliverable(photo, crop, band, qualities.get(profile.id));
    qualities.set(profile.id, deliverable.quality);
    checks.push(fileSizeCheck(profile, deliverable.bytes));
    lap('render');
  }
  const report: PhotoReport = { verdict: verdictOf(checks), profile: profile.id, checks, timings, background };
  if (deliverable) report.deliverable = deliverable;
  if (evaluation.crop) report.crop = evaluation.crop.crop;
  if (faceCheck) report.faceCheck = faceCheck;
  if (measurements.faces.length === 1 && measurements.faces[0]) report.face = measurements.faces[0].box;
  report.decoded = { width: photo.width, height: photo.height, shrink: photo.shrink };
  if (preview) {
    const p = await preview;
    report.preview = p.jpeg;
    timings.preview = Math.round(p.ms * 10) / 10; // overlapped with the stages above, not added to them
  }
  timings.total = Math.round((performance.now() - started) * 10) / 10;
  return report;
}

/** The coarsest shrink that still gives the crop 480 decoded pixels across. */
function nextShrink(photo: DecodedPhoto, cropWidth: number): number {
  let s = photo.shrink / 2;
  while (s > 1 && cropWidth / s < DELIVERABLE_WIDTH) s /= 2;
  return s;
}

async function toAnalysis(photo: DecodedPhoto): Promise<Raster> {
  const { data, info } = await sharp(photo.pixels, { raw: { width: photo.decodedWidth, height: photo.decodedHeight, channels: 3 } })
    .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height };
}

/** The analysis image stretched so its 1st and 99th luminance percentiles span the full range. */
async function toneNormalised(img: Raster): Promise<Raster> {
  const { data, info } = await sharp(img.pixels, { raw: { width: img.width, height: img.height, channels: 3 } })
    .normalise({ lower: 1, upper: 99 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height };
}

async function measure(
  photo: DecodedPhoto,
  analysis: Raster,
  raws: Awaited<ReturnType<LandmarkEngine['detect']>>,
  profile: PhotoProfile,
  refine: (shrink: number) => Promise<DecodedPhoto>,
): Promise<PhotoMeasurements> {
  const scale = photo.width / analysis.width;
  const geometries = selectFaces(raws.map((r) => faceGeometry(r, scale, analysis.width, analysis.height)), profile.thresholds.minFaceScore.value);
  const m: PhotoMeasurements = { imageWidth: photo.width, imageHeight: photo.height, analysisWidth: analysis.width, faces: geometries.map((g) => ({ ...g, hairTopY: g.foreheadY })) };
  const g = geometries[0];
  if (geometries.length !== 1 || !g) return m;
  const f = faceFrame(g, scale);
  const model = backgroundModel(analysis, f);
  // No background above the head means the hair reaches the frame's top edge.
  const top = hairTop(model.mask, analysis.width, analysis.height, f) ?? 0;
  m.faces = [{ ...g, hairTopY: top * scale }];
  const bg = backgroundStats(analysis, f, top);
  if (bg.pixels) m.background = bg; // no backdrop in view: nothing to judge it by (the geometry says why)
  const light = faceLight(analysis, f);
  let source = photo;
  if ((g.faceWidth * photo.decodedWidth) / photo.width < SHARPNESS_WIDTH && photo.shrink > 1) {
    let shrink = photo.shrink / 2;
    while (shrink > 1 && g.faceWidth / shrink < SHARPNESS_WIDTH) shrink /= 2;
    source = await refine(shrink);
  }
  m.face = { ...light, sharpness: await faceSharpness(source, g.faceCentreX - g.faceWidth / 2, g.foreheadY, g.faceWidth, g.chinY - g.foreheadY) };
  const cl = clothing(analysis, f, profile.forbiddenClothingHues);
  if (cl) m.clothing = cl;
  return m;
}

export type { PhotoReport };
