/** CPU µs (user + system) per item of one decoded answer, `run` over `answers` copies of it (micro-benchmarks). */
export function cpuPerItem<T>(items: T[], answers: number, run: (items: T[]) => number): number {
  const start = process.cpuUsage();
  let sink = 0;
  for (let i = 0; i < answers; i++) sink += run(items);
  const used = process.cpuUsage(start);
  if (sink < 0) throw new Error("unreachable");
  return (used.user + used.system) / (answers * items.length);
}
