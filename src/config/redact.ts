/**
 * How credentials are shown wherever a config is printed: never in full. Free-form settings are judged by
 * their key (a fuzzy match, so misspelt `api_kye` or `aws_secrte_access_kye` count) and by the shape of
 * their value (an AWS key id, a long random token, a private key).
 */
import { editDistance } from "./edit-distance.js";

export const REDACTED = "[redacted]";

/** Words that mark a credential in a key name, with how many typos (edits, transpositions) still count. */
const KEY_WORDS: readonly { word: string; typos: number }[] = [
  { word: "key", typos: 0 },
  { word: "auth", typos: 0 },
  { word: "pwd", typos: 0 },
  { word: "cookie", typos: 0 },
  { word: "token", typos: 1 },
  { word: "secret", typos: 1 },
  { word: "bearer", typos: 1 },
  { word: "passwd", typos: 1 },
  { word: "password", typos: 2 },
  { word: "signature", typos: 2 },
  { word: "credential", typos: 2 },
  { word: "private", typos: 1 },
];

/** Whether a key name looks like it holds a credential (e.g. `apiKey`, `db_password`, `api_kye`, `secrte`). */
export function isSecretLookingKey(key: string): boolean {
  const flat = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  return KEY_WORDS.some(({ word, typos }) => {
    if (flat.includes(word)) return true;
    // A transposed short word ("kye", "atuh"), or a longer word with a typo or two, anywhere in the key.
    for (let length = word.length - Math.max(typos, 0); length <= word.length + Math.max(typos, 0); length++) {
      for (let start = 0; start + length <= flat.length; start++) {
        const window = flat.slice(start, start + length);
        const limit = typos === 0 ? (isTransposition(window, word) ? 1 : 0) : typos;
        if (limit > 0 && editDistance(window, word) <= limit) return true;
      }
    }
    return false;
  });
}

function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  const diff = [...a].flatMap((char, index) => (char === b[index] ? [] : [index]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/** Whether a string value looks like a credential whatever its key: AWS key ids, tokens, private keys. */
export function isSecretLookingValue(value: string): boolean {
  const text = value.trim();
  if (/^(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}$/.test(text)) return true;
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return true;
  if (/^eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]+$/.test(text)) return true; // a JWT
  if (/^[A-Z0-9]{16,}:[A-Za-z0-9/+=]{30,}$/.test(text)) return true; // the legacy ACCESS:SECRET api_key
  if (/^[0-9a-f]{32,}$/i.test(text)) return true;
  // A long run of token characters mixing lower case, upper case and digits (an AWS secret key, a Bedrock API key).
  return text.length >= 20 && /^[A-Za-z0-9+/=_-]+$/.test(text) && /[a-z]/.test(text) && /[A-Z]/.test(text) && /\d/.test(text);
}

/** An AWS access key id keeps its 4-letter type prefix (AKIA = long-term, ASIA = temporary); the rest is hidden. */
export function redactAccessKeyId(value: string): string {
  return /^(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}$/.test(value) ? `${value.slice(0, 4)}****` : REDACTED;
}

export function redactSecret(field: string, value: unknown): unknown {
  if (value === undefined || value === null || value === "") return value;
  if (field === "accessKeyId" && typeof value === "string") return redactAccessKeyId(value);
  return REDACTED;
}

/** A URL with any user:password part and secret-looking query values hidden. */
export function redactUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return isSecretLookingValue(value) ? REDACTED : value;
  }
  if (url.username || url.password) {
    url.username = "redacted";
    url.password = "";
  }
  for (const [name, query] of [...url.searchParams]) {
    if (isSecretLookingKey(name) || isSecretLookingValue(query)) url.searchParams.set(name, REDACTED);
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.toString().replace(/\/$/, value.endsWith("/") ? "/" : "") : value;
}

/** A copy of free-form settings with secret-looking keys and values redacted (recursively, lists included). */
export function redactExtra(extra: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extra)) {
    out[key] = isSecretLookingKey(key) && value !== undefined && value !== null && value !== "" ? REDACTED : redactValue(value);
  }
  return out;
}

function redactValue(value: unknown): unknown {
  if (typeof value === "string") return isSecretLookingValue(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === "object") return redactExtra(value as Record<string, unknown>);
  return value;
}
