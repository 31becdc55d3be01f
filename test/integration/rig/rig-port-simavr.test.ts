import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRig } from '../../../firmware-bridge/src/open-rig.ts';
import { SimavrBoard } from '../../../firmware-bridge/src/simavr-board.ts';
import { rigPortContract } from '../../contract/rig-port.contract.ts';
import { ensureFirmwareBuilt, testRigSettings, testWiring } from '../../support/rig-targets.ts';

rigPortContract('firmware in simavr', 'board', async () => {
  await ensureFirmwareBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'rig-sim-'));
  const sim = await SimavrBoard.start(testWiring, { link: join(dir, 'ttyRIG') });
  try {
    const rig = await openRig({ ...testRigSettings, driver: 'board', serialPort: sim.path });
    return {
      rig, room: sim.room,
      unplug: async () => sim.unplug(),
      plugIn: async () => {
        sim.plugIn();
      },
      close: async () => {
        await rig.close();
        await sim.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
});
