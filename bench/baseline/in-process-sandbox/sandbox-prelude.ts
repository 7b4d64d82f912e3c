/**
 * JavaScript evaluated inside each fresh QuickJS context before the model's code. It captures the host
 * bridge functions in a closure, removes them from the global object, and defines `console`, `print`,
 * `finalAnswer` and one async wrapper per host function. Only strings (JSON text) cross the bridge.
 */
export const BRIDGE = {
  write: "__minionWrite",
  call: "__minionCall",
  final: "__minionFinal",
  globals: "__minionGlobals",
  functions: "__minionFunctions",
} as const;

export const SANDBOX_PRELUDE = `(() => {
  "use strict";
  const g = globalThis;
  const write = g.${BRIDGE.write};
  const call = g.${BRIDGE.call};
  const final = g.${BRIDGE.final};
  const globalsJson = g.${BRIDGE.globals};
  const functionNames = JSON.parse(g.${BRIDGE.functions});
  for (const key of ${JSON.stringify(Object.values(BRIDGE))}) delete g[key];
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const toText = (value) => {
    if (typeof value === "string") return value;
    if (value instanceof Error) return String(value);
    try {
      const text = stringify(value);
      return text === undefined ? String(value) : text;
    } catch (error) {
      return String(value);
    }
  };
  const log = (...values) => { write(values.map(toText).join(" ")); };
  const consoleObject = { log, info: log, warn: log, error: log, debug: log };
  Object.defineProperty(g, "console", { value: consoleObject, writable: true, configurable: true });
  g.print = log;
  const toJson = (value) => {
    let text;
    try { text = stringify(value); } catch (error) { text = undefined; }
    return text === undefined ? stringify(value === undefined ? null : String(value)) : text;
  };
  g.finalAnswer = (value) => { final(toJson(value)); return value; };
  for (const name of functionNames) {
    g[name] = async (args) => {
      const text = await call(name, toJson(args === undefined ? {} : args));
      return text === undefined ? undefined : parse(text);
    };
  }
  const globals = parse(globalsJson);
  for (const key of Object.keys(globals)) g[key] = globals[key];
})();
`;
