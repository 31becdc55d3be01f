// Runs once before the suite: generated fixtures are built here by the fixture generator (issue 3).
import { generateFixtures } from './fixtures/generate.ts';

export default async function setup(): Promise<void> {
  await generateFixtures();
}
