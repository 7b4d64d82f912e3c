/** JSON text as the only thing that crosses between host and guest, in both directions. */

/**
 * A host value as JSON text for the guest (undefined stays undefined). A BigInt, a function, a symbol or a
 * circular structure cannot cross: that throws an Error saying so, which the guest receives as a rejection.
 */
export function toJsonText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value, (key: string, item: unknown) => {
      const type = typeof item;
      if (type === "bigint" || type === "function" || type === "symbol") {
        throw new TypeError(`a ${type}${key === "" ? "" : ` (at key ${JSON.stringify(key.slice(0, 60))})`} is not a JSON value`);
      }
      return item;
    });
  } catch (error) {
    throw new Error(`the value cannot be sent to the sandbox as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Parses JSON text from the guest without letting a `__proto__` key become anything but a dropped key. */
export function parseGuestJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (key === "__proto__" ? undefined : value));
}
