/**
 * Run as a child process by the process-hygiene test: loads the landmark engine (whose wasm runtime
 * installs process-wide handlers that rethrow), then lets one promise rejection go unhandled while the
 * process has its own handler. With the runtime's handlers left behind, the process dies here; with
 * them removed it prints what its own handler saw. PROBE_RETHROW=1 installs a rethrowing handler
 * like the runtime's, to show the probe notices one.
 */
import { landmarkEngine } from '../../controller/src/imaging/landmarks.ts';

await landmarkEngine();
if (process.env.PROBE_RETHROW === '1') {
  process.on('unhandledRejection', (reason) => {
    throw reason;
  });
}
let seen = 0;
process.on('unhandledRejection', () => {
  seen += 1;
});
// Deliberately left without a handler: the point of the probe.
const orphan = Promise.reject(new Error('probe'));
// Unhandled rejections are reported once the microtask queue drains, before the next turn.
setImmediate(() => {
  console.log(JSON.stringify({ seen, orphan: orphan instanceof Promise }));
});
