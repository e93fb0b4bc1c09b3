/**
 * The engine's error types. Every user-facing failure is an EventStudyError carrying the
 * exit code the CLI returns; anything else reaching the top is a bug and prints a stack
 * trace only with --debug.
 */

/** Exit codes, documented in the README. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  invalidSpec: 2,
  badData: 3,
  output: 4,
  /** `run --check`: a report is older than its spec, data or engine. */
  stale: 5,
  usage: 64,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class EventStudyError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The spec is malformed, has an unknown key, a wrong type or an impossible value. */
export class SpecError extends EventStudyError {
  constructor(message: string) {
    super(message, ExitCode.invalidSpec);
  }
}

/** The data cannot support the study: a missing file or column, an empty window. */
export class DataError extends EventStudyError {
  constructor(message: string) {
    super(message, ExitCode.badData);
  }
}

/** The report cannot be written where it was asked to go. */
export class OutputError extends EventStudyError {
  constructor(message: string) {
    super(message, ExitCode.output);
  }
}

/** A statistical method was given too few observations to say anything. */
export class InsufficientDataError extends EventStudyError {
  constructor(
    readonly method: string,
    readonly minimum: string,
  ) {
    super(`${method} needs ${minimum}`, ExitCode.badData);
  }
}
