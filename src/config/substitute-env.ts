/**
 * `${VAR}` substitution in config values, from an environment map.
 *
 * Supported forms, anywhere in a string (whole value or embedded, several per string):
 * - `${VAR}`            the variable's value; unresolved when VAR is not set.
 * - `${VAR:-default}`   the default when VAR is unset or empty.
 * - `${VAR-default}`    the default when VAR is unset.
 * - `$${VAR}`           a literal `${VAR}` (escape).
 */
export type EnvMap = Record<string, string | undefined>;

export interface SubstitutionResult {
  /** The substituted text. Unresolved references are left as written; check `unresolved` before using it. */
  value: string;
  /** Names of variables that were referenced, not set, and had no default. */
  unresolved: string[];
}

const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g;

export function substituteEnv(text: string, env: EnvMap): SubstitutionResult {
  const unresolved: string[] = [];
  const value = text.replace(REFERENCE, (whole, escape: string, name: string, operator?: string, fallback?: string) => {
    if (escape) return whole.slice(1);
    const current = env[name];
    if (operator === ":-") return current === undefined || current === "" ? (fallback ?? "") : current;
    if (operator === "-") return current === undefined ? (fallback ?? "") : current;
    if (current === undefined) {
      if (!unresolved.includes(name)) unresolved.push(name);
      return whole;
    }
    return current;
  });
  return { value, unresolved };
}

/**
 * Substitutes every string inside a YAML value (mappings and lists, recursively). Unresolved references stay
 * as written and are reported with their dotted path.
 */
export function substituteTree(value: unknown, env: EnvMap, path = ""): { value: unknown; unresolved: { path: string; variable: string }[] } {
  const unresolved: { path: string; variable: string }[] = [];
  const walk = (node: unknown, at: string): unknown => {
    if (typeof node === "string") {
      const result = substituteEnv(node, env);
      for (const variable of result.unresolved) unresolved.push({ path: at, variable });
      return result.value;
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${at}[${index}]`));
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) out[key] = walk(child, at ? `${at}.${key}` : key);
      return out;
    }
    return node;
  };
  return { value: walk(value, path), unresolved };
}
