import { jsonNestedDeeperThan } from "../schema/json-nesting.js";

/**
 * The deepest JSON nesting the emulator accepts, as AWS's JSON parsers do (Jackson's default limit). Deeper
 * bodies would overflow the stack of any recursive walk over them (JSON.stringify included).
 */
export const MAX_JSON_NESTING = 1000;

export function jsonNestedTooDeep(text: string): boolean {
  return jsonNestedDeeperThan(text, MAX_JSON_NESTING);
}
