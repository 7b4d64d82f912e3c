/**
 * CPU profiling of the measured phase only (node:inspector, same data as `node --cpu-prof`), and a summary of
 * a .cpuprofile: self time per function and per package, per request.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export async function startProfiler(): Promise<() => Promise<CpuProfile>> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T))));
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 100 });
  await post("Profiler.start");
  return async () => {
    const { profile } = await post<{ profile: CpuProfile }>("Profiler.stop");
    session.disconnect();
    return profile;
  };
}

export function saveProfile(profile: CpuProfile, path: string): void {
  writeFileSync(path, JSON.stringify(profile));
}

export interface SelfTime {
  name: string;
  selfMs: number;
  share: number;
}

/** Where a script lives, as a package name (node_modules/@scope/pkg), "node:internal", or a repo path. */
export function packageOf(url: string): string {
  if (!url) return "(native/vm)";
  if (url.startsWith("node:")) return "node:internal";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const repo = /\/(src|bench)\/(.*)$/.exec(url);
  return repo ? `${repo[1]}/${repo[2]}` : url;
}

export function summarizeProfile(profile: CpuProfile, top = 25): { functions: SelfTime[]; packages: SelfTime[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)" || functionName === "(program)") continue;
    total += us;
    const where = url ? `${packageOf(url)}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"} ${where}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + us);
    const p = functionName === "(garbage collector)" ? "(garbage collector)" : packageOf(url);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / total }));
  return { functions: rank(fn), packages: rank(pkg), totalMs: total / 1000 };
}
