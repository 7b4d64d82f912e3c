/** Checks of option values, run before a command starts anything (config, emulator, network). */
import { UsageError } from "./usage-error.js";

export function numberOption(flag: string, value: string | undefined, help?: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number)) throw new UsageError(`${flag} needs a number, got "${value}".`, help);
  return number;
}

/** A sampling temperature: 0 to 1, as Bedrock's Claude models take it. */
export function temperatureOption(value: string | undefined, help?: string): number | undefined {
  const number = numberOption("--temperature", value, help);
  if (number !== undefined && (number < 0 || number > 1)) throw new UsageError(`--temperature must be from 0 to 1, got "${value}".`, help);
  return number;
}

export function positiveIntegerOption(flag: string, value: string | undefined, help?: string): number | undefined {
  const number = numberOption(flag, value, help);
  if (number !== undefined && (!Number.isInteger(number) || number < 1)) throw new UsageError(`${flag} needs a positive whole number, got "${value}".`, help);
  return number;
}
