// Entry of the file-reading child process: the sources are TypeScript, run through tsx as in the parent.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
