/**
 * Entry of the `rig` command: builds the program from the command modules and runs it.
 * Each subcommand lives in its own module under `commands/` and is listed once in `commands/index.ts`.
 */
import { buildProgram } from './program.ts';

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Users' mistakes come back as CliError with an exit code; anything else is a defect and shows its stack.
  const code = typeof err === 'object' && err !== null && 'exitCode' in err ? Number(err.exitCode) : 70;
  const message = err instanceof Error ? (code === 70 ? err.stack ?? err.message : err.message) : String(err);
  // An empty message means the command already reported (e.g. as JSON on stdout).
  if (message) process.stderr.write(`rig: ${message}\n`);
  process.exitCode = code;
}
