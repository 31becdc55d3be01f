// Runs once before the suite: generated fixtures are built here by the fixture generator (issue 3).
import { buildUi } from '../scripts/build-ui.mjs';
import { generateFixtures } from './fixtures/generate.ts';
import { buildFirmwareAndHarness } from '../firmware-bridge/src/simavr-board.ts';

export default async function setup(): Promise<void> {
  // The browser end-to-end suite serves kiosk-ui/dist: build it when its sources changed.
  // The rig firmware ELF and its simavr harness are built once here, before workers run in parallel.
  await Promise.all([generateFixtures(), buildUi(), buildFirmwareAndHarness()]);
}
