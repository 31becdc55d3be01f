/**
 * The Rig port lives in the application layer (controller/src/app/ports/rig.ts); re-exported here
 * for the adapters beside it and for older imports.
 */
export type {
  BoardHealth, LightLevels, ReadinessReport, ReadinessTolerance, Reading, Rig, RigPort, RigReadings, SceneLights, SimulatedRigControls,
} from '../../controller/src/app/ports/rig.ts';
