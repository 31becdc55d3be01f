// Its own module: every command throws it and program.ts imports every command.
/** An error the user caused: printed without a stack, with the given exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
