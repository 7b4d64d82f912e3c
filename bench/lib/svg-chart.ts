/** A hand-written SVG: throughput and client CPU per request against concurrency, one line per client. */
import { clientById } from "./clients/index.js";
import type { Row } from "./report.js";

const COLORS: Record<string, string[]> = {
  "minion-ts": ["#d62728", "#ff7f0e", "#e377c2"],
  "aws-sdk": ["#1f77b4", "#17becf", "#393b79", "#6baed6"],
  "ai-sdk": ["#2ca02c", "#98df8a"],
  langchain: ["#9467bd", "#c5b0d5"],
  anthropic: ["#8c564b", "#c49c94"],
  floor: ["#7f7f7f", "#bcbcbc"],
};

interface Series {
  id: string;
  color: string;
  dashed: boolean;
  points: { concurrency: number; value: number }[];
}

const PANEL_W = 460;
const PANEL_H = 300;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 50 };

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function niceTicks(max: number, log: boolean, min: number): number[] {
  if (log) {
    const ticks: number[] = [];
    for (let p = Math.floor(Math.log10(min)); p <= Math.ceil(Math.log10(max)); p++) ticks.push(10 ** p);
    // One tick (every value the same power of ten) would make the scale divide by zero.
    if (ticks.length === 1) ticks.push(ticks[0]! * 10);
    return ticks;
  }
  const step = 10 ** Math.floor(Math.log10(max / 4 || 1));
  const unit = [1, 2, 5, 10].map((m) => m * step).find((s) => max / s <= 6) ?? step * 10;
  return Array.from({ length: Math.floor(max / unit) + 2 }, (_, i) => i * unit);
}

function panel(title: string, yLabel: string, series: Series[], xs: number[], log: boolean, offsetX: number): string {
  const values = series.flatMap((s) => s.points.map((p) => p.value)).filter((v) => v > 0);
  const min = log ? Math.min(...values) : 0;
  const ticks = niceTicks(Math.max(...values, 1), log, Math.max(min, 1e-9));
  const top = ticks[ticks.length - 1]!;
  const bottom = log ? ticks[0]! : 0;
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  const xAt = (c: number) => MARGIN.left + (xs.length === 1 ? w / 2 : (xs.indexOf(c) / (xs.length - 1)) * w);
  const yAt = (v: number) =>
    MARGIN.top + h - (log ? (Math.log10(v) - Math.log10(bottom)) / (Math.log10(top) - Math.log10(bottom)) : (v - bottom) / (top - bottom)) * h;
  const parts: string[] = [`<g transform="translate(${offsetX},0)">`];
  parts.push(`<text x="${PANEL_W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  for (const t of ticks) {
    const y = yAt(t);
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + w}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${t >= 1 ? t.toLocaleString("en-US") : t}</text>`);
  }
  for (const c of xs) {
    parts.push(`<text x="${xAt(c)}" y="${MARGIN.top + h + 18}" text-anchor="middle" font-size="11">${c}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + w / 2}" y="${PANEL_H - 10}" text-anchor="middle" font-size="12">concurrency</text>`);
  parts.push(
    `<text transform="translate(16,${MARGIN.top + h / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(yLabel)}</text>`,
  );
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`);
  for (const s of series) {
    const pts = s.points.filter((p) => p.value > 0 || !log);
    const d = pts.map((p, i) => `${i === 0 ? "M" : "L"}${xAt(p.concurrency).toFixed(1)},${yAt(p.value).toFixed(1)}`).join(" ");
    const dash = s.dashed ? ` stroke-dasharray="6,4"` : "";
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const p of pts) parts.push(`<circle cx="${xAt(p.concurrency).toFixed(1)}" cy="${yAt(p.value).toFixed(1)}" r="3" fill="${s.color}"/>`);
  }
  parts.push("</g>");
  return parts.join("\n");
}

export function renderChart(rows: Row[], subtitle: string): string {
  const ids = [...new Set(rows.map((r) => r.result.clientId))];
  const used: Record<string, number> = {};
  const make = (pick: (r: Row) => number): Series[] =>
    ids.map((id) => {
      const adapter = clientById(id);
      const palette = COLORS[adapter.library] ?? ["#333"];
      const index = used[id] ?? (used[id] = Object.keys(used).filter((k) => clientById(k).library === adapter.library).length);
      return {
        id,
        color: palette[index % palette.length]!,
        dashed: !adapter.streaming,
        points: rows
          .filter((r) => r.result.clientId === id && r.result.ok > 0)
          .sort((a, b) => a.result.concurrency - b.result.concurrency)
          .map((r) => ({ concurrency: r.result.concurrency, value: pick(r) })),
      };
    });
  const xs = [...new Set(rows.map((r) => r.result.concurrency))].sort((a, b) => a - b);
  const throughput = make((r) => r.result.throughput);
  const cpu = make((r) => r.result.cpuPerRequestUs);
  const legendRows = Math.ceil(ids.length / 3);
  const height = PANEL_H + 40 + legendRows * 20 + 20;
  const width = PANEL_W * 2;
  const legend = throughput.map((s, i) => {
    const x = 30 + (i % 3) * 310;
    const y = PANEL_H + 50 + Math.floor(i / 3) * 20;
    const dash = s.dashed ? ` stroke-dasharray="6,4"` : "";
    return `<line x1="${x}" x2="${x + 28}" y1="${y - 4}" y2="${y - 4}" stroke="${s.color}" stroke-width="2"${dash}/><text x="${x + 34}" y="${y}" font-size="12">${esc(s.id)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel("Throughput (req/s, log scale; higher is better)", "requests per second", throughput, xs, true, 0),
    panel("Client CPU per request (µs; lower is better)", "µs of user+system CPU", cpu, xs, false, PANEL_W),
    `<text x="${width / 2}" y="${PANEL_H + 28}" text-anchor="middle" font-size="11" fill="#555">${esc(subtitle)} — solid: streamed, dashed: not streamed</text>`,
    ...legend,
    "</svg>",
    "",
  ].join("\n");
}
