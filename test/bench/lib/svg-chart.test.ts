import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderChart } from "../../../bench/lib/svg-chart.js";
import { row } from "./fixtures.js";

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

/** A minimal XML reader: fails on anything that is not a tag with quoted attributes or plain text. */
function parseXml(xml: string): Node {
  const root: Node = { name: "#document", attrs: {}, children: [], text: "" };
  const stack = [root];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const m = token.exec(xml);
    assert.ok(m, `malformed XML at ${at}: ${xml.slice(at, at + 60)}`);
    const [, close, name, attrText, selfClose, text] = m;
    const parent = stack[stack.length - 1]!;
    if (text !== undefined) {
      assert.doesNotMatch(text, /&(?!amp;|lt;|gt;|quot;)/, `unescaped & in ${text}`);
      parent.text += text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
      continue;
    }
    if (close) {
      assert.equal(parent.name, name, `</${name}> closes <${parent.name}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, key, value] of attrText!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      assert.ok(!(key! in attrs), `duplicate attribute ${key}`);
      attrs[key!] = value!;
    }
    const node: Node = { name: name!, attrs, children: [], text: "" };
    parent.children.push(node);
    if (!selfClose) stack.push(node);
  }
  assert.equal(stack.length, 1, `unclosed <${stack[stack.length - 1]!.name}>`);
  const elements = root.children;
  assert.equal(elements.length, 1, "one root element");
  assert.equal(root.text.trim(), "", "no text outside the root");
  return elements[0]!;
}

const all = (node: Node, name: string): Node[] =>
  node.children.flatMap((c) => [...(c.name === name ? [c] : []), ...all(c, name)]);
const texts = (node: Node) => all(node, "text").map((t) => t.text);

/** The points of a path's `d` ("M x,y L x,y ..."). */
function points(path: Node): { x: number; y: number }[] {
  const d = path.attrs.d!;
  if (d === "") return [];
  return d.split(" ").map((part, i) => {
    assert.equal(part[0], i === 0 ? "M" : "L");
    const [x, y] = part.slice(1).split(",").map(Number);
    return { x: x!, y: y! };
  });
}

/** The y of the horizontal grid line labelled `label` in a panel. */
function gridY(panel: Node, label: string): number {
  const labels = panel.children.filter((c) => c.name === "text" && c.attrs["text-anchor"] === "end");
  const tick = labels.find((t) => t.text === label);
  assert.ok(tick, `no y tick "${label}" in ${labels.map((t) => t.text).join(", ")}`);
  return Number(tick.attrs.y) - 4; // tick labels sit 4px below their grid line
}

const STREAM = "minion.generateStream";
const GENERATE = "minion.generate";
const SDK = "sdk.InvokeModelWithResponseStream";
const rows = [
  row(STREAM, 1, { throughput: 100, cpuPerRequestUs: 50 }),
  row(STREAM, 100, { throughput: 1000, cpuPerRequestUs: 60 }),
  row(STREAM, 1000, { throughput: 10_000, cpuPerRequestUs: 70 }),
  row(SDK, 1, { throughput: 50, cpuPerRequestUs: 100 }),
  row(SDK, 100, { throughput: 500, cpuPerRequestUs: 120 }),
  row(SDK, 1000, { throughput: 5000, cpuPerRequestUs: 140 }),
  row(GENERATE, 1, { throughput: 80, cpuPerRequestUs: 40 }),
  row(GENERATE, 100, { throughput: 700, cpuPerRequestUs: 45 }),
  row(GENERATE, 1000, { throughput: 9999, cpuPerRequestUs: 9999, ok: 0, errors: 1000 }), // failed: not plotted
];

describe("renderChart", () => {
  const svg = renderChart(rows, "2 CPUs & <TLS>");
  const root = parseXml(svg);
  const panels = root.children.filter((c) => c.name === "g");

  it("is one well-formed <svg> element with consistent size", () => {
    assert.equal(root.name, "svg");
    assert.equal(root.attrs.xmlns, "http://www.w3.org/2000/svg");
    assert.equal(root.attrs.viewBox, `0 0 ${root.attrs.width} ${root.attrs.height}`);
    assert.ok(Number(root.attrs.width) > 0 && Number(root.attrs.height) > 0);
    assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
  });

  it("draws two panels, throughput and CPU, each with a concurrency axis and a y label", () => {
    assert.equal(panels.length, 2);
    const [throughput, cpu] = panels.map(texts);
    assert.match(throughput![0]!, /^Throughput \(req\/s, log scale/);
    assert.match(cpu![0]!, /^Client CPU per request/);
    for (const t of [throughput!, cpu!]) {
      assert.ok(t.includes("concurrency"));
      for (const level of ["1", "100", "1000"]) assert.ok(t.includes(level), `x tick ${level}`);
    }
    assert.ok(throughput!.includes("requests per second"));
    assert.ok(cpu!.includes("µs of user+system CPU"));
  });

  it("draws one line per client in each panel, one point per level that completed requests", () => {
    for (const panel of panels) {
      const paths = all(panel, "path");
      assert.equal(paths.length, 3);
      assert.deepEqual(paths.map((p) => points(p).length), [3, 3, 2]); // minion.generate's failed level is left out
      assert.equal(new Set(paths.map((p) => p.attrs.stroke)).size, 3, "a distinct colour per client");
      assert.equal(all(panel, "circle").length, 8);
      // dashed = not streamed
      assert.deepEqual(paths.map((p) => p.attrs["stroke-dasharray"] !== undefined), [false, false, true]);
    }
  });

  it("places points on the scales: log throughput on its decade grid lines, CPU in order", () => {
    const [throughput, cpu] = panels;
    const stream = points(all(throughput!, "path")[0]!);
    assert.deepEqual(
      stream.map((p) => p.y),
      [gridY(throughput!, "100"), gridY(throughput!, "1,000"), gridY(throughput!, "10,000")],
    );
    // x: the three levels spread left to right, the same in both panels
    assert.ok(stream[0]!.x < stream[1]!.x && stream[1]!.x < stream[2]!.x);
    const sdkCpu = points(all(cpu!, "path")[1]!);
    const streamCpu = points(all(cpu!, "path")[0]!);
    assert.deepEqual(sdkCpu.map((p) => p.x), stream.map((p) => p.x));
    // higher value = higher on the chart = smaller y
    for (let i = 0; i < 3; i++) assert.ok(sdkCpu[i]!.y < streamCpu[i]!.y);
    assert.ok(streamCpu[0]!.y > streamCpu[1]!.y && streamCpu[1]!.y > streamCpu[2]!.y);
    // 0 µs sits on the bottom grid line of the linear CPU axis
    const zero = gridY(cpu!, "0");
    assert.ok(streamCpu.every((p) => p.y < zero));
  });

  it("has a legend naming every client in its line colour, and an escaped subtitle", () => {
    const legendLines = root.children.filter((c) => c.name === "line");
    const legendTexts = root.children.filter((c) => c.name === "text").map((t) => t.text);
    assert.ok(legendTexts.includes("2 CPUs & <TLS> — solid: streamed, dashed: not streamed"));
    assert.match(svg, /2 CPUs &amp; &lt;TLS&gt;/);
    assert.deepEqual(legendTexts.filter((t) => [STREAM, SDK, GENERATE].includes(t)), [STREAM, SDK, GENERATE]);
    const throughputStrokes = all(panels[0]!, "path").map((p) => p.attrs.stroke);
    assert.deepEqual(legendLines.map((l) => l.attrs.stroke), throughputStrokes);
    assert.deepEqual(all(panels[1]!, "path").map((p) => p.attrs.stroke), throughputStrokes);
  });

  it("renders a single level with equal figures without NaN (one decade on the log axis)", () => {
    const one = renderChart([row(STREAM, 100, { throughput: 100 }), row(SDK, 100, { throughput: 100 })], "x");
    assert.doesNotMatch(one, /NaN|undefined|Infinity/);
    const panel = parseXml(one).children.filter((c) => c.name === "g")[0]!;
    const [a, b] = all(panel, "path").map(points);
    assert.deepEqual(a, b);
    assert.equal(a![0]!.y, gridY(panel, "100"));
  });

  it("still renders when every request failed (empty lines, no NaN)", () => {
    const failed = renderChart([row(STREAM, 100, { ok: 0, errors: 100 })], "x");
    assert.doesNotMatch(failed, /NaN|undefined|Infinity/);
    const paths = all(parseXml(failed), "path");
    assert.equal(paths.length, 2);
    assert.ok(paths.every((p) => points(p).length === 0));
  });
});
