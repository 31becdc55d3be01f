import { firmwareContract } from '../../contract/firmware.contract.ts';
import { simavrTarget } from '../../support/rig-targets.ts';

firmwareContract(simavrTarget);
