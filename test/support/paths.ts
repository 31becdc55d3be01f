/** Where things are, for every test: the project root, the shared fixtures beside it, test artifacts. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
/** ../shared/fixtures: the public-domain photos fixtures are generated from (read-only). */
export const sharedFixtures = join(projectRoot, '..', 'shared', 'fixtures');
/** Screenshots and reports tests leave for a human to look at (git-ignored). */
export const artifactsDir = join(projectRoot, 'test', 'artifacts');
