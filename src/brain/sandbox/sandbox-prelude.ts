/**
 * JavaScript evaluated inside each fresh QuickJS context before the model's code. It is a function the worker
 * calls with the bridge (four host callbacks that accept only strings, and a printed line's length), the run's
 * settings as JSON text and the globals as JSON text; it returns the runner that compiles and runs the model's
 * code.
 *
 * Everything it uses after the model's code starts is captured first (JSON, Function.prototype.call-bound
 * built-ins, constructors), so code that replaces `Array.prototype.join`, `JSON.stringify` or `Promise` cannot
 * change what crosses the bridge: the bridge only ever receives primitive strings built here.
 * The bridge callbacks live in this closure only; the model's code cannot reach them.
 */
export const SANDBOX_PRELUDE = String.raw`(function (write, final, call, fail, settingsJson, globalsJson) {
  "use strict";
  const g = globalThis;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const uncurry = Function.prototype.bind.bind(Function.prototype.call);
  const slice = uncurry(String.prototype.slice);
  const fnToString = uncurry(Function.prototype.toString);
  const StringOf = String;
  const TypeErrorOf = TypeError;
  const PromiseOf = Promise;
  const create = Object.create;
  const defineProperty = Object.defineProperty;
  const keys = Object.keys;
  const indirectEval = eval;
  const settings = parse(settingsJson);
  const maxChars = settings.maxChars;

  const clip = (text) => text.length <= maxChars ? text : slice(text, 0, maxChars) + " [" + (text.length - maxChars) + " more characters cut]";
  const safeText = (value) => {
    try { return StringOf(value); } catch (error) { return "(a value that cannot be shown)"; }
  };

  const toText = (value) => {
    if (typeof value === "string") return value;
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return safeText(value);
    try {
      if (typeof value.message === "string" && typeof value.name === "string") return safeText(value);
      const text = stringify(value);
      return typeof text === "string" ? text : safeText(value);
    } catch (error) {
      return safeText(value);
    }
  };
  const log = (...values) => {
    let line = "";
    for (let i = 0; i < values.length; i++) line += (i === 0 ? "" : " ") + toText(values[i]);
    // Only what the output can keep is copied out of the engine, as JSON text (a copy of a string ends at a NUL
    // character, and a lone surrogate does not survive UTF-8); the full length says how much was printed.
    write(stringify(line.length > maxChars ? slice(line, 0, maxChars) : line), line.length);
  };
  const consoleObject = { log, info: log, warn: log, error: log, debug: log };
  defineProperty(g, "console", { value: consoleObject, writable: true, configurable: true });
  g.print = log;

  // Only JSON crosses: a BigInt, a function, a symbol or a value nested deeper than settings.maxDepth is a
  // TypeError here, which the code can catch. An object's depth is its holder's (this) plus one.
  const depths = new WeakMap();
  const depthOf = uncurry(WeakMap.prototype.get);
  const setDepth = uncurry(WeakMap.prototype.set);
  const refuse = function (key, value) {
    const type = typeof value;
    if (type === "bigint" || type === "function" || type === "symbol") {
      const where = key === "" ? "" : " (at key " + stringify(slice(StringOf(key), 0, 60)) + ")";
      throw new TypeErrorOf("a " + type + " cannot be sent to the host" + where + ": only JSON values (objects, arrays, strings, numbers, booleans, null) cross");
    }
    if (type === "object" && value !== null) {
      const depth = (depthOf(depths, this) ?? 0) + 1;
      if (depth > settings.maxDepth) throw new TypeErrorOf("a value nested deeper than " + settings.maxDepth + " levels cannot be sent to the host");
      setDepth(depths, value, depth);
    }
    return value;
  };
  const toJson = (value, what) => {
    const text = stringify(value, refuse);
    if (typeof text !== "string") throw new TypeErrorOf(what + " cannot be sent to the host as JSON");
    return text;
  };
  g.finalAnswer = (value) => {
    final(toJson(value === undefined ? null : value, "the finalAnswer value"));
    return value;
  };

  // At most settings.maxConcurrent calls go to the host at once; the rest wait here, in the sandbox's memory.
  let active = 0;
  let head = 0;
  let tail = 0;
  const waiting = create(null);
  const acquire = () => {
    if (active < settings.maxConcurrent) {
      active++;
      return undefined;
    }
    return new PromiseOf((resolve) => { waiting[tail++] = resolve; });
  };
  const release = () => {
    if (head === tail) {
      active--;
      return;
    }
    const next = waiting[head];
    delete waiting[head++];
    next();
  };
  // The bridge throws at once only when a cap was reached and the run is ending: later calls fail fast.
  let ended = false;
  const callHost = (name, json) => {
    try {
      return call(name, json);
    } catch (error) {
      ended = true;
      throw error;
    }
  };
  const hostFunction = (name) => async (args) => {
    if (ended) throw new TypeErrorOf("the run is stopping: it reached a limit on tool calls");
    const json = toJson(args === undefined ? {} : args, "the argument of " + name + "()");
    if (json.length > settings.maxBytes) return callHost(name, json); // refused at once: the run ends (maxToolBytes)
    await acquire();
    let text;
    try {
      text = await callHost(name, json);
    } finally {
      release();
    }
    return text === undefined ? undefined : parse(text);
  };
  for (const name of settings.functions) g[name] = hostFunction(name);

  const globals = parse(globalsJson);
  for (const key of keys(globals)) g[key] = globals[key];

  // As JSON text, like printed lines: a NUL character would end the copy out of the engine.
  const failWith = (name, message) => fail(stringify(name), stringify(message));
  const report = (error) => {
    let name = "Error";
    let message;
    try {
      if (error !== null && (typeof error === "object" || typeof error === "function")) {
        const ownName = error.name;
        if (typeof ownName === "string") name = ownName;
        const ownMessage = error.message;
        message = typeof ownMessage === "string" ? ownMessage : safeText(error);
      } else {
        message = typeof error === "string" ? error : safeText(error);
      }
    } catch (readError) {
      name = "Error";
      message = "the code threw a value that could not be read";
    }
    failWith(clip(StringOf(name)), clip(StringOf(message)));
  };

  return async (code) => {
    const source = "(async () => {\n" + code + "\n})";
    let body;
    try {
      body = indirectEval(source);
    } catch (error) {
      report(error);
      return;
    }
    let exact = false;
    try { exact = typeof body === "function" && fnToString(body) === slice(source, 1, source.length - 1); } catch (error) { exact = false; }
    if (!exact) {
      failWith("SyntaxError", "the code closes the function it runs in (an unmatched '}' or ')'); write it as a plain script body, where top-level await and return are allowed");
      return;
    }
    try {
      await body();
    } catch (error) {
      report(error);
    }
  };
})`;
