/** Exit codes: 0 done (bad input lines included), 1 the work failed, 2 the command line is wrong. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** An error the command line reports as one message and an exit code, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
  ) {
    super(message);
  }
}

/** The command line itself is wrong: an unknown command or option, a missing value, an unusable model file. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}
