// Preloaded into a `rig serve` child by the suites that watch its memory (never by the product):
// on the message 'heap' over the IPC channel it collects garbage twice and answers with the live
// heap, a figure that does not drift with the allocator the way the resident set does.
'use strict';
if (typeof process.send === 'function' && typeof global.gc === 'function') {
  process.on('message', (m) => {
    if (m !== 'heap') return;
    global.gc();
    global.gc();
    const { heapUsed, external, arrayBuffers } = process.memoryUsage();
    process.send({ heap: heapUsed, external, arrayBuffers });
  });
  // The channel must not keep an otherwise finished process alive.
  if (process.channel) process.channel.unref();
}
