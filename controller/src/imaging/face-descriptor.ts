/**
 * Face descriptors (128 numbers per face) from the recognition network that ships in
 * @vladmandic/face-api, run on the wasm backend that the landmark engine already started. Only the
 * recognition net is loaded: the face is the one the landmark mesh found, aligned here from its eyes
 * and mouth, so no second detector runs per capture.
 *
 * Loading pitfalls, as with Human: face-api's node-wasm build asks for the umbrella `@tensorflow/tfjs`
 * package, of which it uses only the core; the require is pointed at the `@tensorflow/tfjs-core` that
 * Human already uses (one engine, one wasm backend, no 140 MB umbrella install). Its weights are read
 * from the package's own model folder with fs.
 */
import { readFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { addTensorMethods } from './tensor-methods.ts';

/** What the chip needs of a face the landmark engine found (landmarks.ts RawFace has these). */
export interface FaceLandmarks {
  mesh: ReadonlyArray<readonly [number, number, number]>;
  leftIris?: readonly [number, number];
  rightIris?: readonly [number, number];
}

/** An RGB raster (measure.ts Raster has this shape). */
export interface RgbRaster {
  pixels: Buffer;
  width: number;
  height: number;
}

const require = createRequire(import.meta.url);
const FACE_API_DIR = dirname(require.resolve('@vladmandic/face-api/package.json'));
const MODEL = join(FACE_API_DIR, 'model', 'face_recognition_model-weights_manifest.json');
const TFJS_CORE = require.resolve('@tensorflow/tfjs-core');

/** Side of the square the network reads (its training input). */
export const DESCRIPTOR_INPUT = 150;
/** The network's output length. */
export const DESCRIPTOR_LENGTH = 128;
/** Which network made a descriptor: stored beside it, so a later model change cannot mix spaces. */
export const DESCRIPTOR_MODEL = 'face-api-1.7.15/face_recognition_model';

/*
 * The crop the network was trained on (dlib's face chips): a square whose side is the mean distance
 * from the two eye centres to the mouth centre divided by 0.45, with the centroid of those three
 * points 0.5 of a side from its left and 0.43 from its top. The eye line is also turned level here.
 */
const SIDE_PER_EYE_MOUTH = 1 / 0.45;
const CENTROID_FROM_TOP = 0.43;

// MediaPipe mesh points: eye corners (when the irises are missing) and the mouth's outline.
const EYE_A = [33, 133] as const;
const EYE_B = [263, 362] as const;
const MOUTH = [61, 291, 0, 17, 13, 14] as const;

interface TfCore {
  tensor3d(values: Float32Array, shape: [number, number, number], dtype: 'float32'): { dispose(): void };
  io: { decodeWeights(data: ArrayBuffer, specs: unknown[]): Record<string, unknown> };
}

interface RecognitionNet {
  loadFromWeightMap(map: Record<string, unknown>): void;
  computeFaceDescriptor(input: unknown): Promise<Float32Array | Float32Array[]>;
}

export interface FaceDescriber {
  /** The descriptor of one face of an RGB raster; `scale` = raster pixels per landmark pixel. */
  describe(rgb: RgbRaster, face: FaceLandmarks, scale?: number): Promise<Float32Array>;
}

type Resolve = (request: string, parent: unknown, isMain: boolean, options: unknown) => string;

/** face-api's build with `@tensorflow/tfjs` resolved to the process's one tfjs-core. */
function loadFaceApi(): { FaceRecognitionNet: new () => RecognitionNet } {
  const mod = Module as unknown as { _resolveFilename: Resolve };
  const original = mod._resolveFilename;
  mod._resolveFilename = (request, parent, isMain, options) =>
    original(request === '@tensorflow/tfjs' ? TFJS_CORE : request, parent, isMain, options);
  try {
    // synchronous: nothing else resolves a module while the redirect is in place
    return require(join(FACE_API_DIR, 'dist', 'face-api.node-wasm.js')) as { FaceRecognitionNet: new () => RecognitionNet };
  } finally {
    mod._resolveFilename = original;
  }
}

interface Manifest {
  paths: string[];
  weights: unknown[];
}

/**
 * Loads the recognition net on the shared tfjs engine. The caller has started the landmark engine
 * first (it selects and initialises the wasm backend) and serialises calls with its detections.
 */
export async function loadFaceDescriber(): Promise<FaceDescriber> {
  const tf = require(TFJS_CORE) as TfCore;
  addTensorMethods(tf as unknown as Parameters<typeof addTensorMethods>[0]);
  const api = loadFaceApi();
  const manifest = JSON.parse(await readFile(MODEL, 'utf8')) as Manifest[];
  const parts: Buffer[] = [];
  const specs: unknown[] = [];
  for (const group of manifest) {
    specs.push(...group.weights);
    for (const p of group.paths) parts.push(await readFile(join(dirname(MODEL), p)));
  }
  const all = Buffer.concat(parts);
  const net = new api.FaceRecognitionNet();
  net.loadFromWeightMap(tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), specs));
  const run = async (chip: Float32Array): Promise<Float32Array> => {
    const input = tf.tensor3d(chip, [DESCRIPTOR_INPUT, DESCRIPTOR_INPUT, 3], 'float32');
    try {
      const out = await net.computeFaceDescriptor(input);
      const one = Array.isArray(out) ? out[0] : out;
      if (!one || one.length !== DESCRIPTOR_LENGTH) throw new Error('face descriptor of unexpected length');
      return one;
    } finally {
      input.dispose();
    }
  };
  // The first run compiles the network's kernels, so the first student does not wait for it.
  await run(new Float32Array(DESCRIPTOR_INPUT * DESCRIPTOR_INPUT * 3));
  return { describe: (rgb, face, scale = 1) => run(faceChip(rgb, face, scale)) };
}

function centre(mesh: FaceLandmarks['mesh'], idx: readonly number[]): [number, number] {
  let x = 0, y = 0;
  for (const i of idx) {
    const p = mesh[i];
    if (!p) throw new Error(`landmark mesh lacks point ${i}`);
    x += p[0];
    y += p[1];
  }
  return [x / idx.length, y / idx.length];
}

/**
 * The face chip the network reads, DESCRIPTOR_INPUT square, RGB as 0-255 floats: eyes level, scaled
 * and placed as in training. Bilinear sampling; outside the raster reads as black, as the network's
 * own padding does.
 */
export function faceChip(rgb: RgbRaster, face: FaceLandmarks, scale = 1): Float32Array {
  const a = face.rightIris ?? centre(face.mesh, EYE_A);
  const b = face.leftIris ?? centre(face.mesh, EYE_B);
  const [left, right] = a[0] <= b[0] ? [a, b] : [b, a];
  const mouth = centre(face.mesh, MOUTH);
  const side = ((Math.hypot(mouth[0] - left[0], mouth[1] - left[1]) + Math.hypot(mouth[0] - right[0], mouth[1] - right[1])) / 2) * SIDE_PER_EYE_MOUTH;
  const cx = (left[0] + right[0] + mouth[0]) / 3;
  const cy = (left[1] + right[1] + mouth[1]) / 3;
  const angle = Math.atan2(right[1] - left[1], right[0] - left[0]);
  const cos = Math.cos(angle) * scale, sin = Math.sin(angle) * scale;
  const step = side / DESCRIPTOR_INPUT;
  const out = new Float32Array(DESCRIPTOR_INPUT * DESCRIPTOR_INPUT * 3);
  const { pixels, width, height } = rgb;
  for (let v = 0; v < DESCRIPTOR_INPUT; v++) {
    // chip coordinates relative to the centroid, in source pixels, before the turn
    const dy = (v + 0.5) * step - CENTROID_FROM_TOP * side;
    for (let u = 0; u < DESCRIPTOR_INPUT; u++) {
      const dx = (u + 0.5) * step - 0.5 * side;
      const sx = cx * scale + dx * cos - dy * sin - 0.5;
      const sy = cy * scale + dx * sin + dy * cos - 0.5;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      const o = (v * DESCRIPTOR_INPUT + u) * 3;
      for (let c = 0; c < 3; c++) {
        const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? 0 : pixels[(y * width + x) * 3 + c] ?? 0);
        const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
        const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
        out[o + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}
