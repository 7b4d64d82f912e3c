import { MinionError } from "../schema/errors.js";

/** One problem found in the input file, with its 1-based line number. */
export interface InputProblem {
  line: number;
  message: string;
}

const SHOWN_PROBLEMS = 10;

/**
 * The input file cannot be run as written (a line that is not JSON, has no usable `id` or `messages`, an
 * unknown key, a duplicate id). Raised before any request is sent, listing the first problems by line.
 */
export class BatchInputError extends MinionError {
  readonly problems: readonly InputProblem[];
  readonly problemCount: number;

  constructor(path: string, problems: InputProblem[], problemCount: number) {
    const shown = problems.slice(0, SHOWN_PROBLEMS).map((problem) => `  line ${problem.line}: ${problem.message}`);
    const more = problemCount > shown.length ? `\n  ... and ${problemCount - shown.length} more` : "";
    super(
      `The batch input ${path} has ${problemCount} invalid line(s); nothing was sent. Fix them and run the same command again:\n` +
        `${shown.join("\n")}${more}`,
      "batch_input_invalid",
    );
    this.problems = problems.slice(0, SHOWN_PROBLEMS);
    this.problemCount = problemCount;
  }
}

/** The output file holds something the runner did not write (a malformed line other than a torn last one). */
export class BatchOutputError extends MinionError {
  constructor(message: string) {
    super(message, "batch_output_invalid");
  }
}
