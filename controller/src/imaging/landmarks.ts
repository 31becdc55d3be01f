/**
 * Face landmarks with @vladmandic/human on its wasm backend, offline. The library is loaded by file
 * path (its package exports map does not expose the node-wasm build), and its models are read from
 * the package's own models folder through a tfjs load router, because Node's fetch refuses file://.
 * Models load once per process and are shared by every validator; detections are serialised because
 * one wasm backend runs one graph at a time.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config, FaceResult, Human } from '@vladmandic/human';
import { loadFaceDescriber, type FaceDescriber, type RgbRaster } from './face-descriptor.ts';

const require = createRequire(import.meta.url);
// resolves to <package>/dist/human.node.js; the package root is two levels up
const humanDir = dirname(dirname(require.resolve('@vladmandic/human')));
const MODEL_DIR = join(humanDir, 'models');
const WASM_DIR = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';

/** A face as the library reports it, in analysis-image pixels. */
export interface RawFace {
  score: number;
  box: [number, number, number, number];
  mesh: Array<[number, number, number]>;
  leftIris?: [number, number];
  rightIris?: [number, number];
  /** Human's anti-spoof and liveness scores (0-1), when those models ran */
  real?: number;
  live?: number;
  /** degrees */
  yaw: number;
  pitch: number;
}

export interface LandmarkEngine {
  detect(rgb: Buffer, width: number, height: number): Promise<RawFace[]>;
  /** The 128-number descriptor of a face this engine found on the same raster (face-descriptor.ts). */
  describe(rgb: RgbRaster, face: RawFace, scale?: number): Promise<Float32Array>;
  /** Loads the recognition net now rather than at the first `describe` (about a second, once per process). */
  loadDescriber(): Promise<void>;
}

const CONFIG: Partial<Config> = {
  backend: 'wasm',
  wasmPath: WASM_DIR,
  modelBasePath: pathToFileURL(MODEL_DIR + '/').href,
  debug: false,
  async: true,
  cacheSensitivity: 0, // every call is a new photo: no frame-to-frame caching
  filter: { enabled: false },
  face: {
    enabled: true,
    detector: { rotation: true, maxDetected: 5, minConfidence: 0.3, return: false },
    mesh: { enabled: true },
    iris: { enabled: true },
    emotion: { enabled: false },
    description: { enabled: false },
    antispoof: { enabled: false }, // measured: does not tell a re-photographed print from a face (README)
    liveness: { enabled: false },
    attention: { enabled: false },
  },
  body: { enabled: false },
  hand: { enabled: false },
  object: { enabled: false },
  gesture: { enabled: false },
  segmentation: { enabled: false },
} as Partial<Config>;

let shared: Promise<LandmarkEngine> | undefined;

/** The process-wide engine; the first caller pays the model load (about 150 ms), later callers share it. */
export function landmarkEngine(): Promise<LandmarkEngine> {
  shared ??= load().catch((err: unknown) => {
    shared = undefined; // a failed load may be retried by the next validator
    throw err;
  });
  return shared;
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: unknown[] }>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: unknown;
  userDefinedMetadata?: unknown;
  modelInitializer?: unknown;
}

async function readModel(url: string): Promise<Record<string, unknown>> {
  const file = fileURLToPath(url);
  const json = JSON.parse(await readFile(file, 'utf8')) as ModelJson;
  const parts: Buffer[] = [];
  const weightSpecs: unknown[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) parts.push(await readFile(join(dirname(file), p)));
  }
  const all = Buffer.concat(parts);
  return {
    modelTopology: json.modelTopology,
    weightSpecs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    modelInitializer: json.modelInitializer,
  };
}

type Listener = (...args: unknown[]) => void;

/** The process's current listeners for the two error events, as one list per event. */
function errorListeners(): { uncaught: Listener[]; rejection: Listener[] } {
  return {
    uncaught: process.listeners('uncaughtException') as Listener[],
    rejection: process.listeners('unhandledRejection') as Listener[],
  };
}

async function load(): Promise<LandmarkEngine> {
  // The wasm runtime installs process-wide handlers that rethrow every uncaught error; a server
  // has its own, so they are removed again once the runtime has started.
  const before = errorListeners();
  try {
    return await start();
  } finally {
    const after = errorListeners();
    for (const l of after.uncaught) if (!before.uncaught.includes(l)) process.removeListener('uncaughtException', l);
    for (const l of after.rejection) if (!before.rejection.includes(l)) process.removeListener('unhandledRejection', l);
  }
}

async function start(): Promise<LandmarkEngine> {
  const lib = require(join(humanDir, 'dist', 'human.node-wasm.js')) as { Human: new (c: Partial<Config>) => Human };
  const human = new lib.Human(CONFIG);
  const modelRoot = pathToFileURL(MODEL_DIR).href;
  human.tf.io.registerLoadRouter((url: string | string[]) =>
    typeof url === 'string' && url.startsWith(modelRoot) ? { load: () => readModel(url) as never } : null,
  );
  await human.load();
  // One throw-away detection compiles the wasm kernels, so the first student does not wait for it.
  const blank = human.tf.zeros([256, 256, 3], 'int32');
  await human.detect(blank as never);
  human.tf.dispose(blank);
  let queue: Promise<unknown> = Promise.resolve();
  const detect = async (rgb: Buffer, width: number, height: number): Promise<RawFace[]> => {
    const tensor = human.tf.tensor3d(new Uint8Array(rgb.buffer, rgb.byteOffset, width * height * 3), [height, width, 3], 'int32');
    try {
      const result = await human.detect(tensor as never);
      return result.face.map(toRaw);
    } finally {
      human.tf.dispose(tensor);
    }
  };
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };
  let describer: Promise<FaceDescriber> | undefined;
  const loadDescriber = (): Promise<FaceDescriber> => {
    describer ??= serialised(loadFaceDescriber).catch((err: unknown) => {
      describer = undefined; // a failed load may be retried by the next capture
      throw err;
    });
    return describer;
  };
  return {
    detect: (rgb, width, height) => serialised(() => detect(rgb, width, height)),
    async describe(rgb, face, scale = 1) {
      const d = await loadDescriber();
      return serialised(() => d.describe(rgb, face, scale));
    },
    async loadDescriber() {
      await loadDescriber();
    },
  };
}

const DEG = 180 / Math.PI;

function toRaw(f: FaceResult): RawFace {
  const li = f.annotations.leftEyeIris?.[0];
  const ri = f.annotations.rightEyeIris?.[0];
  const out: RawFace = {
    score: f.score,
    box: f.box,
    mesh: f.mesh.map((p) => [p[0], p[1], p[2] ?? 0] as [number, number, number]),
    yaw: (f.rotation?.angle.yaw ?? 0) * DEG,
    pitch: (f.rotation?.angle.pitch ?? 0) * DEG,
  };
  if (typeof f.real === 'number') out.real = f.real;
  if (typeof f.live === 'number') out.live = f.live;
  if (li) out.leftIris = [li[0], li[1]];
  if (ri) out.rightIris = [ri[0], ri[1]];
  return out;
}
