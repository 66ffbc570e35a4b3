// Small SVG charts drawn here (no library, no CDN): a line chart of daily series and a horizontal
// bar chart. Labels go in as text nodes; colours come from CSS classes (the CSP has no inline style).

export const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";

  function svg(tag, attributes = {}, text) {
    const node = document.createElementNS(NS, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  /** The y axis of counts: whole-number ticks (1, 2, 5, 10, 20... apart), at most about 5. */
  function countTicks(highest) {
    const rough = Math.max(1, highest / 4);
    const magnitude = 10 ** Math.floor(Math.log10(rough));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough);
    const top = step * Math.max(1, Math.ceil(highest / step));
    const ticks = [];
    for (let value = 0; value <= top; value += step) ticks.push(value);
    return { top, ticks };
  }

  function shortDay(iso) {
    const [, month, day] = iso.split("-");
    return `${day}/${month}`;
  }

  /**
   * days: ["2026-11-21", ...]; series: [{label, values: [n per day], className}].
   * The svg carries data-max and data-total (what the tests and screen readers can check).
   */
  function line(container, days, series, { width = 560, height = 220 } = {}) {
    const pad = { left: 40, right: 12, top: 12, bottom: 42 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const all = series.flatMap((s) => s.values);
    const highest = Math.max(0, ...all);
    const { top, ticks } = countTicks(highest);
    const x = (i) => pad.left + (days.length <= 1 ? plotW / 2 : (i * plotW) / (days.length - 1));
    const y = (v) => pad.top + plotH - (v / top) * plotH;
    const total = all.reduce((a, b) => a + b, 0);
    const chart = svg("svg", {
      viewBox: `0 0 ${width} ${height}`,
      class: "chart line-chart",
      role: "img",
      "data-max": highest,
      "data-total": total,
      "aria-label": series.map((s) => `${s.label}: ${s.values.reduce((a, b) => a + b, 0)}`).join("; "),
    });
    for (const value of ticks) {
      chart.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value), class: "grid" }));
      chart.append(svg("text", { x: pad.left - 6, y: y(value) + 4, class: "axis y-tick", "text-anchor": "end" }, value));
    }
    // At most ~8 day labels; the last day always has one, so a regular label too close to it is
    // skipped (30 days: 0, 4, ..., 24 and 29, not 28 and 29 over each other).
    const labelEvery = Math.max(1, Math.ceil(days.length / 8));
    const last = days.length - 1;
    days.forEach((day, i) => {
      if ((i % labelEvery === 0 && last - i >= labelEvery) || i === last) {
        const anchor = i === days.length - 1 && days.length > 1 ? "end" : i === 0 ? "start" : "middle";
        chart.append(svg("text", { x: x(i), y: height - pad.bottom + 16, class: "axis", "text-anchor": anchor }, shortDay(day)));
      }
    });
    // Each series its own colour and stroke: the first wide and pale, the later ones narrower and
    // dashed over it, so two series with the same counts both stay visible.
    series.forEach((s, index) => {
      const look = `${s.className || `series-${index}`} layer-${Math.min(index, 3)}`;
      const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      chart.append(svg("polyline", { points, class: `series ${look}`, "data-label": s.label }));
      s.values.forEach((v, i) => {
        const dot = svg("circle", { cx: x(i), cy: y(v), r: index ? 2.5 : 4, class: `dot ${look}` });
        dot.append(svg("title", {}, `${shortDay(days[i])} · ${s.label}: ${v}`));
        chart.append(dot);
      });
      const legendX = pad.left + (index * (width - pad.left)) / series.length;
      chart.append(svg("line", { x1: legendX, x2: legendX + 18, y1: height - 11, y2: height - 11, class: `series swatch ${look}` }));
      chart.append(svg("text", { x: legendX + 22, y: height - 7, class: "legend" }, `${s.label} (${s.values.reduce((a, b) => a + b, 0)})`));
    });
    container.replaceChildren(chart);
    return chart;
  }

  /** entries: [[label, count], ...], one horizontal bar each. */
  function bars(container, entries, { width = 560, barHeight = 22 } = {}) {
    const labelW = 170;
    const height = Math.max(entries.length, 1) * (barHeight + 8) + 8;
    const highest = Math.max(0, ...entries.map(([, n]) => n));
    const chart = svg("svg", {
      viewBox: `0 0 ${width} ${height}`,
      class: "chart bar-chart",
      role: "img",
      "data-max": highest,
      "data-total": entries.reduce((a, [, n]) => a + n, 0),
      "aria-label": entries.map(([label, n]) => `${label}: ${n}`).join("; "),
    });
    if (!entries.length) {
      chart.append(svg("text", { x: 8, y: 20, class: "legend" }, "Nenhum chamado em aberto."));
    }
    entries.forEach(([label, count], i) => {
      const top = 8 + i * (barHeight + 8);
      const barW = highest ? ((width - labelW - 50) * count) / highest : 0;
      chart.append(svg("text", { x: labelW - 8, y: top + barHeight * 0.7, class: "legend", "text-anchor": "end" }, label));
      chart.append(svg("rect", { x: labelW, y: top, width: Math.max(barW, 1), height: barHeight, class: "bar", "data-label": label, "data-value": count }));
      chart.append(svg("text", { x: labelW + barW + 6, y: top + barHeight * 0.7, class: "legend" }, count));
    });
    container.replaceChildren(chart);
    return chart;
  }

  return { line, bars };
})();
