/**
 * Whether text bound for a person (an error message, a log line) would show `secret` to someone who decodes
 * what looks encoded: URL-encoding (repeated), JSON and HTML escapes, and runs of hex or base64 at any
 * alignment (a secret inside a longer encoded value, such as a whole `Authorization: Bearer ...` header).
 */
export function revealsSecret(text: string, secret: string): boolean {
  return readings(text).some((reading) => reading.includes(secret));
}

function readings(text: string): string[] {
  const unescaped = text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\\//g, "/")
    .replace(/&#[xX]([0-9a-fA-F]+);/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, decimal: string) => String.fromCodePoint(parseInt(decimal, 10)))
    .replace(/&(sol|plus|equals|amp|lt|gt|quot|apos);/g, (_, name: string) => NAMED[name]!);
  const out = [text, unescaped];
  let decoded = unescaped;
  for (let i = 0; i < 3; i++) out.push((decoded = urlDecoded(decoded)));
  for (const reading of [...out]) out.push(...hexRuns(reading), ...base64Runs(reading));
  return out;
}

const NAMED: Record<string, string> = { sol: "/", plus: "+", equals: "=", amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function urlDecoded(text: string): string {
  return text.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function hexRuns(text: string): string[] {
  return (text.match(/[0-9a-fA-F]{8,}/g) ?? []).flatMap((run) => [0, 1].map((at) => Buffer.from(run.slice(at), "hex").toString("latin1")));
}

function base64Runs(text: string): string[] {
  return (text.match(/[A-Za-z0-9+/_-]{8,}/g) ?? []).flatMap((run) =>
    [0, 1, 2, 3].map((at) => Buffer.from(run.slice(at).replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("latin1")),
  );
}
