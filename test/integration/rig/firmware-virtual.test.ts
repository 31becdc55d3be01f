import { firmwareContract } from '../../contract/firmware.contract.ts';
import { virtualTarget } from '../../support/rig-targets.ts';

firmwareContract(virtualTarget);
