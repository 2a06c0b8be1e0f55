// charts.js — the Insights page's monthly charts, drawn by uPlot (vendored in
// /vendor/uplot, loaded by insights.html only). A chart is decoration for
// sighted readers: it is hidden from screen readers, and the same numbers
// are in the table that follows the charts.
import { h } from "../ui.js";

/** FIGURES are the charted figures of a month of the series, in page order. */
export const FIGURES = [
  { key: "received", label: "Requests received", unit: "requests", bars: true },
  { key: "closed", label: "Requests closed", unit: "requests", bars: true },
  { key: "resolve_median", label: "Median time to resolve", unit: "business hours" },
  { key: "resolve_on_time", label: "Reports resolved on time", unit: "%", max: 100 },
  { key: "satisfaction", label: "Average satisfaction", unit: "of 5", max: 5 },
  { key: "county_median", label: "Median county time on a permit", unit: "days" },
];

/** monthName is "Nov 2026" for "2026-11". */
export function monthName(month, style = "short") {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, 15)).toLocaleString("en-US", { month: style, year: "numeric", timeZone: "UTC" });
}

let drawn = []; // the page's charts, which follow its width
let printedCharts = []; // the council report's, at their printed size
let watcher = null;

/** chartFigures are the empty frames of the charts, one per figure, for the page to place. */
export function chartFigures() {
  return h("div", { class: "charts" }, FIGURES.map((f) => h("figure", { class: "chart", "data-figure": f.key },
    h("figcaption", {}, `${f.label} (${f.unit}), by month`),
    h("div", { class: "chart-plot", "aria-hidden": "true" }))));
}

/** drawCharts draws the series into the frames chartFigures made (already in the page). */
export function drawCharts(root, series) {
  drawChartSets([[root, series]]);
}

/** drawChartSets draws several scopes' charts (the council report: one set per department), each [root, series]. */
export function drawChartSets(sets) {
  for (const u of [...drawn, ...printedCharts]) u.destroy();
  drawn = [];
  printedCharts = [];
  if (watcher) watcher.disconnect();
  for (const [root, series] of sets) drawSet(root, series);
  // the charts follow the page's width
  watcher = new ResizeObserver(() => {
    for (const u of drawn) {
      const w = Math.max(240, u.root.parentElement.clientWidth);
      if (Math.abs(w - u.width) > 4) u.setSize({ width: w, height: u.height });
    }
  });
  for (const u of drawn) watcher.observe(u.root.parentElement);
}

function drawSet(root, series) {
  const uPlot = globalThis.uPlot;
  if (!uPlot || !series || !series.length) return;
  const css = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const ink = colour("--c-primary", "#1b4f8a"); // 8:1 on white
  const muted = colour("--c-muted", "#4b5563"); // 7.5:1 on white
  const line = colour("--c-line", "#d5dae1");
  const font = `13px ${css.fontFamily || "sans-serif"}`;
  // "Nov", with the year under the first month and every January
  const labels = series.map((m, i) => {
    const [y, mo] = m.month.split("-");
    const name = new Date(Date.UTC(+y, +mo - 1, 15)).toLocaleString("en-US", { month: "short", timeZone: "UTC" });
    return i === 0 || mo === "01" ? `${name}\n${y}` : name;
  });
  const x = series.map((_, i) => i);
  const n = series.length;

  for (const frame of root.querySelectorAll(".chart")) {
    const f = FIGURES.find((x) => x.key === frame.dataset.figure);
    const plot = frame.querySelector(".chart-plot");
    const values = series.map((m) => (m[f.key] === null || m[f.key] === undefined ? null : m[f.key]));
    // the council report's charts are drawn at their printed size: three abreast on a page
    const printed = !!frame.closest(".department-report");
    const width = printed ? 215 : Math.max(240, plot.clientWidth || 320);
    const opts = {
      width,
      height: printed ? 90 : 200,
      cursor: { show: false },
      legend: { show: true, live: false },
      scales: {
        x: { time: false, range: [-0.6, n - 0.4] },
        y: { range: (u, min, max) => [0, f.max ?? (max > 0 ? Math.ceil(max * 1.15) : 1)] },
      },
      axes: [
        { stroke: muted, font, grid: { show: false }, ticks: { stroke: line },
          size: 48,
          splits: (u) => { const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(u.width / 40)))); return x.filter((i) => i % every === 0); },
          values: (u, splits) => splits.map((i) => labels[i] || "") },
        { stroke: muted, font, size: 48, grid: { stroke: line, width: 1 }, ticks: { stroke: line },
          incrs: f.bars ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000] : undefined },
      ],
      series: [
        { label: "Month" },
        { label: `${f.label} (${f.unit})`, stroke: ink, width: 2, fill: f.bars ? ink : undefined,
          paths: f.bars ? uPlot.paths.bars({ size: [0.6, 48] }) : undefined,
          points: { show: !f.bars, size: 7, fill: ink, stroke: ink }, spanGaps: false },
      ],
    };
    plot.replaceChildren();
    const u = new uPlot(opts, [x, values], plot);
    if (!printed) drawn.push(u);
    else printedCharts.push(u);
  }
}

/** monthlyRows are the table rows of the series (the charts' numbers). */
export function monthlyRows(series, fmt) {
  return series.map((m) => [monthName(m.month, "long"), m.received, m.closed, fmt(m.resolve_median), fmt(m.resolve_on_time, " %"),
    fmt(m.satisfaction), fmt(m.county_median)]);
}
