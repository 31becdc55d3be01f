import { openRig } from '../../../firmware-bridge/src/open-rig.ts';
import type { BoardRig } from '../../../firmware-bridge/src/board-rig.ts';
import type { VirtualSerialLine } from '../../../firmware-bridge/src/virtual-serial.ts';
import { rigPortContract } from '../../contract/rig-port.contract.ts';
import { testRigSettings } from '../../support/rig-targets.ts';

rigPortContract('virtual board', 'simulated', async () => {
  const rig = (await openRig({ ...testRigSettings, driver: 'simulated' })) as BoardRig & { line: VirtualSerialLine };
  return {
    rig, room: rig.line.room,
    unplug: async () => rig.line.unplug(),
    plugIn: async () => rig.line.plugIn(),
    close: () => rig.close(),
  };
});
