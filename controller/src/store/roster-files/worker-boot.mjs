// Entry of the file-reading worker: the sources are TypeScript, run through tsx as in the main thread.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
