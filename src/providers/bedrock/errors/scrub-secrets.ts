/**
 * Removes credentials from text bound for an error: the known secrets (raw, URL-encoded, even partly or
 * repeatedly, JSON- or HTML-escaped, hex, and base64, also inside a longer base64 value; and any run of 16 of
 * its characters as they are), anything shaped like an AWS access key id, and the values of
 * credential headers a server or proxy may echo back.
 */
const ACCESS_KEY_SHAPE = /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b/g;
/**
 * A credential header name (or `Bearer`), its separator raw or URL-encoded, then a token-shaped value: 16+
 * base64/URL-safe or percent-encoded characters, so that an ordinary word after it ("Bearer token") stays.
 */
const ECHOED_CREDENTIAL =
  /((?:x-amz-security-token|authorization)["']?[ \t]*(?:[:=]|%3[aAdD])[ \t]*["']?(?:Bearer(?:[ \t]+|%20))?|\bBearer(?:[ \t]+|%20|\+))[A-Za-z0-9._~+/=%-]{16,}/gi;
const MIN_SECRET_LENGTH = 4;

/** Compiled matchers per secret; the secrets of a process are few (a provider's keys, the chain's latest). */
const matchers = new Map<string, RegExp>();
const MAX_MATCHERS = 256;

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.replace(matcherOf(secret), "[redacted]");
  }
  return withoutFragments(out, secrets).replace(ACCESS_KEY_SHAPE, "[redacted]").replace(ECHOED_CREDENTIAL, "$1[redacted]");
}

/** A run of this many characters of a secret is part of it (half a token, the rest sent in a later message). */
const FRAGMENT = 16;
const fragmentSets = new Map<string, Fragments>();

/** A secret's runs of FRAGMENT characters, and their rolling hashes (a slice per position of the text cost ~90x the rest of scrub). */
interface Fragments {
  texts: Set<string>;
  hashes: Set<number>;
}

const HASH_BASE = 31;
/** HASH_BASE ** (FRAGMENT - 1), modulo 2^32: what the character leaving the window weighs. */
const LEAVING_WEIGHT = Array.from({ length: FRAGMENT - 1 }).reduce<number>((power) => Math.imul(power, HASH_BASE), 1);

function windowHash(text: string, start: number): number {
  let hash = 0;
  for (let at = start; at < start + FRAGMENT; at++) hash = (Math.imul(hash, HASH_BASE) + text.charCodeAt(at)) | 0;
  return hash;
}

/** Replaces each run of FRAGMENT or more characters that appear, in order, in one of `secrets`. */
function withoutFragments(text: string, secrets: readonly string[]): string {
  if (text.length < FRAGMENT) return text;
  const fragments = fragmentsOf(secrets);
  if (fragments.texts.size === 0) return text;
  const isFragment = (start: number): boolean => fragments.texts.has(text.slice(start, start + FRAGMENT));
  let out = "";
  let kept = 0;
  let at = 0;
  let hash = windowHash(text, 0);
  while (at + FRAGMENT <= text.length) {
    if (!fragments.hashes.has(hash) || !isFragment(at)) {
      if (at + FRAGMENT < text.length) hash = (Math.imul(hash - Math.imul(text.charCodeAt(at), LEAVING_WEIGHT), HASH_BASE) + text.charCodeAt(at + FRAGMENT)) | 0;
      at++;
      continue;
    }
    let end = at + FRAGMENT;
    while (end < text.length && isFragment(end + 1 - FRAGMENT)) end++;
    out += `${text.slice(kept, at)}[redacted]`;
    kept = at = end;
    if (at + FRAGMENT <= text.length) hash = windowHash(text, at);
  }
  return out + text.slice(kept);
}

/** The fragments of all the secrets, so that the text is scanned once whatever their number. */
function fragmentsOf(secrets: readonly string[]): Fragments {
  const key = JSON.stringify(secrets);
  let fragments = fragmentSets.get(key);
  if (fragments) return fragments;
  if (fragmentSets.size >= MAX_MATCHERS) fragmentSets.clear();
  fragments = { texts: new Set(), hashes: new Set() };
  for (const secret of secrets) {
    for (let at = 0; at + FRAGMENT <= secret.length; at++) {
      fragments.texts.add(secret.slice(at, at + FRAGMENT));
      fragments.hashes.add(windowHash(secret, at));
    }
  }
  fragmentSets.set(key, fragments);
  return fragments;
}

function matcherOf(secret: string): RegExp {
  let matcher = matchers.get(secret);
  if (matcher) return matcher;
  if (matchers.size >= MAX_MATCHERS) matchers.clear();
  const bytes = Buffer.from(secret, "utf8");
  const alternatives = [characterForms(secret), hexForm(bytes), ...base64Forms(bytes, "base64"), ...base64Forms(bytes, "base64url")];
  matcher = new RegExp(alternatives.join("|"), "g");
  matchers.set(secret, matcher);
  return matcher;
}

/**
 * The secret base64-encoded on its own, and inside a longer value (a whole "Bearer <key>" header), where it
 * starts 0, 1 or 2 bytes into a 3-byte group: the characters made only of its bits, then the one it shares
 * with what follows, and padding.
 */
function base64Forms(bytes: Buffer, alphabet: "base64" | "base64url"): string[] {
  const forms = [escape(bytes.toString(alphabet))];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString(alphabet);
    const own = encoded.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
    forms.push(`${escape(own)}[A-Za-z0-9+/_-]?=*`);
  }
  return forms;
}

/**
 * Each character matches raw, as its JSON escape (`\u002f`, `\/`: a body that is not valid JSON is shown as it
 * came), as an HTML character reference (`&#47;`, `&#x2F;`, `&sol;`: a proxy's error page) and, when URL
 * encoding changes it, as its %XX bytes, encoded once or more (`%252F`); hex in either case.
 */
function characterForms(secret: string): string {
  let pattern = "";
  for (const char of secret) {
    const forms = [escape(char), ...jsonEscapes(char), ...htmlReferences(char)];
    if (!/[A-Za-z0-9._~-]/.test(char)) {
      forms.push([...Buffer.from(char, "utf8")].map((byte) => "%(?:25)*" + [...byte.toString(16).padStart(2, "0")].map(hexClass).join("")).join(""));
      if (char === " ") forms.push("\\+");
    }
    pattern += `(?:${forms.join("|")})`;
  }
  return pattern;
}

const NAMED_REFERENCES: Record<string, string> = { "/": "sol", "+": "plus", "=": "equals", "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" };

function htmlReferences(char: string): string[] {
  const code = char.codePointAt(0)!;
  const named = NAMED_REFERENCES[char];
  const references = [`&#0*${code};`, `&#[xX]0*${[...code.toString(16)].map(hexClass).join("")};`];
  return named === undefined ? references : [...references, `&${named};`];
}

/** The secret's bytes as hex digits, in either case. */
function hexForm(bytes: Buffer): string {
  return [...bytes.toString("hex")].map(hexClass).join("");
}

/** `\uXXXX` for a character of the basic plane, and `\/` for "/". */
function jsonEscapes(char: string): string[] {
  const code = char.codePointAt(0)!;
  if (code > 0xffff) return [];
  const unicode = "\\\\u" + [...code.toString(16).padStart(4, "0")].map(hexClass).join("");
  return char === "/" ? [unicode, "\\\\\\/"] : [unicode];
}

function hexClass(digit: string): string {
  return /[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
