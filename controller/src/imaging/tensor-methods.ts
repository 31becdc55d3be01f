/**
 * Tensor methods (`t.add(u)`, `t.as4D(...)`) on the one tfjs-core the process shares. tfjs-core's node
 * build leaves them out (the umbrella `@tensorflow/tfjs` package adds them); face-api's networks call
 * them. Each is the op of the same name with the tensor first, as tfjs defines them; a method that is
 * already there is left alone, so a later full tfjs install changes nothing.
 */
type Op = (...args: unknown[]) => unknown;
interface TensorLike {
  shape: number[];
  size: number;
}

/** Methods that are `op(this, ...args)` for the op of the same name. */
const SAME_NAME = [
  'abs', 'add', 'all', 'any', 'argMax', 'argMin', 'avgPool', 'batchNorm', 'cast', 'clipByValue', 'conv2d', 'depthwiseConv2d', 'div', 'equal', 'exp',
  'expandDims', 'floor', 'gather', 'greater', 'less', 'log', 'matMul', 'max', 'maxPool', 'maximum', 'mean', 'min', 'minimum', 'mul', 'neg', 'pad', 'pow',
  'relu', 'reshape', 'resizeBilinear', 'reverse', 'round', 'rsqrt', 'separableConv2d', 'sigmoid', 'slice', 'softmax', 'split', 'sqrt', 'square',
  'squaredDifference', 'squeeze', 'sub', 'sum', 'tile', 'transpose', 'unstack',
] as const;

export function addTensorMethods(tf: Record<string, unknown> & { Tensor: { prototype: object } }): void {
  const proto = tf.Tensor.prototype as Record<string, unknown>;
  const define = (name: string, fn: (this: TensorLike, ...args: unknown[]) => unknown): void => {
    if (typeof proto[name] !== 'function') Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
  };
  const op = (name: string): Op => {
    const f = tf[name];
    if (typeof f !== 'function') throw new Error(`tfjs-core has no op ${name}`);
    return f as Op;
  };
  for (const name of SAME_NAME) {
    if (typeof tf[name] !== 'function') continue; // an op this tfjs-core lacks: its method stays missing
    const f = op(name);
    define(name, function (...args) {
      return f(this, ...args);
    });
  }
  const reshape = op('reshape');
  const cast = op('cast');
  define('as1D', function () {
    return reshape(this, [this.size]);
  });
  define('flatten', function () {
    return reshape(this, [this.size]);
  });
  for (const [name, rank] of [['as2D', 2], ['as3D', 3], ['as4D', 4], ['as5D', 5]] as const) {
    define(name, function (...dims) {
      return reshape(this, dims.slice(0, rank));
    });
  }
  define('asType', function (dtype) {
    return cast(this, dtype);
  });
  define('toFloat', function () {
    return cast(this, 'float32');
  });
  define('toInt', function () {
    return cast(this, 'int32');
  });
}
