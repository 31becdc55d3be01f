import type { Command } from 'commander';
import { registerServe } from './serve.ts';
import { registerBackup } from './backup.ts';
import { registerDoctor } from './doctor.ts';
import { registerConfig } from './config.ts';
import { registerSchedule } from './schedule.ts';
import { registerMakeup } from './makeup.ts';
import { registerAudit } from './audit.ts';
import { registerImportRoster } from './import-roster.ts';
import { registerStudents } from './students.ts';
import { registerValidate } from './validate.ts';
import { registerFaces } from './faces.ts';
import { registerStaff } from './staff.ts';
import { registerPull } from './pull.ts';
import { registerExport } from './export.ts';
import { registerCheckIn } from './check-in.ts';
import { registerVerify } from './verify.ts';
import { registerCamera } from './camera.ts';
import { registerBoard } from './board.ts';
import { registerCalibrate } from './calibrate.ts';

/** Every subcommand of `rig`, one registration function per module. Add new ones here. */
export const commands: Array<(program: Command) => void> = [
  registerServe,
  registerDoctor, registerBackup,
  registerConfig,
  registerSchedule,
  registerMakeup,
  registerAudit,
  registerImportRoster, registerStudents,
  registerValidate, registerFaces,
  registerStaff,
  registerPull,
  registerExport,
  registerCheckIn,
  registerVerify,
  registerCamera,
  registerBoard,
  registerCalibrate,
];
