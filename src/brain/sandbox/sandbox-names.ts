/**
 * Which names a sandbox function (a tool) may have: a JavaScript identifier that does not shadow one of the
 * engine's globals, the sandbox's own (console, print, finalAnswer), a property every object inherits, or a
 * reserved word. A tool named `undefined` or `Error` would otherwise break every run.
 */
import { InvalidRequestError } from "../../schema/errors.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** QuickJS's global object, as `Object.getOwnPropertyNames(globalThis)` lists it in this build. */
const ENGINE_GLOBALS = [
  "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError", "InternalError",
  "AggregateError", "Array", "Object", "Function", "Iterator", "parseInt", "parseFloat", "isNaN", "isFinite",
  "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape", "Infinity", "NaN",
  "undefined", "eval", "Number", "Boolean", "String", "Math", "Reflect", "Symbol", "globalThis", "BigInt", "Date",
  "RegExp", "JSON", "Proxy", "Map", "Set", "WeakMap", "WeakSet", "ArrayBuffer", "SharedArrayBuffer",
  "Uint8ClampedArray", "Int8Array", "Uint8Array", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
  "BigInt64Array", "BigUint64Array", "Float16Array", "Float32Array", "Float64Array", "DataView", "Promise",
  "WeakRef", "FinalizationRegistry", "Atomics",
];

const SANDBOX_GLOBALS = ["console", "print", "finalAnswer"];

const INHERITED = Object.getOwnPropertyNames(Object.prototype);

const RESERVED_WORDS = [
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum",
  "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null",
  "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield",
  "let", "static", "implements", "interface", "package", "private", "protected", "public", "await", "arguments",
];

const TAKEN = new Set([...ENGINE_GLOBALS, ...SANDBOX_GLOBALS, ...INHERITED, ...RESERVED_WORDS]);

/** Why `name` cannot be a sandbox function's name, or undefined when it can. */
export function sandboxNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string" || !IDENTIFIER.test(name)) {
    return `${JSON.stringify(name)} is not a valid JavaScript identifier (letters, digits, "_" or "$", not starting with a digit)`;
  }
  if (TAKEN.has(name)) return `"${name}" would shadow a built-in of the sandbox (a global, a reserved word or an inherited property); pick another name`;
  return undefined;
}

/** Throws InvalidRequestError for the first name that cannot be a sandbox function's name. */
export function checkSandboxNames(names: Iterable<string>, what = "Sandbox function name"): void {
  for (const name of names) {
    const problem = sandboxNameProblem(name);
    if (problem) throw new InvalidRequestError(`${what}: ${problem}.`);
  }
}
