// Grouped bars of first-feedback, on-time, resolution and satisfaction rates by department.
(function () {
  const holder = document.getElementById("figures-chart");
  const source = document.getElementById("chart-data");
  if (!holder || !source || typeof Plotly === "undefined") return;
  const data = JSON.parse(source.textContent);
  if (!data.units.length) { holder.remove(); return; }
  const traces = data.series.map((s) => ({ type: "bar", name: s.name, x: data.units, y: s.values }));
  Plotly.newPlot(holder, traces, {
    barmode: "group", margin: { t: 30, r: 10, b: 80, l: 50 },
    yaxis: { title: { text: "%" }, range: [0, 105] }, legend: { orientation: "h" },
    font: { family: "Noto Sans CJK SC, Microsoft YaHei, sans-serif" },
  }, { displaylogo: false, responsive: true });
})();
