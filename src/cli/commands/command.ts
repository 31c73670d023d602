/** A CLI sub-command: a one-line summary for the usage text, and a run that returns the exit code. */
export interface CliCommand {
  readonly summary: string;
  run(args: readonly string[]): Promise<number>;
}
