import { MinionError } from "../schema/errors.js";

/** A command line that cannot be run as written (unknown command, missing argument, bad flag value). */
export class UsageError extends MinionError {
  readonly help: string | undefined;

  constructor(message: string, help?: string) {
    super(message, "cli_usage");
    this.help = help;
  }
}
