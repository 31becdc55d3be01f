import { fileURLToPath } from 'node:url';
import { loadDemoSubject, type DemoSubject } from '../../controller/src/camera/demo-subject.ts';

export const demoSubjectFile = fileURLToPath(new URL('../../config/demo-subject.png', import.meta.url));

let cached: Promise<DemoSubject> | null = null;
/** The cut-out demo subject, prepared once per test file. */
export function demoSubject(): Promise<DemoSubject> {
  return (cached ??= loadDemoSubject(demoSubjectFile));
}
